// Argus <-> Prometheus through backfilled blocks: the same OpenMetrics input is turned into
// blocks by the real promtool (Debian prometheus 2.42) and by `argus tools tsdb
// create-blocks-from openmetrics`. The blocks must hold the same chunks byte for byte; promtool
// must analyze and dump Argus's blocks as exactly the input samples; and a real Prometheus
// started on Argus's data directory must serve those samples over its HTTP API.
#include <signal.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "tsdb/tools/tools.h"
#include "util/openmetrics_gen.h"
#include "util/process.h"

namespace argus::testing {
namespace {

class BackfillCompatTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new std::string(::testing::TempDir() + "/backfill_compat_" + std::to_string(getpid()));
    std::filesystem::remove_all(*dir_);
    std::filesystem::create_directories(*dir_);
    std::ofstream(*dir_ + "/in.om") << GenerateOpenMetrics(7, 18, 1200);
    CommandResult theirs = RunCommand({"promtool", "tsdb", "create-blocks-from", "openmetrics",
                                       *dir_ + "/in.om", *dir_ + "/promtool"});
    ASSERT_EQ(theirs.exit_code, 0) << theirs.output;
    CommandResult ours = RunCommand({ArgusBinary(), "tools", "tsdb", "create-blocks-from",
                                     "openmetrics", *dir_ + "/in.om", *dir_ + "/argus"});
    ASSERT_EQ(ours.exit_code, 0) << ours.output;
    ASSERT_NE(ours.output.find("BLOCK ULID"), std::string::npos) << ours.output;
    // promtool's dump opens a DB, which needs a wal/ directory.
    std::filesystem::create_directories(*dir_ + "/promtool/wal");
    std::filesystem::create_directories(*dir_ + "/argus/wal");
  }
  static void TearDownTestSuite() {
    std::filesystem::remove_all(*dir_);
    delete dir_;
  }
  static std::string* dir_;
};
std::string* BackfillCompatTest::dir_ = nullptr;

TEST_F(BackfillCompatTest, ChunksAndIndexAreByteIdenticalToPromtools) {
  auto ours = tsdb::tools::OpenBlocks(Env::Default(), *dir_ + "/argus");
  auto theirs = tsdb::tools::OpenBlocks(Env::Default(), *dir_ + "/promtool");
  ASSERT_TRUE(ours.ok() && theirs.ok());
  ASSERT_EQ(ours->size(), theirs->size());
  ASSERT_GT(ours->size(), 2u);
  int chunks = 0;
  for (size_t i = 0; i < ours->size(); ++i) {
    const auto& a = *(*ours)[i];
    const auto& b = *(*theirs)[i];
    EXPECT_EQ(a.meta().min_time, b.meta().min_time);
    EXPECT_EQ(a.meta().max_time, b.meta().max_time);
    EXPECT_EQ(a.meta().stats.num_samples, b.meta().stats.num_samples);
    EXPECT_EQ(a.meta().stats.num_chunks, b.meta().stats.num_chunks);
    EXPECT_EQ(a.meta().stats.num_series, b.meta().stats.num_series);
    auto ra = a.index().AllPostings();
    auto rb = b.index().AllPostings();
    ASSERT_TRUE(ra.ok() && rb.ok());
    ASSERT_EQ(ra->size(), rb->size());
    for (size_t s = 0; s < ra->size(); ++s) {
      auto sa = a.index().Series((*ra)[s]);
      auto sb = b.index().Series((*rb)[s]);
      ASSERT_TRUE(sa.ok() && sb.ok());
      ASSERT_EQ(sa->labels, sb->labels);
      ASSERT_EQ(sa->chunks.size(), sb->chunks.size()) << sa->labels.ToString();
      for (size_t c = 0; c < sa->chunks.size(); ++c) {
        EXPECT_EQ(sa->chunks[c].min_time, sb->chunks[c].min_time);
        EXPECT_EQ(sa->chunks[c].max_time, sb->chunks[c].max_time);
        auto ca = a.chunks().Read(sa->chunks[c].ref);
        auto cb = b.chunks().Read(sb->chunks[c].ref);
        ASSERT_TRUE(ca.ok() && cb.ok());
        ASSERT_EQ(std::string(ca->data), std::string(cb->data)) << sa->labels.ToString();
        ++chunks;
      }
    }
  }
  EXPECT_GT(chunks, 100);
  // The index files too: same symbols (the empty string first), series, postings and tables.
  for (size_t i = 0; i < ours->size(); ++i) {
    auto a = Env::Default()->ReadFile((*ours)[i]->dir() + "/index");
    auto b = Env::Default()->ReadFile((*theirs)[i]->dir() + "/index");
    ASSERT_TRUE(a.ok() && b.ok());
    EXPECT_TRUE(*a == *b) << "index of block " << i << " differs from promtool's";
  }
}

TEST_F(BackfillCompatTest, PromtoolAnalyzesAndDumpsArgusBlocks) {
  CommandResult analyze = RunCommand({"promtool", "tsdb", "analyze", *dir_ + "/argus"});
  EXPECT_EQ(analyze.exit_code, 0) << analyze.output.substr(0, 2000);
  CommandResult ours = RunCommand({"promtool", "tsdb", "dump", *dir_ + "/argus"});
  CommandResult theirs = RunCommand({"promtool", "tsdb", "dump", *dir_ + "/promtool"});
  ASSERT_EQ(ours.exit_code, 0) << ours.output.substr(0, 2000);
  EXPECT_EQ(ours.output, theirs.output);
  // Exactly the input: one dump line per sample line of the input.
  std::ifstream in(*dir_ + "/in.om");
  size_t input_samples = 0;
  for (std::string line; std::getline(in, line);) input_samples += line[0] != '#';
  EXPECT_EQ(static_cast<size_t>(std::count(ours.output.begin(), ours.output.end(), '\n')),
            input_samples);
}

TEST_F(BackfillCompatTest, ArgusDumpMatchFilterEqualsPromtools) {
  const std::string match = "--match={job=\"node\", __name__=~\"argus_gen_[13]_metric\"}";
  CommandResult ours =
      RunCommand({ArgusBinary(), "tools", "tsdb", "dump", match, *dir_ + "/promtool"});
  CommandResult theirs = RunCommand({"promtool", "tsdb", "dump", match, *dir_ + "/promtool"});
  ASSERT_EQ(ours.exit_code, 0) << ours.output.substr(0, 2000);
  ASSERT_EQ(theirs.exit_code, 0) << theirs.output.substr(0, 2000);
  EXPECT_GT(ours.output.size(), 1000u);
  EXPECT_EQ(ours.output, theirs.output);
}

// The input's samples as "labels value timestamp" lines, the way promtool dumps them.
std::map<std::string, std::vector<std::pair<int64_t, std::string>>> InputSamples(
    const std::string& dump) {
  std::map<std::string, std::vector<std::pair<int64_t, std::string>>> out;
  for (absl::string_view line : absl::StrSplit(dump, '\n', absl::SkipEmpty())) {
    const size_t t_at = line.rfind(' ');
    const size_t v_at = line.rfind(' ', t_at - 1);
    int64_t t;
    if (!absl::SimpleAtoi(line.substr(t_at + 1), &t)) continue;
    out[std::string(line.substr(0, v_at))].emplace_back(
        t, std::string(line.substr(v_at + 1, t_at - v_at - 1)));
  }
  return out;
}

// The same float, however each side formats it (dump: %g style; API: plain decimal).
bool SameValue(const std::string& a, const std::string& b) {
  const double x = std::strtod(a.c_str(), nullptr), y = std::strtod(b.c_str(), nullptr);
  return x == y || (std::isnan(x) && std::isnan(y));
}

// A Prometheus API time parameter: seconds with millisecond decimals.
std::string Seconds(int64_t ms) { return absl::StrFormat("%d.%03d", ms / 1000, ms % 1000); }

TEST_F(BackfillCompatTest, PrometheusServesArgusBlocks) {
  const int port = FreePort();
  ASSERT_GT(port, 0);
  const std::string data = *dir_ + "/argus";
  std::ofstream(*dir_ + "/prometheus.yml") << "global:\n  scrape_interval: 1h\n";
  Child prom({"prometheus", "--config.file=" + *dir_ + "/prometheus.yml",
              "--storage.tsdb.path=" + data, "--storage.tsdb.retention.time=100y",
              "--web.listen-address=127.0.0.1:" + std::to_string(port)},
             *dir_ + "/prometheus.log");
  std::string log;
  ASSERT_TRUE(prom.WaitForLog("Server is ready to receive web requests", 60000, &log)) << log;

  CommandResult dump = RunCommand({"promtool", "tsdb", "dump", *dir_ + "/promtool"});
  ASSERT_EQ(dump.exit_code, 0);
  const auto want = InputSamples(dump.output);
  ASSERT_FALSE(want.empty());
  // A regular 15s series through query_range with the step on its sample times.
  for (const auto& [series, samples] : want) {
    if (series.find("argus_gen_0_metric") == std::string::npos) continue;
    const int64_t start = samples.front().first, end = samples[200].first;
    std::string body;
    const std::string query =
        "/api/v1/query_range?query=" + UrlEncode(series) +
        absl::StrCat("&start=", Seconds(start), "&end=", Seconds(end), "&step=15s");
    ASSERT_EQ(HttpGet(port, query, &body), 200) << body;
    auto j = nlohmann::json::parse(body);
    ASSERT_EQ(j["status"], "success") << body;
    ASSERT_EQ(j["data"]["result"].size(), 1u) << body;
    const auto& values = j["data"]["result"][0]["values"];
    ASSERT_EQ(values.size(), 201u);
    for (size_t i = 0; i < values.size(); ++i) {
      EXPECT_EQ(static_cast<int64_t>(values[i][0].get<double>() * 1000 + 0.5), samples[i].first);
      EXPECT_TRUE(SameValue(values[i][1].get<std::string>(), samples[i].second))
          << series << " #" << i << ": " << values[i][1] << " vs " << samples[i].second;
    }
    break;
  }
  // Every sample of every series, through a range selector at the last timestamp.
  int64_t last = 0;
  for (const auto& [series, samples] : want) last = std::max(last, samples.back().first);
  std::string body;
  ASSERT_EQ(HttpGet(port,
                    absl::StrCat("/api/v1/query?query=", UrlEncode("{job=\"node\"}[100d]"),
                                 "&time=", Seconds(last)),
                    &body),
            200)
      << body;
  auto j = nlohmann::json::parse(body);
  ASSERT_EQ(j["data"]["result"].size(), want.size());
  size_t compared = 0;
  for (const auto& r : j["data"]["result"]) {
    std::vector<std::string> parts;
    std::string name = r["metric"]["__name__"];
    std::string lbl = "{__name__=\"" + name + "\"";
    for (const auto& [k, v] : r["metric"].items()) {
      if (k != "__name__") lbl += ", " + k + "=\"" + v.get<std::string>() + "\"";
    }
    lbl += "}";
    auto it = want.find(lbl);
    ASSERT_NE(it, want.end()) << lbl;
    ASSERT_EQ(r["values"].size(), it->second.size()) << lbl;
    for (size_t i = 0; i < it->second.size(); ++i) {
      EXPECT_EQ(static_cast<int64_t>(r["values"][i][0].get<double>() * 1000 + 0.5),
                it->second[i].first);
      EXPECT_TRUE(SameValue(r["values"][i][1].get<std::string>(), it->second[i].second))
          << lbl << ": " << r["values"][i][1] << " vs " << it->second[i].second;
      ++compared;
    }
  }
  EXPECT_EQ(compared,
            static_cast<size_t>(std::count(dump.output.begin(), dump.output.end(), '\n')));
  prom.Stop(SIGTERM);
}

}  // namespace
}  // namespace argus::testing
