#include "tsdb/tombstones/tombstones.h"

#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"

namespace argus::tsdb::tombstones {
namespace {

TEST(TombstonesTest, MergeAndLookup) {
  Tombstones ts;
  ts.Add(3, {10, 20});
  ts.Add(3, {21, 30});  // touching: merged
  ts.Add(3, {50, 60});
  ts.Add(3, {55, 70});  // overlapping: merged
  ASSERT_NE(ts.Get(3), nullptr);
  EXPECT_EQ(*ts.Get(3), (std::vector<Interval>{{10, 30}, {50, 70}}));
  EXPECT_EQ(ts.Get(4), nullptr);
  EXPECT_EQ(ts.NumIntervals(), 2u);
  EXPECT_TRUE(IsDeleted(*ts.Get(3), 10));
  EXPECT_TRUE(IsDeleted(*ts.Get(3), 30));
  EXPECT_FALSE(IsDeleted(*ts.Get(3), 31));
  EXPECT_FALSE(IsDeleted(*ts.Get(3), 9));
  EXPECT_TRUE(IsDeleted(*ts.Get(3), 70));
  EXPECT_FALSE(IsDeleted(*ts.Get(3), 71));
}

TEST(TombstonesTest, RoundTripEmptyFileAndCorruption) {
  const std::string dir = ::testing::TempDir() + "/tombstones_test_" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  EXPECT_EQ(Read(Env::Default(), dir)->NumIntervals(), 0u);  // missing file
  ASSERT_TRUE(Write(Env::Default(), dir, Tombstones()).ok());
  std::ifstream in(dir + "/tombstones", std::ios::binary);
  std::string empty((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(empty, std::string("\x01\x30\xba\x30\x01\x00\x00\x00\x00", 9));  // as Prometheus

  Tombstones ts;
  ts.Add(1, {-5, 5});
  ts.Add(1000000, {100, 200});
  ASSERT_TRUE(Write(Env::Default(), dir, ts).ok());
  auto back = Read(Env::Default(), dir);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->all(), ts.all());

  {
    std::fstream f(dir + "/tombstones", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(6);
    f.put('\x7f');
  }
  EXPECT_EQ(Read(Env::Default(), dir).status().code(), absl::StatusCode::kDataLoss);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace argus::tsdb::tombstones
