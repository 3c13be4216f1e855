// PromQL against the real Prometheus (Debian's 2.42), differentially: the same blocks (written
// by promtool from promql_compat/data_gen's ~400 varied series over 4 h) are served by
// Prometheus and by `argus server`, each from its own copy of the data directory.
// - QueriesMatchPrometheus: every query of promql_compat/queries.txt, as instant queries at
//   several times (near the start of the data, inside the gap of the sparse series, in the
//   middle, just after the end, exactly one lookback delta after the last whole-minute
//   samples) and as range queries (a 60 s step aligned to the minute over the whole data and
//   past both ends; an unaligned 37 s step from an odd start, sent as a form POST; a single
//   step), must give the same answer from both: status, error type and message, result
//   type, series, timestamps, values within 1e-6 relative (NaN == NaN), and the order where
//   PromQL defines one. Prints every difference and "N passed, M failed".
// - ParameterFormsAndErrorsMatch: times, steps and parameter errors, GET and POST.
// - PromtoolQueryOutputsMatch: `promtool query instant|range|series|labels` prints the same
//   text against both servers.
// Env: PROMQL_COMPAT_PEER=prometheus runs a second Prometheus in argus's place (checks the
// harness itself: must pass); PROMQL_COMPAT_FILTER=substring runs only matching queries.
#include <signal.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "gtest/gtest.h"
#include "promql_compat/compare.h"
#include "promql_compat/data_gen.h"
#include "util/process.h"

namespace argus::testing {
namespace {

using promql_compat::CompareResponses;
using promql_compat::Diff;
using promql_compat::Response;

constexpr char kPrometheus[] = "/usr/bin/prometheus";
constexpr int64_t kStartMs = 1699999200000;  // a 2 h boundary: blocks start on it
constexpr int64_t kDurationMs = 4 * 3600 * 1000;

// A Prometheus API time: unix seconds with the milliseconds as decimals.
std::string Seconds(int64_t ms) {
  return ms % 1000 == 0 ? absl::StrCat(ms / 1000)
                        : absl::StrFormat("%d.%03d", ms / 1000, ms % 1000);
}

// One way of asking a query: the endpoint and its parameters besides `query`.
struct Form {
  std::string name;
  std::string endpoint;
  std::string params;
  bool post = false;
};

std::vector<Form> Forms() {
  const auto instant = [](const std::string& name, int64_t ms) {
    return Form{name, "/api/v1/query", "time=" + Seconds(ms)};
  };
  return {
      instant("instant@start+45s", kStartMs + 45000),
      instant("instant@mid", kStartMs + 5833123),
      instant("instant@sparse-gap", kStartMs + promql_compat::kSparseGapStartMs + 917500),
      instant("instant@end+3m", kStartMs + kDurationMs + 180250),
      // The last whole-minute samples are exactly one lookback delta (5m) old.
      instant("instant@end+5m", kStartMs + kDurationMs + 300000),
      Form{"range/60s-aligned", "/api/v1/query_range",
           absl::StrCat("start=", Seconds(kStartMs - 300000),
                        "&end=", Seconds(kStartMs + kDurationMs + 600000), "&step=60")},
      Form{"range/37s-unaligned-post", "/api/v1/query_range",
           absl::StrCat("start=", Seconds(kStartMs + 17300),
                        "&end=", Seconds(kStartMs + 2 * 3600000 + 41000), "&step=37s"),
           true},
      Form{"range/single-step", "/api/v1/query_range",
           absl::StrCat("start=", Seconds(kStartMs + 3600000), "&end=", Seconds(kStartMs + 3600000),
                        "&step=15s")},
  };
}

// Asks `query` in `form` (an empty query: form.params alone).
Response Ask(int port, const Form& form, const std::string& query) {
  Response r;
  const std::string params =
      query.empty() ? form.params : absl::StrCat("query=", UrlEncode(query), "&", form.params);
  r.code = form.post ? HttpPost(port, form.endpoint, params, &r.body)
                     : HttpGet(port, form.endpoint + "?" + params, &r.body);
  return r;
}

// The queries of the corpus: one per line; blank lines and lines starting with '#' skipped.
std::vector<std::string> LoadCorpus() {
  std::ifstream in(std::string(PROMQL_COMPAT_DIR) + "/queries.txt");
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);) {
    absl::string_view q = absl::StripAsciiWhitespace(line);
    if (!q.empty() && q[0] != '#') out.emplace_back(q);
  }
  return out;
}

// Prometheus and the server under test on copies of the same blocks.
class PromqlCompatTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(TestDir("promql_compat"));
    {
      std::ofstream om(*dir_ + "/in.om");
      promql_compat::DataSpec spec;
      spec.seed = 5;
      spec.start_ms = kStartMs;
      spec.duration_ms = kDurationMs;
      spec.instances = 8;
      promql_compat::WriteOpenMetrics(spec, om);
    }
    CommandResult blocks = RunCommand({"promtool", "tsdb", "create-blocks-from", "openmetrics",
                                       *dir_ + "/in.om", *dir_ + "/blocks"});
    ASSERT_EQ(blocks.exit_code, 0) << blocks.output.substr(0, 2000);
    std::filesystem::remove(*dir_ + "/in.om");
    for (const char* side : {"prom", "argus"}) {
      std::filesystem::copy(*dir_ + "/blocks", *dir_ + "/" + side,
                            std::filesystem::copy_options::recursive);
    }
    std::ofstream(*dir_ + "/prometheus.yml") << "global:\n  scrape_interval: 1h\n";
    const char* peer = std::getenv("PROMQL_COMPAT_PEER");
    const bool peer_is_prometheus = peer != nullptr && std::string(peer) == "prometheus";
    std::string log;
    prom_ = Start({kPrometheus}, "prom", &prom_port_, &log);
    ASSERT_NE(prom_, nullptr) << log;
    argus_ = Start(peer_is_prometheus ? std::vector<std::string>{kPrometheus}
                                      : std::vector<std::string>{ArgusBinary(), "server"},
                   "argus", &argus_port_, &log);
    ASSERT_NE(argus_, nullptr) << log;
  }
  static void TearDownTestSuite() {
    argus_.reset();
    prom_.reset();
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }

  // Starts `command` on the copy `side` and waits until it is ready (nullptr and its log if not).
  static std::unique_ptr<Child> Start(std::vector<std::string> command, const std::string& side,
                                      int* port, std::string* log) {
    return StartServer({.command = std::move(command),
                        .config_file = *dir_ + "/prometheus.yml",
                        .data_dir = *dir_ + "/" + side,
                        .extra_flags = {"--storage.tsdb.retention.time=100y"},
                        .log_path = *dir_ + "/" + side + ".log",
                        .ready_timeout_ms = 60000},
                       port, log);
  }

  static std::string* dir_;
  static std::unique_ptr<Child> prom_, argus_;
  static int prom_port_, argus_port_;
};
std::string* PromqlCompatTest::dir_ = nullptr;
std::unique_ptr<Child> PromqlCompatTest::prom_, PromqlCompatTest::argus_;
int PromqlCompatTest::prom_port_ = 0, PromqlCompatTest::argus_port_ = 0;

TEST_F(PromqlCompatTest, QueriesMatchPrometheus) {
  const std::vector<std::string> corpus = LoadCorpus();
  ASSERT_GE(corpus.size(), 300u);
  const char* filter = std::getenv("PROMQL_COMPAT_FILTER");
  int passed = 0, failed = 0, nonempty = 0, asked = 0;
  std::map<std::string, int> kinds;
  for (const std::string& query : corpus) {
    if (filter != nullptr && query.find(filter) == std::string::npos) continue;
    for (const Form& form : Forms()) {
      // Both servers at once: the slower (sanitized) one sets the pace.
      auto theirs = std::async(std::launch::async, [&] { return Ask(prom_port_, form, query); });
      const Response ours = Ask(argus_port_, form, query);
      const Response want = theirs.get();
      ++asked;
      nonempty += want.code == 200 && want.body.find("\"result\":[]") == std::string::npos;
      const Diff d = CompareResponses(
          want, ours, promql_compat::IsOrderedQuery(query) && form.endpoint == "/api/v1/query");
      if (d.ok()) {
        ++passed;
        continue;
      }
      ++failed;
      ++kinds[d.kind];
      std::cout << "FAIL [" << d.kind << "] " << form.name << ": " << query << "\n" << d.text;
    }
  }
  std::string by_kind;
  for (const auto& [kind, n] : kinds)
    absl::StrAppend(&by_kind, by_kind.empty() ? "" : ", ", kind, ": ", n);
  std::cout << passed << " passed, " << failed << " failed"
            << (by_kind.empty() ? "" : " (" + by_kind + ")") << "\n";
  EXPECT_EQ(failed, 0) << passed << " passed, " << failed << " failed (differences above)";
  // The corpus must mostly produce data, or agreeing would prove little.
  EXPECT_GT(nonempty * 2, asked) << "only " << nonempty << " of " << asked
                                 << " answers from Prometheus were non-empty";
}

TEST_F(PromqlCompatTest, ParameterFormsAndErrorsMatch) {
  // Times as unix seconds and RFC 3339, durations as numbers and Go-style units, and the
  // parameter errors of both endpoints, sent as GET and as form POST.
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"/api/v1/query", "query=demo_up&time=2023-11-14T23:30:00Z"},
      {"/api/v1/query", "query=demo_up&time=2023-11-15T00:30:00.123%2B01:00"},
      {"/api/v1/query", "query=demo_up&time=1700005000.5"},
      {"/api/v1/query", "query=demo_up&time=1.7e9"},
      {"/api/v1/query", "query=demo_up&time=abc"},
      {"/api/v1/query", "time=1700005000"},
      {"/api/v1/query", "query=&time=1700005000"},
      {"/api/v1/query", "query=demo_up&time=1700005000&timeout=abc"},
      {"/api/v1/query_range", "query=demo_up&start=1700000000&end=1700003600&step=1m"},
      {"/api/v1/query_range", "query=demo_up&start=1700000000&end=1700003600&step=37.5"},
      {"/api/v1/query_range", "query=demo_up&start=1700000000&end=1700003600&step=1h30m"},
      {"/api/v1/query_range",
       "query=demo_up&start=2023-11-14T22:13:20Z&end=1700003600.25&step=90s"},
      {"/api/v1/query_range", "query=demo_up&start=1700000000&end=1700000000&step=1"},
      {"/api/v1/query_range", "query=demo_up&start=1700000000&end=1700003600&step=0"},
      {"/api/v1/query_range", "query=demo_up&start=1700000000&end=1700003600&step=-1"},
      {"/api/v1/query_range", "query=demo_up&start=1700000000&end=1700003600"},
      {"/api/v1/query_range", "query=demo_up&start=1700003600&end=1700000000&step=60"},
      {"/api/v1/query_range", "query=demo_up&start=1600000000&end=1700003600&step=60"},
      {"/api/v1/query_range", "query=demo_up&start=abc&end=1700003600&step=60"},
      {"/api/v1/query_range", "query=demo_up&end=1700003600&step=60"},
      {"/api/v1/query_range", "query=sum(&start=1700000000&end=1700003600&step=60"},
      {"/api/v1/query_range", "query=demo_up%5B5m%5D&start=1700000000&end=1700003600&step=60"},
      {"/api/v1/query_range", "query=%22str%22&start=1700000000&end=1700003600&step=60"},
  };
  for (const auto& [endpoint, params] : cases) {
    for (const bool post : {false, true}) {
      const Form form{"", endpoint, params, post};
      const Response want = Ask(prom_port_, form, "");
      const Response got = Ask(argus_port_, form, "");
      const Diff d = CompareResponses(want, got, false);
      EXPECT_TRUE(d.ok()) << (post ? "POST " : "GET ") << endpoint << "?" << params << " ["
                          << d.kind << "]\n"
                          << d.text;
    }
  }
}

TEST_F(PromqlCompatTest, PromtoolQueryOutputsMatch) {
  const std::string mid = Seconds(kStartMs + 5833123);
  const std::string from = Seconds(kStartMs + 600000), to = Seconds(kStartMs + 2 * 3600000);
  const std::vector<std::vector<std::string>> commands = {
      {"instant", "--time=" + mid, "demo_up"},
      {"instant", "--time=" + mid, "sort_desc(sum by (job) (rate(demo_requests_total[5m])))"},
      {"instant", "--time=" + mid, "-o", "json", "demo_temperature_celsius{sensor=\"a\"}"},
      {"instant", "--time=" + mid, "scalar(demo_constant)"},
      {"instant", "--time=" + mid, "\"a string\""},
      {"instant", "--time=" + mid, "demo_memory_bytes[1m]"},
      {"instant", "--time=" + mid, "sum(demo_up"},
      {"instant", "--time=" + mid, "demo_up + on(instance) group_left demo_build_info"},
      {"range", "--start=" + from, "--end=" + to, "--step=60s",
       "rate(demo_requests_total{code=\"500\"}[5m])"},
      {"range", "--start=" + from, "--end=" + to, "--step=5m", "-o", "json",
       "histogram_quantile(0.9, sum by (le, handler) "
       "(rate(demo_request_duration_seconds_bucket[5m])))"},
      {"series", "--match=demo_up", "--match=demo_build_info{version=\"v1.1.0\"}",
       "--start=" + from, "--end=" + to},
      {"series", "--match={__name__=~\"demo_(ratio|partial)\"}", "-o", "json", "--start=" + from,
       "--end=" + to},
      {"labels", "--start=" + from, "--end=" + to, "instance"},
      {"labels", "--start=" + from, "--end=" + to, "__name__"},
      {"labels", "--start=" + from, "--end=" + to, "--match=demo_label_test", "path"},
  };
  for (const auto& args : commands) {
    auto run = [&](int port) {
      std::vector<std::string> argv = {"promtool", "query", args[0]};
      // The server URL goes before the expression (instant, range) or last (series, labels).
      const bool expr = args[0] == "instant" || args[0] == "range" || args[0] == "labels";
      for (size_t i = 1; i + (expr ? 1 : 0) < args.size(); ++i) argv.push_back(args[i]);
      argv.push_back(absl::StrCat("http://127.0.0.1:", port));
      if (expr) argv.push_back(args.back());
      return RunCommand(argv);
    };
    const CommandResult want = run(prom_port_);
    const CommandResult got = run(argus_port_);
    const std::string what = absl::StrJoin(args, " ");
    EXPECT_EQ(got.exit_code, want.exit_code) << what;
    EXPECT_EQ(got.output, want.output) << what;
    EXPECT_GT(want.output.size(), 0u) << what;
  }
}

}  // namespace
}  // namespace argus::testing
