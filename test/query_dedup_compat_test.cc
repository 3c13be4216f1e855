// HA deduplication in `argus query` (Thanos's querier), end to end. The data of the PromQL
// differential test (promql_compat/data_gen: seed 5, 4 h from kStartMs, 8 instances) is split
// into two clusters by instance (even host index -> "a", odd -> "b"; series without an instance
// -> "a"), and each cluster is written twice, as HA replicas "0" and "1" that miss different
// stretches of time (kDropped): every timestamp is held by at least one replica, and both hold
// the first and the last. Four `argus server`s serve the four copies over StoreAPI, cluster and
// replica being their external labels (the files have neither); Prometheus 2.42 serves the
// gap-free data with a `cluster` series label added, so that the answers compare directly. Two
// queriers read the four servers with replica label "replica": one with
// --deduplication.func=chain, one with the default (penalty).
// - ChainEqualsPrometheus: every query of promql_compat/queries.txt in every form of the PromQL
//   differential test (differential.h) gets the same answer from the chain querier as from
//   Prometheus: chain dedup restores the union of the replicas, which is the gap-free data.
// - PenaltyMatchesModel: the raw samples (`series[5h]`) of series of several shapes, as the
//   penalty querier deduplicates them, equal an independent model of Thanos's penalty algorithm
//   applied to the two replicas' samples, and have the properties any penalty deduplication of
//   them has (CheckProperties).
// - WithoutDedupBothReplicasAppear: dedup=false shows both replicas of each cluster;
//   replicaLabels[]=cluster removes the cluster label instead of the replica label.
// - StoresListTheFourServers: /api/v1/stores shows each server with its external labels.
// Env: PROMQL_COMPAT_FILTER=substring runs only the matching queries in ChainEqualsPrometheus.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "promql_compat/data_gen.h"
#include "promql_compat/differential.h"
#include "util/process.h"

namespace argus::testing {
namespace {

using nlohmann::json;
using promql_compat::Seconds;

constexpr char kPrometheus[] = "/usr/bin/prometheus";
constexpr int64_t kStartMs = promql_compat::kCorpusStartMs;
constexpr int64_t kDurationMs = promql_compat::kCorpusDurationMs;
constexpr int64_t kMinute = 60000;

// A stretch of time one replica misses: [from, to) in ms after kStartMs. The stretches of the
// two replicas never overlap, and none reaches the first or the last scrape round.
struct Stretch {
  int replica;
  int64_t from;
  int64_t to;
};
constexpr Stretch kDropped[] = {
    {0, 40 * kMinute, 75 * kMinute},
    {0, 170 * kMinute, 185 * kMinute},
    {1, 100 * kMinute, 140 * kMinute},
};

bool Dropped(int replica, int64_t t_ms) {
  for (const Stretch& s : kDropped) {
    if (s.replica == replica && t_ms - kStartMs >= s.from && t_ms - kStartMs < s.to) return true;
  }
  return false;
}

// The series PenaltyMatchesModel follows, as data_gen writes them.
constexpr const char* kTracked[] = {
    // a counter, jittered 15 s scrapes
    "demo_requests_total{code=\"200\",instance=\"host-1:9100\",job=\"web\",method=\"GET\"}",
    // a gauge every 30 s
    "demo_temperature_celsius{instance=\"host-2:9100\",job=\"api\",sensor=\"a\"}",
    // 1 s to 10 min apart; the first also has a gap of 30 min in every replica
    "demo_sparse{instance=\"host-0:9100\",job=\"api\"}",
    "demo_sparse{instance=\"host-3:9100\",job=\"web\"}",
    // starting and ending inside the data
    "demo_partial{instance=\"host-4:9100\",job=\"api\"}",
    "demo_partial{instance=\"host-5:9100\",job=\"web\"}",
    // no label but the cluster, every 60 s
    "demo_constant",
};

// The cluster of a series in data_gen's text form, by its instance's host index.
char ClusterOf(absl::string_view series) {
  constexpr absl::string_view kHost = "instance=\"host-";
  const size_t at = series.find(kHost);
  if (at == absl::string_view::npos) return 'a';
  return std::atoi(std::string(series.substr(at + kHost.size())).c_str()) % 2 == 0 ? 'a' : 'b';
}

// "a0", "b1": the name of one cluster's replica (its files, directories and servers).
std::string ReplicaName(char cluster, int replica) {
  return absl::StrCat(std::string(1, cluster), replica);
}

struct Sample {
  int64_t t;
  double v;
};

bool Same(const Sample& x, const Sample& y) {
  return x.t == y.t && (x.v == y.v || (std::isnan(x.v) && std::isnan(y.v)));
}

bool Same(const std::vector<Sample>& x, const std::vector<Sample>& y) {
  return std::equal(x.begin(), x.end(), y.begin(), y.end(),
                    [](const Sample& a, const Sample& b) { return Same(a, b); });
}

using TrackedSamples = std::map<std::string, std::array<std::vector<Sample>, 2>>;

// Writes the test's OpenMetrics files into `dir` from data_gen's text `om`: "oracle.om" with
// every series and a cluster label added, and per cluster and replica ("a0.om" ... "b1.om") the
// cluster's series without the replica's dropped stretches, with no cluster label. The samples
// each replica keeps of the kTracked series go into `tracked`.
void WriteFiles(const std::string& om, const std::string& dir, TrackedSamples* tracked) {
  struct Out {
    std::ofstream file;
    std::string family;  // whose TYPE line it got last: families are contiguous
  };
  std::map<std::string, Out> outs;
  for (const char* name : {"oracle", "a0", "a1", "b0", "b1"}) {
    outs[name].file.open(absl::StrCat(dir, "/", name, ".om"));
  }
  std::string type_line, family;
  // A TYPE line only before a family's first sample: a file may have none of a family.
  const auto put = [&](Out& out, absl::string_view line) {
    if (out.family != family) {
      out.file << type_line << "\n";
      out.family = family;
    }
    out.file << line << "\n";
  };
  for (absl::string_view line : absl::StrSplit(om, '\n')) {
    if (line.empty() || line == "# EOF") continue;
    if (absl::StartsWith(line, "# TYPE ")) {
      type_line = std::string(line);
      family = std::string(line.substr(7, line.find(' ', 7) - 7));
      continue;
    }
    // "series value seconds.millis"
    const size_t ts_at = line.rfind(' ');
    const size_t value_at = line.rfind(' ', ts_at - 1);
    const absl::string_view series = line.substr(0, value_at);
    const absl::string_view value = line.substr(value_at + 1, ts_at - value_at - 1);
    const std::pair<absl::string_view, absl::string_view> ts =
        absl::StrSplit(line.substr(ts_at + 1), '.');
    int64_t seconds = 0, millis = 0;
    ASSERT_TRUE(absl::SimpleAtoi(ts.first, &seconds) && absl::SimpleAtoi(ts.second, &millis))
        << line;
    const int64_t t = seconds * 1000 + millis;
    const char cluster = ClusterOf(series);
    const std::string label = absl::StrCat("cluster=\"", std::string(1, cluster), "\"");
    const size_t brace = series.find('{');
    const std::string rest = absl::StrCat(" ", value, " ", line.substr(ts_at + 1));
    put(outs["oracle"], brace == absl::string_view::npos
                            ? absl::StrCat(series, "{", label, "}", rest)
                            : absl::StrCat(series.substr(0, brace + 1), label, ",",
                                           series.substr(brace + 1), rest));
    const auto it = tracked->find(std::string(series));
    for (int replica : {0, 1}) {
      if (Dropped(replica, t)) continue;
      put(outs[ReplicaName(cluster, replica)], line);
      if (it != tracked->end()) {
        it->second[replica].push_back({t, std::strtod(std::string(value).c_str(), nullptr)});
      }
    }
  }
  for (auto& [name, out] : outs) out.file << "# EOF\n";
}

// ---- The model of Thanos's penalty deduplication.
//
// Its inputs are the replicas as the stores hold them, replica "0" first (the first in label
// order), as argus's querier deduplicates them: it keeps each endpoint's chunks apart. (Thanos
// since v0.31 instead merges the endpoints' chunks, keeps identical ones once and deals them out
// to non-overlapping "replicas" (dedup.NewOverlapSplit), which are not the stores' replicas
// where the stores cut their chunks differently, and so can give other samples around gaps.)

// Thanos's dedupSeriesIterator (pkg/dedup/iter.go) over inputs `a` and `b`, without the counter
// adjustment (only under rate, increase, irate and resets): it keeps lastT, the time of the last
// sample it returned; each step moves each input forward to its first sample at or after
// lastT + 1 + that input's penalty (never backward) and returns the earlier of the two (`a` on
// a tie); the input not taken gets penalty 2 * (t - lastT), or 5000 ms for the first sample, the
// one taken penalty 0. An input that runs out stays out.
std::vector<Sample> Penalty(const std::vector<Sample>& a, const std::vector<Sample>& b) {
  std::vector<Sample> out;
  size_t ia = 0, ib = 0;
  bool a_ok = !a.empty(), b_ok = !b.empty();
  int64_t last_t = INT64_MIN, pen_a = 0, pen_b = 0;
  const auto seek = [](const std::vector<Sample>& s, size_t* i, int64_t t) {
    while (*i < s.size() && s[*i].t < t) ++*i;
    return *i < s.size();
  };
  while (true) {
    if (a_ok) a_ok = seek(a, &ia, last_t + 1 + pen_a);
    if (b_ok) b_ok = seek(b, &ib, last_t + 1 + pen_b);
    if (!a_ok && !b_ok) return out;
    const bool use_a = a_ok && (!b_ok || a[ia].t <= b[ib].t);
    const Sample taken = use_a ? a[ia] : b[ib];
    if (a_ok && b_ok) {
      (use_a ? pen_b : pen_a) = last_t == INT64_MIN ? 5000 : 2 * (taken.t - last_t);
    }
    (use_a ? pen_a : pen_b) = 0;
    last_t = taken.t;
    out.push_back(taken);
  }
}

// Checks what any penalty deduplication of the two replicas gives, whichever replica comes
// first (U: the union of the replicas' samples):
// 1. timestamps strictly increase (no sample counted twice);
// 2. every sample is one of a replica (time and value);
// 3. it starts with U's first sample and ends with U's last (both replicas hold them);
// 4. it skips samples of U only inside a penalty window: the sample after output t_k is no
//    later than U's first sample at or after reach_k = max over j <= k of t_j + 1 + p_j, where
//    p_j = 2 (t_j - t_{j-1}) and p_1 = 5000 ms. Each input is only ever moved to lastT + 1 +
//    its penalty, a penalty is only ever one of the p_j, and the earlier of the two inputs'
//    samples is taken, so both inputs stand at or before their first sample at or after reach_k.
//    Hence no gap is longer than the union's own gap after the penalty window; for a regular
//    series with interval i, a switch of replicas loses the samples within ~2i of the switch.
void CheckProperties(const std::vector<Sample>& got, const std::array<std::vector<Sample>, 2>& r) {
  std::vector<Sample> u;
  std::merge(r[0].begin(), r[0].end(), r[1].begin(), r[1].end(), std::back_inserter(u),
             [](const Sample& x, const Sample& y) { return x.t < y.t; });
  u.erase(
      std::unique(u.begin(), u.end(), [](const Sample& x, const Sample& y) { return x.t == y.t; }),
      u.end());
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got.front().t, u.front().t) << "the first sample is missing";
  EXPECT_EQ(got.back().t, u.back().t) << "the last sample is missing";
  const auto held = [](const std::vector<Sample>& s, const Sample& x) {
    auto it = std::lower_bound(s.begin(), s.end(), x.t,
                               [](const Sample& a, int64_t t) { return a.t < t; });
    return it != s.end() && Same(*it, x);
  };
  int64_t reach = INT64_MIN;
  for (size_t k = 0; k < got.size(); ++k) {
    const Sample& x = got[k];
    EXPECT_TRUE(held(r[0], x) || held(r[1], x))
        << "sample " << x.v << " @" << x.t << " is in neither replica";
    if (k == 0) {
      reach = x.t + 1 + 5000;
      continue;
    }
    const int64_t last = got[k - 1].t;
    EXPECT_GT(x.t, last) << "timestamps do not increase at output sample " << k;
    auto next = std::lower_bound(u.begin(), u.end(), reach,
                                 [](const Sample& a, int64_t t) { return a.t < t; });
    if (next != u.end()) {
      EXPECT_LE(x.t, next->t) << "output jumps from " << Seconds(last) << " to " << Seconds(x.t)
                              << " past " << Seconds(next->t) << " (penalty window ends at "
                              << Seconds(reach) << ")";
    }
    reach = std::max(reach, x.t + 1 + 2 * (x.t - last));
  }
}

// The samples around index `i` of `s` ("+750.5s 3.25": seconds after kStartMs, value), index
// `i` marked with '>', for failure messages.
std::string Around(const std::vector<Sample>& s, size_t i) {
  std::string out;
  for (size_t k = i < 3 ? 0 : i - 3; k < std::min(s.size(), i + 4); ++k) {
    absl::StrAppend(&out, k == i ? " >" : "  ", "+", (s[k].t - kStartMs) / 1000.0, "s ", s[k].v);
  }
  return out;
}

// Where `got` first differs from `want`, with the samples around it.
std::string FirstDifference(const std::vector<Sample>& want, const std::vector<Sample>& got) {
  size_t i = 0;
  while (i < want.size() && i < got.size() && Same(want[i], got[i])) ++i;
  return absl::StrCat(want.size(), " samples expected, ", got.size(), " got; first difference at ",
                      i, "\n  model:  ", Around(want, i), "\n  server: ", Around(got, i));
}

// ---- HTTP answers.

// The samples of the one series of a range-vector answer, its labels in *metric.
std::vector<Sample> MatrixSamples(const std::string& body, json* metric) {
  const json j = json::parse(body, nullptr, false);
  std::vector<Sample> out;
  const json result =
      j.is_object() ? j.value("data", json::object()).value("result", json()) : json();
  if (!result.is_array() || result.size() != 1) {
    ADD_FAILURE() << "not one series: " << body.substr(0, 2000);
    return out;
  }
  *metric = result[0]["metric"];
  for (const json& p : result[0]["values"]) {
    out.push_back({std::llround(p[0].get<double>() * 1000),
                   std::strtod(p[1].get<std::string>().c_str(), nullptr)});
  }
  return out;
}

// The labels of a series in data_gen's text form, plus cluster, as the API prints them.
json MetricOf(const std::string& series) {
  json m = json::object();
  const size_t brace = series.find('{');
  m["__name__"] = series.substr(0, brace);
  if (brace != std::string::npos) {
    for (absl::string_view l : absl::StrSplit(
             absl::string_view(series).substr(brace + 1, series.size() - brace - 2), ',')) {
      const std::pair<std::string, std::string> kv = absl::StrSplit(l, '=');
      m[kv.first] = kv.second.substr(1, kv.second.size() - 2);
    }
  }
  m["cluster"] = std::string(1, ClusterOf(series));
  return m;
}

// An instant vector as {labels (JSON): value}; {"error": body} when the request failed.
std::map<std::string, std::string> Vector(int code, const std::string& body) {
  const json j = json::parse(body, nullptr, false);
  const json result =
      j.is_object() ? j.value("data", json::object()).value("result", json()) : json();
  if (code != 200 || !result.is_array()) return {{"error", body}};
  std::map<std::string, std::string> out;
  for (const json& s : result) out[s["metric"].dump()] = s["value"][1].get<std::string>();
  return out;
}

// /api/v1/series as {"cluster=X replica=Y": count} ("-" for an absent label).
std::map<std::string, int> SeriesByReplica(int code, const std::string& body) {
  const json j = json::parse(body, nullptr, false);
  const json data = j.is_object() ? j.value("data", json()) : json();
  if (code != 200 || !data.is_array()) return {{"error: " + body, 0}};
  std::map<std::string, int> out;
  for (const json& s : data) {
    ++out[absl::StrCat("cluster=", s.value("cluster", "-"), " replica=", s.value("replica", "-"))];
  }
  return out;
}

// The endpoints /api/v1/stores lists, whatever their component type (-1: no answer).
int StoresListed(int port, std::string* body) {
  if (HttpGet(port, "/api/v1/stores", body) != 200) return -1;
  const json j = json::parse(*body, nullptr, false);
  const json data = j.is_object() ? j.value("data", json()) : json();
  if (!data.is_object()) return -1;
  int n = 0;
  for (const auto& [type, endpoints] : data.items()) n += static_cast<int>(endpoints.size());
  return n;
}

// ---- The servers.

class QueryDedupTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const auto begin = std::chrono::steady_clock::now();
    dir_ = new std::string(TestDir("query_dedup_compat"));
    servers_ = new std::vector<std::unique_ptr<Child>>();
    grpc_ = new std::map<std::string, std::string>();
    tracked_ = new TrackedSamples();
    for (const char* s : kTracked) (*tracked_)[s];
    {
      std::ostringstream om;
      promql_compat::WriteOpenMetrics(promql_compat::CorpusData(), om);
      WriteFiles(om.str(), *dir_, tracked_);
    }
    // Each file's blocks into the data directory of the server that serves them.
    std::vector<std::future<CommandResult>> runs;
    for (const std::string name : {"oracle", "a0", "a1", "b0", "b1"}) {
      runs.push_back(std::async(std::launch::async, [name] {
        return RunCommand({"promtool", "tsdb", "create-blocks-from", "openmetrics",
                           *dir_ + "/" + name + ".om", *dir_ + "/" + name});
      }));
    }
    for (auto& run : runs) {
      const CommandResult r = run.get();
      ASSERT_EQ(r.exit_code, 0) << r.output.substr(0, 2000);
    }
    std::ofstream(*dir_ + "/prometheus.yml") << "global:\n  scrape_interval: 1h\n";
    std::string log;
    prom_ = StartServer({.command = {kPrometheus},
                         .config_file = *dir_ + "/prometheus.yml",
                         .data_dir = *dir_ + "/oracle",
                         .extra_flags = {"--storage.tsdb.retention.time=100y"},
                         .log_path = *dir_ + "/prom.log",
                         .ready_timeout_ms = 60000},
                        &prom_port_, &log);
    ASSERT_NE(prom_, nullptr) << log;
    std::vector<std::string> endpoints;
    for (char cluster : {'a', 'b'}) {
      for (int replica : {0, 1}) {
        const std::string name = ReplicaName(cluster, replica);
        std::ofstream(*dir_ + "/" + name + ".yml")
            << "global:\n  scrape_interval: 1h\n  external_labels:\n    cluster: " << cluster
            << "\n    replica: \"" << replica << "\"\n";
        const std::string grpc = absl::StrCat("127.0.0.1:", FreePort());
        int port = 0;
        auto server = StartServer(
            {.command = {ArgusBinary(), "server"},
             .config_file = *dir_ + "/" + name + ".yml",
             .data_dir = *dir_ + "/" + name,
             .extra_flags = {"--storage.tsdb.retention.time=100y", "--grpc-address=" + grpc},
             .log_path = *dir_ + "/" + name + ".log",
             .ready_timeout_ms = 60000},
            &port, &log);
        ASSERT_NE(server, nullptr) << log;
        servers_->push_back(std::move(server));
        endpoints.push_back("--endpoint=" + grpc);
        (*grpc_)[name] = grpc;
      }
    }
    chain_ = StartQuerier("chain", endpoints, {"--deduplication.func=chain"}, &chain_port_);
    ASSERT_NE(chain_, nullptr);
    penalty_ = StartQuerier("penalty", endpoints, {}, &penalty_port_);
    ASSERT_NE(penalty_, nullptr);
    std::cout << "set up in "
              << std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                                  begin)
                     .count()
              << " s\n";
  }

  static void TearDownTestSuite() {
    penalty_.reset();
    chain_.reset();
    delete servers_;
    delete grpc_;
    prom_.reset();
    std::filesystem::remove_all(*dir_);
    delete dir_;
    delete tracked_;
  }

  // Starts `argus query` over `endpoints` with replica label "replica" and `flags`, and waits
  // until it is ready and lists all four endpoints (nullptr, with its log reported, if not
  // within a minute).
  static std::unique_ptr<Child> StartQuerier(const std::string& name,
                                             const std::vector<std::string>& endpoints,
                                             const std::vector<std::string>& flags, int* port) {
    *port = FreePort();
    // `--grpc-address=`: no StoreAPI of its own.
    std::vector<std::string> argv = {ArgusBinary(), "query",
                                     absl::StrCat("--http-address=127.0.0.1:", *port),
                                     "--grpc-address=", "--query.replica-label=replica"};
    argv.insert(argv.end(), endpoints.begin(), endpoints.end());
    argv.insert(argv.end(), flags.begin(), flags.end());
    auto child = std::make_unique<Child>(argv, *dir_ + "/" + name + ".log");
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    std::string body;
    while (std::chrono::steady_clock::now() < deadline) {
      std::string ready;
      if (HttpGet(*port, "/-/ready", &ready) == 200 &&
          StoresListed(*port, &body) == static_cast<int>(endpoints.size())) {
        return child;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    std::string log;
    child->WaitForLog("", 0, &log);
    ADD_FAILURE() << "querier " << name << " not ready with " << endpoints.size()
                  << " endpoints; /api/v1/stores: " << body << "\nlog:\n"
                  << log.substr(0, 4000);
    return nullptr;
  }

  static std::string* dir_;
  static TrackedSamples* tracked_;
  static std::unique_ptr<Child> prom_, chain_, penalty_;
  static std::vector<std::unique_ptr<Child>>* servers_;
  static std::map<std::string, std::string>* grpc_;  // each server's StoreAPI address, by name
  static int prom_port_, chain_port_, penalty_port_;
};
std::string* QueryDedupTest::dir_ = nullptr;
TrackedSamples* QueryDedupTest::tracked_ = nullptr;
std::unique_ptr<Child> QueryDedupTest::prom_, QueryDedupTest::chain_, QueryDedupTest::penalty_;
std::vector<std::unique_ptr<Child>>* QueryDedupTest::servers_ = nullptr;
std::map<std::string, std::string>* QueryDedupTest::grpc_ = nullptr;
int QueryDedupTest::prom_port_ = 0, QueryDedupTest::chain_port_ = 0,
    QueryDedupTest::penalty_port_ = 0;

TEST_F(QueryDedupTest, ChainEqualsPrometheus) {
  const std::vector<std::string> corpus = promql_compat::LoadCorpus();
  ASSERT_GE(corpus.size(), 300u);
  const char* filter = std::getenv("PROMQL_COMPAT_FILTER");
  const auto begin = std::chrono::steady_clock::now();
  const promql_compat::Tally t = promql_compat::CompareAll(
      corpus, promql_compat::Forms(kStartMs, kDurationMs), filter != nullptr ? filter : "",
      prom_port_, chain_port_, std::cout);
  std::cout << t.asked << " asked in "
            << std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() -
                                                                begin)
                   .count()
            << " s\n";
  EXPECT_EQ(t.failed, 0) << t.passed << " passed, " << t.failed << " failed (differences above)";
  // The corpus must mostly produce data, or agreeing would prove little.
  EXPECT_GT(t.nonempty * 2, t.asked)
      << "only " << t.nonempty << " of " << t.asked << " answers from Prometheus were non-empty";
}

TEST_F(QueryDedupTest, PenaltyMatchesModel) {
  // Every sample: the range reaches from before the start to after the end of the data.
  const std::string at = Seconds(kStartMs + kDurationMs + kMinute);
  for (const char* series : kTracked) {
    SCOPED_TRACE(series);
    const std::array<std::vector<Sample>, 2>& replicas = tracked_->at(series);
    ASSERT_GT(replicas[0].size(), 10u);
    ASSERT_GT(replicas[1].size(), 10u);
    const std::vector<Sample> want = Penalty(replicas[0], replicas[1]);
    std::string body;
    ASSERT_EQ(HttpGet(penalty_port_,
                      absl::StrCat("/api/v1/query?query=", UrlEncode(absl::StrCat(series, "[5h]")),
                                   "&time=", at),
                      &body),
              200)
        << body;
    json metric;
    const std::vector<Sample> got = MatrixSamples(body, &metric);
    EXPECT_EQ(metric, MetricOf(series));
    CheckProperties(got, replicas);
    const char cluster = ClusterOf(series);
    EXPECT_TRUE(Same(want, got)) << FirstDifference(want, got) << "\n  replica 0 on "
                                 << grpc_->at(ReplicaName(cluster, 0)) << ", replica 1 on "
                                 << grpc_->at(ReplicaName(cluster, 1))
                                 << "; the model with replica 1 first "
                                 << (Same(Penalty(replicas[1], replicas[0]), got)
                                         ? "matches"
                                         : "does not match");
    std::cout << series << ": " << got.size() << " samples from replicas of " << replicas[0].size()
              << " and " << replicas[1].size() << "\n";
  }
}

TEST_F(QueryDedupTest, WithoutDedupBothReplicasAppear) {
  // Every replica holds every series at this time.
  const std::string at = Seconds(kStartMs + 20 * kMinute);
  const auto count = [&](const std::string& params) {
    std::string body;
    const int code = HttpGet(
        penalty_port_,
        absl::StrCat("/api/v1/query?query=", UrlEncode("count by (cluster, replica) (demo_up)"),
                     "&time=", at, params),
        &body);
    return Vector(code, body);
  };
  using Groups = std::map<std::string, std::string>;
  EXPECT_EQ(count("&dedup=false"), (Groups{{R"({"cluster":"a","replica":"0"})", "4"},
                                           {R"({"cluster":"a","replica":"1"})", "4"},
                                           {R"({"cluster":"b","replica":"0"})", "4"},
                                           {R"({"cluster":"b","replica":"1"})", "4"}}));
  const Groups deduplicated = {{R"({"cluster":"a"})", "4"}, {R"({"cluster":"b"})", "4"}};
  EXPECT_EQ(count(""), deduplicated);
  EXPECT_EQ(count("&dedup=true"), deduplicated);
  // Cluster as the replica label: no two series differ only in it, so nothing merges.
  EXPECT_EQ(count("&replicaLabels%5B%5D=cluster"),
            (Groups{{R"({"replica":"0"})", "8"}, {R"({"replica":"1"})", "8"}}));

  const auto series = [&](const std::string& params) {
    std::string body;
    const int code =
        HttpGet(penalty_port_,
                absl::StrCat("/api/v1/series?match%5B%5D=demo_up&start=", Seconds(kStartMs),
                             "&end=", Seconds(kStartMs + kDurationMs), params),
                &body);
    return SeriesByReplica(code, body);
  };
  using Counts = std::map<std::string, int>;
  EXPECT_EQ(series("&dedup=false"), (Counts{{"cluster=a replica=0", 4},
                                            {"cluster=a replica=1", 4},
                                            {"cluster=b replica=0", 4},
                                            {"cluster=b replica=1", 4}}));
  EXPECT_EQ(series(""), (Counts{{"cluster=a replica=-", 4}, {"cluster=b replica=-", 4}}));
  EXPECT_EQ(series("&replicaLabels%5B%5D=cluster"),
            (Counts{{"cluster=- replica=0", 8}, {"cluster=- replica=1", 8}}));
}

TEST_F(QueryDedupTest, StoresListTheFourServers) {
  std::string body;
  ASSERT_EQ(StoresListed(penalty_port_, &body), 4) << body;
  const json stores = json::parse(body)["data"];
  std::multiset<std::string> label_sets;
  for (const auto& [type, endpoints] : stores.items()) {
    for (const json& e : endpoints) {
      label_sets.insert(e["labelSets"].dump());
      EXPECT_TRUE(e["lastError"].is_null()) << e.dump();
      // Cluster b has no global series: its data starts with the first instance's phase.
      EXPECT_GE(e["minTime"].get<int64_t>(), kStartMs) << e.dump();
      EXPECT_LT(e["minTime"].get<int64_t>(), kStartMs + 15000) << e.dump();
      EXPECT_GE(e["maxTime"].get<int64_t>(), kStartMs + kDurationMs - kMinute) << e.dump();
    }
  }
  EXPECT_EQ(label_sets,
            (std::multiset<std::string>{
                R"([{"cluster":"a","replica":"0"}])", R"([{"cluster":"a","replica":"1"}])",
                R"([{"cluster":"b","replica":"0"}])", R"([{"cluster":"b","replica":"1"}])"}));
}

}  // namespace
}  // namespace argus::testing
