#include "tsdb/wlog/repair.h"

#include "absl/cleanup/cleanup.h"
#include "base/logging.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tsdb/wlog/test_util.h"
#include "tsdb/wlog/wlog.h"

namespace argus::tsdb::wlog {
namespace {

using testing::FileBytes;
using testing::RandomBytes;
using testing::ReadAll;
using testing::WriteBytes;

class RepairTest : public testing::TempDirTest {
 protected:
  void Write(Env* env, const std::vector<std::string>& recs, Options o) {
    auto w = WAL::Open(env, dir_, o);
    ASSERT_TRUE(w.ok()) << w.status();
    for (const std::string& r : recs) ASSERT_TRUE((*w)->Log(r).ok());
    ASSERT_TRUE((*w)->Close().ok());
  }
  std::string Seg(int i) { return SegmentPath(dir_, i); }

  // Cuts segment 0 at every `stride`-th offset up to its data end (and a few in the padding)
  // and checks: the reader returns exactly the records wholly present, then ends or fails;
  // Repair then leaves exactly the records read, and a WAL opened afterwards appends to them.
  void TornTailAtEveryOffset(bool compress, int stride) {
    // Thousands of repairs would log thousands of warnings.
    ASSERT_TRUE(log::Configure("error", "logfmt").ok());
    absl::Cleanup restore = [] { (void)log::Configure("info", "logfmt"); };
    testing::NoSyncEnv env;
    std::mt19937_64 rng(compress ? 7 : 8);
    std::vector<std::string> recs = {RandomBytes(rng, 10),
                                     testing::Compressible(rng, 300),
                                     "",
                                     RandomBytes(rng, 33000),
                                     testing::Compressible(rng, compress ? 50000 : 3000),
                                     RandomBytes(rng, 5)};
    Write(&env, recs, {.compress = compress});
    const std::string full = FileBytes(Seg(0));
    auto clean = ReadAll(&env, dir_);
    ASSERT_TRUE(clean.status.ok());
    ASSERT_EQ(clean.records, recs);
    const int64_t data_end = clean.ends.back().second;
    std::vector<int64_t> cuts;
    for (int64_t x = 0; x <= data_end + 8; x += stride) cuts.push_back(x);
    for (int64_t x : {data_end, data_end + 1000, static_cast<int64_t>(full.size()) - 1}) {
      cuts.push_back(x);
    }
    int errors = 0;
    for (int64_t cut : cuts) {
      SCOPED_TRACE(cut);
      std::filesystem::remove(Seg(1));  // written after an earlier repair
      WriteBytes(Seg(0), full.substr(0, cut));
      // A record survives when its bytes are all there, or the missing ones were zeros anyway.
      size_t intact = 0;
      while (intact < recs.size()) {
        const int64_t end = clean.ends[intact].second;
        if (end > cut && full.find_first_not_of('\0', cut) < static_cast<size_t>(end)) break;
        ++intact;
      }
      auto got = ReadAll(&env, dir_);
      ASSERT_GE(got.records.size(), intact);
      ASSERT_TRUE(std::equal(recs.begin(), recs.begin() + intact, got.records.begin()));
      if (got.records.size() > intact) {
        // A full fragment's header cut right after its type byte reads as an empty record
        // (zero length, zero CRC), exactly as in Prometheus.
        ASSERT_EQ(got.records.size(), intact + 1);
        ASSERT_TRUE(got.records.back().empty()) << got.records.back().size() << " bytes";
      }
      if (got.status.ok()) continue;
      ++errors;
      auto info = GetCorruption(got.status);
      ASSERT_TRUE(info.has_value()) << got.status;
      ASSERT_EQ(info->segment, 0);
      ASSERT_TRUE(Repair(&env, dir_, *info).ok());
      auto repaired = ReadAll(&env, dir_);
      ASSERT_TRUE(repaired.status.ok()) << repaired.status;
      ASSERT_EQ(repaired.records, got.records);
      ASSERT_EQ(FileBytes(Seg(0)).size() % kPageSize, 0u);
      if (errors % 16 != 1) continue;  // appending after a repair: a sample suffices
      auto w = WAL::Open(&env, dir_, {.compress = compress});
      ASSERT_TRUE(w.ok());
      ASSERT_TRUE((*w)->Log("after repair").ok());
      ASSERT_TRUE((*w)->Close().ok());
      auto again = ReadAll(&env, dir_);
      ASSERT_TRUE(again.status.ok()) << again.status;
      ASSERT_EQ(again.records.size(), got.records.size() + 1);
      ASSERT_EQ(again.records.back(), "after repair");
    }
    EXPECT_GT(errors, static_cast<int>(cuts.size()) / 2);
  }
};

TEST_F(RepairTest, TornTailAtEveryOffsetUncompressed) { TornTailAtEveryOffset(false, 1); }
TEST_F(RepairTest, TornTailAtManyOffsetsCompressed) { TornTailAtEveryOffset(true, 7); }

TEST_F(RepairTest, CorruptMiddleSegmentDropsItsTailAndLaterSegments) {
  std::mt19937_64 rng(3);
  std::vector<std::string> recs;
  for (int i = 0; i < 100; ++i) recs.push_back(RandomBytes(rng, 2000));
  Write(Env::Default(), recs, {.segment_size = 2 * kPageSize, .compress = false});
  auto clean = ReadAll(Env::Default(), dir_);
  ASSERT_TRUE(clean.status.ok());
  ASSERT_GE(clean.ends.back().first, 2);
  // Flip a byte inside the fifth record of segment 1.
  size_t first_in_1 = 0;
  while (clean.ends[first_in_1].first != 1) ++first_in_1;
  const size_t victim = first_in_1 + 4;
  std::string seg = FileBytes(Seg(1));
  seg[clean.ends[victim].second - 10] ^= 1;
  WriteBytes(Seg(1), seg);
  auto bad = ReadAll(Env::Default(), dir_);
  auto info = GetCorruption(bad.status);
  ASSERT_TRUE(info.has_value()) << bad.status;
  EXPECT_EQ(info->segment, 1);
  ASSERT_EQ(bad.records.size(), victim);

  ASSERT_TRUE(Repair(Env::Default(), dir_, *info).ok());
  EXPECT_FALSE(std::filesystem::exists(Seg(2)));
  auto r = ReadAll(Env::Default(), dir_);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.records, std::vector<std::string>(recs.begin(), recs.begin() + victim));
}

TEST_F(RepairTest, OpenWalRepairsAndWritesAfterTheRepairedSegment) {
  std::mt19937_64 rng(4);
  std::vector<std::string> recs;
  for (int i = 0; i < 20; ++i) recs.push_back(RandomBytes(rng, 5000));
  Write(Env::Default(), recs, {.segment_size = 2 * kPageSize});
  auto clean = ReadAll(Env::Default(), dir_);
  const int last = clean.ends.back().first;
  ASSERT_GE(last, 1);
  // Tear the last segment in its last record, as a crash would.
  const std::string seg = FileBytes(Seg(last));
  WriteBytes(Seg(last), seg.substr(0, clean.ends.back().second - 3));

  // Prometheus's order: open the writer (a new empty segment), replay, repair on error.
  auto w = WAL::Open(Env::Default(), dir_, {.segment_size = 2 * kPageSize});
  ASSERT_TRUE(w.ok());
  EXPECT_EQ((*w)->ActiveSegment(), last + 1);
  auto replay = ReadAll(Env::Default(), dir_);
  ASSERT_FALSE(replay.status.ok());
  ASSERT_EQ(replay.records.size(), recs.size() - 1);
  auto info = GetCorruption(replay.status);
  ASSERT_TRUE(info.has_value());
  ASSERT_TRUE((*w)->Repair(*info).ok());
  EXPECT_EQ((*w)->ActiveSegment(), last + 1);
  EXPECT_EQ((*w)->stats().corruptions_repaired, 1u);
  ASSERT_TRUE((*w)->Log("fresh").ok());
  ASSERT_TRUE((*w)->Close().ok());
  auto r = ReadAll(Env::Default(), dir_);
  ASSERT_TRUE(r.status.ok()) << r.status;
  std::vector<std::string> want(recs.begin(), recs.end() - 1);
  want.push_back("fresh");
  EXPECT_EQ(r.records, want);
}

TEST_F(RepairTest, DecodeErrorReportedByTheCallerDropsThatRecord) {
  Write(Env::Default(), {"good", "bad", "later"}, {});
  auto clean = ReadAll(Env::Default(), dir_);
  ASSERT_TRUE(Repair(Env::Default(), dir_,
                     {dir_, clean.ends[1].first, clean.ends[1].second, "decode samples"})
                  .ok());
  auto r = ReadAll(Env::Default(), dir_);
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.records, std::vector<std::string>{"good"});
}

TEST_F(RepairTest, RejectsUnusableCorruptionInfo) {
  Write(Env::Default(), {"x"}, {});
  EXPECT_EQ(Repair(Env::Default(), dir_, {dir_, -1, 0, "?"}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Repair(Env::Default(), dir_, {"/elsewhere", 0, 0, "?"}).code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Repair(Env::Default(), dir_, {dir_ + "/", 5, 0, "?"}).code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace argus::tsdb::wlog
