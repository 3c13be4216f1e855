// Scraping against the real Prometheus (Debian's 2.42): `argus server` and Prometheus run the
// same configuration side by side (external labels, metric relabeling) against the same
// targets, and must store the same thing.
// - NodeExporter: a real prometheus-node-exporter, scraped every second for several intervals.
//   The series (label sets, synthetic series included) in both TSDBs are identical; series
//   whose value never changed in either are equal in value; /federate shows the same label
//   sets with the external labels; /api/v1/targets shows the same target.
// - Staleness: a target served by this test drops a series, then fails. Both servers write
//   the same staleness markers (the vanished series, then every series of the failed target)
//   and up=0; instant queries right after find neither series in either server (no 5 minutes
//   of lookback) and the same other series.
// - Metadata: a 0.0.4 and an OpenMetrics target served by this test; /api/v1/metadata and
//   /api/v1/targets/metadata (with their parameters and errors) answer the same on both while
//   help texts change and a family vanishes (kept for 10 scrapes, then gone). NodeExporter
//   compares /api/v1/metadata too.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "http/server.h"
#include "metrics/registry.h"
#include "nlohmann/json.hpp"
#include "util/process.h"

namespace argus {
namespace {

using testing::ArgusBinary;
using testing::Child;
using testing::CommandResult;
using testing::FreePort;
using testing::HttpGet;
using testing::RunCommand;
using testing::StartServer;
using testing::TestDir;

constexpr char kPrometheus[] = "/usr/bin/prometheus";
constexpr char kNodeExporter[] = "/usr/bin/prometheus-node-exporter";

// Samples of a dump ("{labels} value timestamp" lines), by series, in time order.
using Dump = std::map<std::string, std::vector<std::pair<int64_t, double>>>;

Dump ParseDump(const std::string& text) {
  Dump out;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    const size_t brace = line.rfind("} ");
    if (brace == absl::string_view::npos) continue;
    std::vector<absl::string_view> rest = absl::StrSplit(line.substr(brace + 2), ' ');
    if (rest.size() != 2) continue;
    double v;
    int64_t t;
    if (!absl::SimpleAtod(rest[0], &v) || !absl::SimpleAtoi(rest[1], &t)) {
      v = std::nan("");  // "NaN": the staleness marker
      if (!absl::SimpleAtoi(rest[1], &t)) continue;
    }
    out[std::string(line.substr(0, brace + 1))].emplace_back(t, v);
  }
  return out;
}

// The label sets of a /federate body (values and timestamps stripped).
std::set<std::string> FederatedSeries(const std::string& body) {
  std::set<std::string> out;
  for (absl::string_view line : absl::StrSplit(body, '\n', absl::SkipEmpty())) {
    if (line.front() == '#') continue;
    const size_t brace = line.rfind("} ");
    if (brace != absl::string_view::npos) out.emplace(line.substr(0, brace + 1));
  }
  return out;
}

// Argus and Prometheus with the same configuration, each with its own data directory.
class SideBySide {
 public:
  SideBySide(const std::string& dir, const std::string& config) : dir_(dir) {
    std::ofstream(dir + "/prometheus.yml") << config;
  }
  // Starts both and waits until they are ready; false (with the log) when one is not.
  bool Start(std::string* log) {
    argus_ = StartServer({.command = {ArgusBinary(), "server"},
                          .config_file = dir_ + "/prometheus.yml",
                          .data_dir = dir_ + "/argus",
                          .log_path = dir_ + "/argus.log"},
                         &argus_port_, log);
    if (argus_ == nullptr) return false;
    prom_ = StartServer({.command = {kPrometheus},
                         .config_file = dir_ + "/prometheus.yml",
                         .data_dir = dir_ + "/prom",
                         .log_path = dir_ + "/prometheus.log",
                         .ready_timeout_ms = 60000},
                        &prom_port_, log);
    return prom_ != nullptr;
  }
  // Waits until both have scraped every target of `job` at least `n` times.
  bool WaitForScrapes(const std::string& job, int n) {
    for (int i = 0; i < 300; ++i) {
      if (Scrapes(argus_port_, job) >= n && Scrapes(prom_port_, job) >= n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }
  // Stops both (SIGTERM) and dumps their TSDBs.
  void StopAndDump(Dump* argus, Dump* prom) {
    EXPECT_EQ(argus_->Stop(SIGTERM), 0);
    EXPECT_EQ(prom_->Stop(SIGTERM), 0);
    CommandResult theirs = RunCommand({"promtool", "tsdb", "dump", dir_ + "/prom"});
    ASSERT_EQ(theirs.exit_code, 0) << theirs.output;
    CommandResult ours = RunCommand({ArgusBinary(), "tools", "tsdb", "dump", dir_ + "/argus"});
    ASSERT_EQ(ours.exit_code, 0) << ours.output;
    *argus = ParseDump(ours.output);
    *prom = ParseDump(theirs.output);
  }
  int argus_port() const { return argus_port_; }
  int prom_port() const { return prom_port_; }

 private:
  // The fewest scrapes of any target of `job` on `port`'s server seen so far: the polls of
  // /api/v1/targets (every 100 ms, well under the 1 s interval) count lastScrape changes.
  int Scrapes(int port, const std::string& job) {
    std::string body;
    if (HttpGet(port, "/api/v1/targets?state=active", &body) != 200) return 0;
    const nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
    if (doc.is_discarded()) return 0;
    int min_seen = -1;
    for (const auto& t : doc["data"]["activeTargets"]) {
      if (t["scrapePool"] != job) continue;
      const std::string last = t["lastScrape"];
      int& count = seen_[{port, t["scrapeUrl"].get<std::string>()}].first;
      std::string& prev = seen_[{port, t["scrapeUrl"].get<std::string>()}].second;
      if (last != prev && t["health"] != "unknown") {
        prev = last;
        ++count;
      }
      min_seen = min_seen < 0 ? count : std::min(min_seen, count);
    }
    return std::max(min_seen, 0);
  }

  std::string dir_;
  int argus_port_ = 0, prom_port_ = 0;
  std::unique_ptr<Child> argus_, prom_;
  std::map<std::pair<int, std::string>, std::pair<int, std::string>> seen_;
};

// The "data" of `path`'s answer (or the whole answer when it is an error), arrays sorted so
// that the orders Prometheus takes from Go maps do not matter.
nlohmann::json Normalized(int port, const std::string& path) {
  std::string body;
  const int code = HttpGet(port, path, &body);
  nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded()) return {{"code", code}, {"body", body}};
  if (doc["status"] != "success") {
    doc["code"] = code;
    return doc;
  }
  nlohmann::json data = doc["data"];
  const auto sort = [](nlohmann::json& a) { std::sort(a.begin(), a.end()); };
  if (data.is_array()) sort(data);
  if (data.is_object()) {
    for (auto& [metric, list] : data.items()) sort(list);
  }
  return data;
}

TEST(ScrapePrometheusCompatTest, NodeExporter) {
  ASSERT_TRUE(std::filesystem::exists(kPrometheus)) << "install Debian's prometheus (2.42)";
  ASSERT_TRUE(std::filesystem::exists(kNodeExporter))
      << "install Debian's prometheus-node-exporter";
  const std::string dir = TestDir("scrape_node_compat");
  const int node_port = FreePort();
  Child node({kNodeExporter, absl::StrCat("--web.listen-address=127.0.0.1:", node_port)},
             dir + "/node.log");
  std::string log;
  ASSERT_TRUE(node.WaitForLog("Listening on", 30000, &log)) << log;

  SideBySide s(dir, absl::StrCat("global:\n  scrape_interval: 1s\n"
                                 "  external_labels: {cluster: c1, stage: test}\n"
                                 "scrape_configs:\n  - job_name: node\n"
                                 "    static_configs: [{targets: ['127.0.0.1:",
                                 node_port,
                                 "'], labels: {role: worker}}]\n"
                                 "    metric_relabel_configs:\n"
                                 "      - {source_labels: [__name__], regex: 'go_memstats_.*', "
                                 "action: drop}\n"
                                 "      - {source_labels: [__name__], regex: 'node_cpu_(.*)', "
                                 "target_label: cpu_metric, replacement: '$1'}\n"));
  ASSERT_TRUE(s.Start(&log)) << log;
  ASSERT_TRUE(s.WaitForScrapes("node", 5));

  // While running: the same target, and the same federated label sets (external labels on).
  std::string ours, theirs;
  ASSERT_EQ(HttpGet(s.argus_port(), "/api/v1/targets", &ours), 200);
  ASSERT_EQ(HttpGet(s.prom_port(), "/api/v1/targets", &theirs), 200);
  const nlohmann::json ta = nlohmann::json::parse(ours)["data"]["activeTargets"];
  const nlohmann::json tp = nlohmann::json::parse(theirs)["data"]["activeTargets"];
  ASSERT_EQ(ta.size(), 1u) << ours;
  ASSERT_EQ(tp.size(), 1u) << theirs;
  for (const char* key : {"discoveredLabels", "labels", "scrapePool", "scrapeUrl", "health",
                          "lastError", "scrapeInterval", "scrapeTimeout"}) {
    EXPECT_EQ(ta[0][key], tp[0][key]) << key;
  }
  const std::string match = "/federate?match[]=" + testing::UrlEncode("{job=\"node\"}");
  ASSERT_EQ(HttpGet(s.argus_port(), match, &ours), 200);
  ASSERT_EQ(HttpGet(s.prom_port(), match, &theirs), 200);
  const std::set<std::string> fed_ours = FederatedSeries(ours);
  EXPECT_EQ(fed_ours, FederatedSeries(theirs));
  EXPECT_GT(fed_ours.size(), 100u);
  EXPECT_TRUE(absl::StrContains(ours, "cluster=\"c1\"")) << ours.substr(0, 2000);
  // Metadata, that of the families metric relabeling drops included.
  const nlohmann::json md = Normalized(s.argus_port(), "/api/v1/metadata");
  EXPECT_EQ(md, Normalized(s.prom_port(), "/api/v1/metadata"));
  EXPECT_TRUE(md.contains("go_memstats_alloc_bytes")) << md.dump().substr(0, 2000);
  EXPECT_GT(md.size(), 50u);
  ASSERT_EQ(HttpGet(s.argus_port(), "/api/v1/status/config", &ours), 200);
  EXPECT_TRUE(absl::StrContains(nlohmann::json::parse(ours)["data"]["yaml"].get<std::string>(),
                                "cluster: c1"))
      << ours;

  Dump a, p;
  s.StopAndDump(&a, &p);
  node.Stop(SIGTERM);  // node_exporter dies of SIGTERM rather than exiting 0
  std::set<std::string> series_a, series_p;
  for (const auto& [k, v] : a) series_a.insert(k);
  for (const auto& [k, v] : p) series_p.insert(k);
  EXPECT_EQ(series_a, series_p);
  for (const char* synthetic : {"up", "scrape_duration_seconds", "scrape_samples_scraped",
                                "scrape_samples_post_metric_relabeling", "scrape_series_added"}) {
    const std::string key =
        absl::StrCat("{__name__=\"", synthetic, "\", instance=\"127.0.0.1:", node_port,
                     "\", job=\"node\", role=\"worker\"}");
    EXPECT_TRUE(a.count(key)) << key;
  }
  // Values: a series constant in both TSDBs has the same constant in both.
  const auto constant = [](const std::vector<std::pair<int64_t, double>>& v, double* c) {
    if (v.size() < 3) return false;
    for (const auto& [t, x] : v) {
      if (x != v.front().second) return false;
    }
    *c = v.front().second;
    return true;
  };
  size_t compared = 0;
  for (const auto& [key, samples] : p) {
    auto it = a.find(key);
    double cp, ca;
    if (it == a.end() || !constant(samples, &cp) || !constant(it->second, &ca)) continue;
    EXPECT_EQ(ca, cp) << key;
    ++compared;
  }
  EXPECT_GT(compared, p.size() / 2) << "too few constant series to compare";
  std::filesystem::remove_all(dir);
}

TEST(ScrapePrometheusCompatTest, StalenessMarkers) {
  ASSERT_TRUE(std::filesystem::exists(kPrometheus)) << "install Debian's prometheus (2.42)";
  const std::string dir = TestDir("scrape_stale_compat");
  metrics::Registry registry;
  http::Server target(registry);
  std::mutex mu;
  int phase = 0;  // 0: a and b; 1: only a; 2: HTTP 500
  target.Get("/metrics", "/metrics", [&](const http::Request&, http::Response& resp) {
    std::lock_guard l(mu);
    if (phase == 2) {
      resp.status = 500;
      resp.body = "broken\n";
      return;
    }
    resp.content_type = "text/plain; version=0.0.4";
    resp.body = phase == 0 ? "a 1\nb{x=\"y\"} 2\n" : "a 1\n";
  });
  ASSERT_TRUE(target.Start("127.0.0.1:0").ok());

  SideBySide s(dir, absl::StrCat("global:\n  scrape_interval: 1s\n"
                                 "scrape_configs:\n  - job_name: t\n"
                                 "    static_configs: [{targets: ['127.0.0.1:",
                                 target.port(), "']}]\n"));
  std::string log;
  ASSERT_TRUE(s.Start(&log)) << log;
  for (int next = 1; next <= 3; ++next) {
    ASSERT_TRUE(s.WaitForScrapes("t", 3 * next)) << "phase " << next - 1;
    std::lock_guard l(mu);
    phase = next;
  }
  std::string body;
  ASSERT_EQ(HttpGet(s.argus_port(), "/api/v1/targets", &body), 200);
  const nlohmann::json t = nlohmann::json::parse(body)["data"]["activeTargets"][0];
  EXPECT_EQ(t["health"], "down");
  EXPECT_EQ(t["lastError"], "server returned HTTP status 500 Internal Server Error");
  for (const char* query : {"{job=\"t\"}", "a", "b", "up == 0"}) {
    std::set<std::string> found[2];
    for (int i = 0; i < 2; ++i) {
      std::string resp;
      ASSERT_EQ(HttpGet(i == 0 ? s.argus_port() : s.prom_port(),
                        "/api/v1/query?query=" + testing::UrlEncode(query), &resp),
                200)
          << query << ": " << resp;
      const nlohmann::json doc = nlohmann::json::parse(resp);
      for (const auto& r : doc["data"]["result"]) found[i].insert(r["metric"].dump());
    }
    EXPECT_EQ(found[0], found[1]) << query;
    const bool stale = std::string(query) == "a" || std::string(query) == "b";
    EXPECT_EQ(found[0].empty(), stale) << query;
  }
  Dump a, p;
  s.StopAndDump(&a, &p);
  target.Shutdown();

  const std::string inst = absl::StrCat("instance=\"127.0.0.1:", target.port(), "\"");
  const std::string sa = absl::StrCat("{__name__=\"a\", ", inst, ", job=\"t\"}");
  const std::string sb = absl::StrCat("{__name__=\"b\", ", inst, ", job=\"t\", x=\"y\"}");
  const std::string up = absl::StrCat("{__name__=\"up\", ", inst, ", job=\"t\"}");
  for (const Dump* d : {&a, &p}) {
    const char* who = d == &a ? "argus" : "prometheus";
    ASSERT_TRUE(d->count(sa) && d->count(sb) && d->count(up)) << who;
    // b: values, one staleness marker once it vanished, nothing after.
    const auto& b = d->at(sb);
    EXPECT_TRUE(std::isnan(b.back().second)) << who;
    EXPECT_EQ(b[b.size() - 2].second, 2) << who;
    // a: stale once the target failed; up is 0 from then on.
    EXPECT_TRUE(std::isnan(d->at(sa).back().second)) << who;
    EXPECT_EQ(d->at(up).back().second, 0) << who;
  }
  std::set<std::string> series_a, series_p;
  for (const auto& [k, v] : a) series_a.insert(k);
  for (const auto& [k, v] : p) series_p.insert(k);
  EXPECT_EQ(series_a, series_p);
  std::filesystem::remove_all(dir);
}

// How many scrapes of job "text" the server on `port` has stored (its up samples); -1 when it
// cannot tell.
int TextScrapes(int port) {
  std::string body;
  const std::string q = testing::UrlEncode("count_over_time(up{job=\"text\"}[1h])");
  if (HttpGet(port, "/api/v1/query?query=" + q, &body) != 200) return -1;
  const nlohmann::json doc = nlohmann::json::parse(body, nullptr, false);
  if (doc.is_discarded() || doc["data"]["result"].empty()) return -1;
  return std::stoi(doc["data"]["result"][0]["value"][1].get<std::string>());
}

TEST(ScrapePrometheusCompatTest, Metadata) {
  ASSERT_TRUE(std::filesystem::exists(kPrometheus)) << "install Debian's prometheus (2.42)";
  const std::string dir = TestDir("scrape_metadata_compat");
  metrics::Registry registry;
  http::Server target(registry);
  std::mutex mu;
  int phase = 0;  // 0: first bodies; 1: help changed, `gone` no longer exposed
  target.Get("/text", "/text", [&](const http::Request&, http::Response& resp) {
    std::lock_guard l(mu);
    resp.content_type = "text/plain; version=0.0.4";
    resp.body =
        absl::StrCat("# HELP shared_total Requests, ", phase == 0 ? "first" : "second",
                     " words.\n# TYPE shared_total counter\nshared_total 1\n",
                     "# HELP esc_bytes Bytes with \\\\ and \\n escapes and \"quotes\".\n"
                     "# TYPE esc_bytes gauge\nesc_bytes 2\n"
                     "# HELP help_only Only help.\nhelp_only 3\n"
                     "# TYPE untyped_m untyped\nuntyped_m 4\n"
                     "# TYPE summ summary\nsumm{quantile=\"0.5\"} 1\nsumm_sum 1\nsumm_count 1\n"
                     "# HELP common Text side.\n# TYPE common gauge\ncommon 1\n"
                     "# HELP same Same on both.\n# TYPE same gauge\nsame 1\n"
                     "# UNIT esc_bytes bytes\n"  // only a comment in 0.0.4
                     "# TYPE dropped_m gauge\ndropped_m 1\n",
                     phase == 0 ? "# HELP gone Goes away.\n# TYPE gone gauge\ngone 1\n" : "");
  });
  target.Get("/om", "/om", [&](const http::Request&, http::Response& resp) {
    resp.content_type = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    resp.body =
        "# TYPE requests counter\n# HELP requests Requests \\\"served\\\".\nrequests_total 1\n"
        "requests_created 1.5\n"
        "# TYPE req_seconds histogram\n# UNIT req_seconds seconds\n"
        "# HELP req_seconds Latency.\nreq_seconds_bucket{le=\"0.1\"} 1\n"
        "req_seconds_bucket{le=\"+Inf\"} 2\nreq_seconds_count 2\nreq_seconds_sum 0.3\n"
        "# TYPE build info\nbuild_info{version=\"1\"} 1\n"
        "# TYPE sset stateset\nsset{sset=\"a\"} 1\nsset{sset=\"b\"} 0\n"
        "# TYPE common gauge\n# HELP common OpenMetrics side.\ncommon 1\n"
        "# TYPE same gauge\n# HELP same Same on both.\nsame 1\n"
        "# EOF\n";
  });
  ASSERT_TRUE(target.Start("127.0.0.1:0").ok());
  const std::string addr = absl::StrCat("127.0.0.1:", target.port());
  SideBySide s(dir, absl::StrCat("global:\n  scrape_interval: 1s\n"
                                 "scrape_configs:\n"
                                 "  - job_name: text\n    metrics_path: /text\n"
                                 "    static_configs: [{targets: ['",
                                 addr, "'], labels: {side: t}}]\n",
                                 "    metric_relabel_configs:\n"
                                 "      - {source_labels: [__name__], regex: dropped_m, "
                                 "action: drop}\n"
                                 "  - job_name: om\n    metrics_path: /om\n"
                                 "    static_configs: [{targets: ['",
                                 addr, "']}]\n"));
  std::string log;
  ASSERT_TRUE(s.Start(&log)) << log;

  const std::vector<std::string> paths = {
      "/api/v1/metadata",
      "/api/v1/metadata?metric=common",
      "/api/v1/metadata?metric=requests",
      "/api/v1/metadata?metric=requests_total",
      "/api/v1/metadata?limit=0",
      "/api/v1/metadata?limit=-1",
      "/api/v1/metadata?limit=x",
      "/api/v1/targets/metadata",
      "/api/v1/targets/metadata?metric=common",
      "/api/v1/targets/metadata?metric=nothing",
      "/api/v1/targets/metadata?match_target=" + testing::UrlEncode("{job=\"text\"}"),
      "/api/v1/targets/metadata?match_target=" + testing::UrlEncode("{side=~\"t|u\"}") +
          "&metric=esc_bytes",
      // The limit is checked before each target: the one target's whole list.
      "/api/v1/targets/metadata?limit=1&match_target=" + testing::UrlEncode("{job=\"om\"}"),
      "/api/v1/targets/metadata?limit=0",
      "/api/v1/targets/metadata?limit=x",
      "/api/v1/targets/metadata?match_target=" + testing::UrlEncode("{job=}"),
      "/api/v1/targets/metadata?match_target=" + testing::UrlEncode("{job=~\".*\"}"),
  };
  const auto compare = [&](const std::string& when) {
    for (const std::string& path : paths) {
      EXPECT_EQ(Normalized(s.argus_port(), path), Normalized(s.prom_port(), path))
          << when << ": " << path;
    }
    // A limit picks arbitrary metrics in Prometheus: compare how many.
    EXPECT_EQ(Normalized(s.argus_port(), "/api/v1/metadata?limit=3").size(), 3u) << when;
    EXPECT_EQ(Normalized(s.prom_port(), "/api/v1/metadata?limit=3").size(), 3u) << when;
  };

  ASSERT_TRUE(s.WaitForScrapes("om", 2) && s.WaitForScrapes("text", 3));
  const nlohmann::json first = Normalized(s.argus_port(), "/api/v1/metadata");
  {
    std::lock_guard l(mu);
    phase = 1;
  }
  // `gone` was last exposed by scrape `changed` or the one after (in flight at the change).
  const int changed_a = TextScrapes(s.argus_port()), changed_p = TextScrapes(s.prom_port());
  EXPECT_EQ(first["common"].size(), 2u) << first.dump();  // two helps
  EXPECT_EQ(first["same"].size(), 1u) << first.dump();    // one, de-duplicated
  EXPECT_EQ(first["req_seconds"][0]["unit"], "seconds") << first.dump();
  EXPECT_TRUE(first.contains("dropped_m")) << first.dump();
  compare("first bodies");

  // Kept for 10 more scrapes, forgotten after 11.
  const auto wait_until = [&](int n) {
    for (int i = 0; i < 600; ++i) {
      if (TextScrapes(s.argus_port()) >= changed_a + n &&
          TextScrapes(s.prom_port()) >= changed_p + n) {
        return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  };
  ASSERT_TRUE(wait_until(7));
  const nlohmann::json later = Normalized(s.argus_port(), "/api/v1/metadata");
  EXPECT_EQ(later["shared_total"][0]["help"], "Requests, second words.") << later.dump();
  EXPECT_TRUE(later.contains("gone")) << later.dump();
  compare("help changed, gone vanished");

  ASSERT_TRUE(wait_until(14));
  EXPECT_FALSE(Normalized(s.argus_port(), "/api/v1/metadata").contains("gone"));
  compare("gone forgotten");

  Dump a, p;
  s.StopAndDump(&a, &p);
  target.Shutdown();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace argus
