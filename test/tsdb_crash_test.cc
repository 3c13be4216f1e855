// Crash safety: a child appends and commits batches, reporting each committed one; it is
// SIGKILLed at random moments (also mid-compaction), and after each kill the database must
// hold every reported batch, and every batch must be all there or not at all.
// ARGUS_CRASH_ROUNDS overrides the number of rounds (the soak script runs many more).
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tsdb/db/db.h"
#include "tsdb_crash_batches.h"
#include "util/process.h"

namespace argus {
namespace {

// The last "committed <i>" line of the child's log, or -1.
int64_t LastReported(const std::string& log_path) {
  std::ifstream in(log_path);
  std::string line;
  int64_t last = -1;
  while (std::getline(in, line)) {
    if (line.rfind("committed ", 0) == 0 && line.back() != ' ') {
      last = std::atoll(line.c_str() + 10);
    }
  }
  return last;
}

// Checks the database and returns the number of whole batches present (0..n-1).
int64_t Verify(const std::string& dir, int64_t reported, int round) {
  tsdb::DbOptions opts;
  opts.compaction_interval_ms = 0;
  auto db = tsdb::DB::Open(dir, opts);
  EXPECT_TRUE(db.ok()) << "round " << round << ": " << db.status();
  if (!db.ok()) return -1;
  auto q = (*db)->NewQuerier(INT64_MIN, INT64_MAX);
  EXPECT_TRUE(q.ok());
  auto set = (*q)->Select(
      true, {}, {*labels::Matcher::Create(labels::MatchType::kEqual, "__name__", "crash_test")});
  std::map<int64_t, int> series_per_batch;
  while (set->Next()) {
    auto it = set->At().Iterator();
    int64_t expect = 0;
    while (it->Next()) {
      const int64_t b = static_cast<int64_t>(it->v());
      EXPECT_EQ(it->t(), crashtest::BatchTime(b)) << "round " << round;
      EXPECT_EQ(b, expect) << "round " << round << " series " << set->At().labels().ToString()
                           << ": a gap before batch " << b;
      expect = b + 1;
      ++series_per_batch[b];
    }
    EXPECT_TRUE(it->status().ok()) << it->status();
  }
  EXPECT_TRUE(set->status().ok()) << set->status();
  int64_t whole = 0;
  for (const auto& [b, n] : series_per_batch) {
    EXPECT_EQ(n, crashtest::kSeries) << "round " << round << ": batch " << b << " half visible";
    if (b == whole) ++whole;
  }
  EXPECT_GE(whole, reported + 1) << "round " << round << ": reported batch lost";
  EXPECT_TRUE((*db)->Close().ok());
  return whole;
}

TEST(TsdbCrashTest, KilledWritersLoseNothingAcknowledged) {
  const char* env_rounds = std::getenv("ARGUS_CRASH_ROUNDS");
  const int rounds = env_rounds != nullptr ? std::atoi(env_rounds) : 50;
  const std::string dir =
      (std::filesystem::temp_directory_path() / absl::StrCat("crash_test_", getpid())).string();
  std::filesystem::remove_all(dir);
  std::mt19937 rng(::testing::UnitTest::GetInstance()->random_seed());
  int64_t next = 0;
  int64_t reported_total = 0;
  for (int round = 0; round < rounds; ++round) {
    const std::string log = dir + ".log";
    std::filesystem::remove(log);
    {
      testing::Child child({ARGUS_CRASH_CHILD, dir, absl::StrCat(next)}, log);
      std::string out;
      ASSERT_TRUE(child.WaitForLog("opened", 60000, &out)) << out;
      std::this_thread::sleep_for(std::chrono::milliseconds(10 + rng() % 300));
      child.Stop(SIGKILL);
    }
    const int64_t reported = LastReported(log);
    std::ifstream in(log);
    std::stringstream all;
    all << in.rdbuf();
    ASSERT_EQ(all.str().find("commit:"), std::string::npos) << all.str();
    ASSERT_EQ(all.str().find("append batch"), std::string::npos) << all.str();
    const int64_t whole = Verify(dir, std::max(reported, next - 1), round);
    ASSERT_GE(whole, next) << "round " << round;
    if (::testing::Test::HasFailure()) break;
    reported_total += reported - next + 1;
    next = whole;
  }
  EXPECT_GT(reported_total, rounds) << "the child barely got to write";
  std::filesystem::remove_all(dir);
  std::filesystem::remove(dir + ".log");
}

}  // namespace
}  // namespace argus
