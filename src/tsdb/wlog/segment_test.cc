#include "tsdb/wlog/segment.h"

#include "base/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tsdb/wlog/test_util.h"

namespace argus::tsdb::wlog {
namespace {

using ::testing::HasSubstr;
using testing::TempDirTest;

TEST(SegmentTest, Names) {
  EXPECT_EQ(SegmentFileName(0), "00000000");
  EXPECT_EQ(SegmentFileName(12), "00000012");
  EXPECT_EQ(SegmentFileName(123456789), "123456789");
  EXPECT_EQ(SegmentPath("/a/wal", 3), "/a/wal/00000003");
  EXPECT_EQ(ParseIndex("00000012"), 12);
  EXPECT_EQ(ParseIndex("0000000000012"), 12);
  EXPECT_EQ(ParseIndex("7"), 7);
  EXPECT_EQ(ParseIndex(""), std::nullopt);
  EXPECT_EQ(ParseIndex("+1"), std::nullopt);
  EXPECT_EQ(ParseIndex("00000001.tmp"), std::nullopt);
  EXPECT_EQ(ParseIndex("99999999999"), std::nullopt);
}

using ListTest = TempDirTest;

TEST_F(ListTest, ListsDigitNamesInOrderAndIgnoresTheRest) {
  for (const char* n : {"00000003", "00000002", "00000004", "checkpoint.00000001", "lock", "x1"}) {
    testing::WriteBytes(JoinPath(dir_, n), "");
  }
  auto segs = ListSegments(Env::Default(), dir_);
  ASSERT_TRUE(segs.ok()) << segs.status();
  ASSERT_EQ(segs->size(), 3u);
  EXPECT_EQ((*segs)[0].index, 2);
  EXPECT_EQ((*segs)[2].name, "00000004");
  auto range = Segments(Env::Default(), dir_);
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(range->first, 2);
  EXPECT_EQ(range->last, 4);
  EXPECT_EQ(range->dir, dir_);
}

TEST_F(ListTest, EmptyDirHasNoSegmentsAndMissingDirIsNotFound) {
  auto range = Segments(Env::Default(), dir_);
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(range->first, -1);
  EXPECT_EQ(range->last, -1);
  EXPECT_EQ(Segments(Env::Default(), dir_ + "/nope").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(ListTest, GapIsAnErrorNamingIt) {
  for (const char* n : {"00000001", "00000002", "00000005"}) {
    testing::WriteBytes(JoinPath(dir_, n), "");
  }
  auto segs = ListSegments(Env::Default(), dir_);
  ASSERT_FALSE(segs.ok());
  EXPECT_EQ(segs.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(segs.status().message(), HasSubstr("00000002 is followed by 00000005"));
}

TEST(CorruptionTest, StatusCarriesTheInfo) {
  absl::Status s = CorruptionError({"/data/wal", 7, 32775, "unexpected checksum 1, expected 2"});
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(s.message(),
            "corruption in segment /data/wal/00000007 at 32775: unexpected checksum 1, expected 2");
  std::optional<CorruptionInfo> info = GetCorruption(s);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->dir, "/data/wal");
  EXPECT_EQ(info->segment, 7);
  EXPECT_EQ(info->offset, 32775);
  EXPECT_EQ(info->reason, "unexpected checksum 1, expected 2");
  EXPECT_FALSE(GetCorruption(absl::DataLossError("x")).has_value());
  EXPECT_FALSE(GetCorruption(absl::OkStatus()).has_value());
}

}  // namespace
}  // namespace argus::tsdb::wlog
