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
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gtest/gtest.h"
#include "promql_compat/compare.h"
#include "promql_compat/data_gen.h"
#include "promql_compat/differential.h"
#include "util/process.h"

namespace argus::testing {
namespace {

using promql_compat::Ask;
using promql_compat::CompareResponses;
using promql_compat::Diff;
using promql_compat::Form;
using promql_compat::Response;
using promql_compat::Seconds;

constexpr char kPrometheus[] = "/usr/bin/prometheus";
constexpr int64_t kStartMs = promql_compat::kCorpusStartMs;
constexpr int64_t kDurationMs = promql_compat::kCorpusDurationMs;

// Prometheus and the server under test on copies of the same blocks.
class PromqlCompatTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(TestDir("promql_compat"));
    {
      std::ofstream om(*dir_ + "/in.om");
      promql_compat::WriteOpenMetrics(promql_compat::CorpusData(), om);
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
  const std::vector<std::string> corpus = promql_compat::LoadCorpus();
  ASSERT_GE(corpus.size(), 300u);
  const char* filter = std::getenv("PROMQL_COMPAT_FILTER");
  const promql_compat::Tally t = promql_compat::CompareAll(
      corpus, promql_compat::Forms(kStartMs, kDurationMs), filter != nullptr ? filter : "",
      prom_port_, argus_port_, std::cout);
  EXPECT_EQ(t.failed, 0) << t.passed << " passed, " << t.failed << " failed (differences above)";
  // The corpus must mostly produce data, or agreeing would prove little.
  EXPECT_GT(t.nonempty * 2, t.asked)
      << "only " << t.nonempty << " of " << t.asked << " answers from Prometheus were non-empty";
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
