#include "tsdb/compact/compactor.h"

#include <filesystem>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tsdb/compact/block_writer.h"
#include "tsdb/querier/querier.h"

namespace argus::tsdb::compact {
namespace {

using labels::Matcher;
using labels::MatchType;

constexpr int64_t kHour = 3600 * 1000;

Matcher M(MatchType t, const std::string& n, const std::string& v) {
  return *Matcher::Create(t, n, v);
}

block::BlockMeta Meta(int64_t mint, int64_t maxt) {
  block::BlockMeta m;
  m.min_time = mint;
  m.max_time = maxt;
  return m;
}

TEST(PlanTest, RangesFollowPrometheus) {
  EXPECT_EQ(BlockRanges(2 * kHour, 36 * kHour),
            (std::vector<int64_t>{2 * kHour, 6 * kHour, 18 * kHour}));
  EXPECT_EQ(BlockRanges(2 * kHour, 2 * kHour), std::vector<int64_t>{2 * kHour});
}

TEST(PlanTest, PicksOverlapsFirstThenFullRangesButNeverTheNewestBlock) {
  const auto ranges = BlockRanges(2 * kHour, 36 * kHour);
  // Three 2h blocks fill 0-6h, but the newest (4-6h) is excluded: nothing to do yet.
  std::vector<block::BlockMeta> m = {Meta(0, 2 * kHour), Meta(2 * kHour, 4 * kHour),
                                     Meta(4 * kHour, 6 * kHour)};
  EXPECT_EQ(Plan(m, ranges), (std::vector<size_t>{0, 1}));  // lies before the newest block
  m.push_back(Meta(6 * kHour, 8 * kHour));
  EXPECT_EQ(Plan(m, ranges), (std::vector<size_t>{0, 1, 2}));  // fills 0-6h
  // Overlapping blocks win.
  m.push_back(Meta(7 * kHour, 9 * kHour));
  EXPECT_EQ(Plan(m, ranges), (std::vector<size_t>{3, 4}));
  // One range only (min == max block duration): never compacted.
  m.pop_back();
  EXPECT_TRUE(Plan(m, {2 * kHour}).empty());
}

class CompactTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            absl::StrCat("compact_test_", getpid(), "_",
                         ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::shared_ptr<block::Block> Open(const block::BlockMeta& m) {
    auto b = block::Block::Open(Env::Default(), JoinPath(dir_, m.ulid.ToString()));
    EXPECT_TRUE(b.ok()) << b.status();
    return std::shared_ptr<block::Block>(std::move(*b));
  }

  // "labels n=<samples> sum=<values>" per series of `q`.
  static std::vector<std::string> Summary(storage::Querier& q, const std::vector<Matcher>& ms) {
    auto set = q.Select(true, {}, ms);
    std::vector<std::string> out;
    while (set->Next()) {
      auto it = set->At().Iterator();
      int n = 0;
      double sum = 0;
      while (it->Next()) {
        ++n;
        sum += it->v();
      }
      EXPECT_TRUE(it->status().ok());
      out.push_back(absl::StrCat(set->At().labels().ToString(), " n=", n, " sum=", sum));
    }
    EXPECT_TRUE(set->status().ok()) << set->status();
    return out;
  }

  std::string dir_;
  UlidGenerator ulids_{1};
};

// Samples of one series spread over a block and the head come back as one series, in order,
// the shared timestamp once (from the chunk that starts first, here the block's).
TEST_F(CompactTest, QuerierMergesBlocksAndHead) {
  const labels::Labels a({{"__name__", "m"}, {"k", "a"}}), b({{"__name__", "m"}, {"k", "b"}});
  head::Head old_head({});
  auto app = old_head.NewAppender();
  for (int64_t t = 0; t < 100; ++t) ASSERT_TRUE(app->Append(0, a, t, 1).ok());
  ASSERT_TRUE(app->Append(0, b, 50, 2).ok());
  ASSERT_TRUE(app->Commit().ok());
  auto meta = CompactHead(Env::Default(), dir_, old_head, 0, 100, &ulids_, 1);
  ASSERT_TRUE(meta.ok()) << meta.status();
  EXPECT_EQ(meta->stats.num_samples, 101u);
  EXPECT_EQ(meta->stats.num_series, 2u);

  head::Head h({});
  app = h.NewAppender();
  for (int64_t t = 99; t < 150; ++t) ASSERT_TRUE(app->Append(0, a, t, 2).ok());
  ASSERT_TRUE(app->Commit().ok());

  TsdbQuerier q({Open(*meta)}, &h, 0, 1000);
  EXPECT_EQ(Summary(q, {M(MatchType::kEqual, "__name__", "m")}),
            (std::vector<std::string>{"{__name__=\"m\", k=\"a\"} n=150 sum=200",
                                      "{__name__=\"m\", k=\"b\"} n=1 sum=2"}));
  EXPECT_EQ(*q.LabelValues("k", {}), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(*q.LabelValues("k", {M(MatchType::kEqual, "k", "b")}), std::vector<std::string>{"b"});
  EXPECT_EQ(*q.LabelNames({}), (std::vector<std::string>{"__name__", "k"}));
}

// Head compaction keeps the head's chunk bytes; merging blocks keeps every sample once.
TEST_F(CompactTest, HeadToBlocksToOneBlock) {
  head::Head h({});
  auto app = h.NewAppender();
  for (int64_t t = 0; t < 6 * kHour; t += 15000) {
    for (int s = 0; s < 20; ++s) {
      ASSERT_TRUE(
          app->Append(0, labels::Labels({{"__name__", "x"}, {"s", absl::StrCat(s)}}), t, s).ok());
    }
    ASSERT_TRUE(app->Commit().ok());
  }
  std::vector<std::shared_ptr<block::Block>> blocks;
  for (int64_t start = 0; start < 6 * kHour; start += 2 * kHour) {
    auto m = CompactHead(Env::Default(), dir_, h, start, start + 2 * kHour, &ulids_, 1);
    ASSERT_TRUE(m.ok()) << m.status();
    EXPECT_EQ(m->stats.num_chunks, 20u * 4);  // 120 samples per chunk, as in the head
    blocks.push_back(Open(*m));
  }
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/" + blocks[0]->meta().ulid.ToString() +
                                       kTmpForCreationSuffix));
  auto merged = CompactBlocks(Env::Default(), dir_, blocks, &ulids_, 2);
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_EQ(merged->compaction_level, 2);
  EXPECT_EQ(merged->min_time, 0);
  EXPECT_EQ(merged->max_time, 6 * kHour);
  EXPECT_EQ(merged->sources.size(), 3u);
  EXPECT_EQ(merged->parents.size(), 3u);
  EXPECT_EQ(merged->stats.num_samples, 20u * 6 * 240);
  TsdbQuerier q({Open(*merged)}, nullptr, 0, 6 * kHour);
  TsdbQuerier qh({}, &h, 0, 6 * kHour);
  const std::vector<Matcher> all = {M(MatchType::kEqual, "__name__", "x")};
  EXPECT_EQ(Summary(q, all), Summary(qh, all));
}

// Overlapping blocks (e.g. backfilled data) merge into non-overlapping chunks.
TEST_F(CompactTest, OverlappingBlocksMergeVertically) {
  const labels::Labels a({{"__name__", "m"}});
  std::vector<std::shared_ptr<block::Block>> blocks;
  for (int64_t off : {0, 1}) {
    head::Head h({});
    auto app = h.NewAppender();
    for (int64_t t = off; t < 1000; t += 2) ASSERT_TRUE(app->Append(0, a, t, 1).ok());
    ASSERT_TRUE(app->Commit().ok());
    auto m = CompactHead(Env::Default(), dir_, h, 0, 1000, &ulids_, 1);
    ASSERT_TRUE(m.ok());
    blocks.push_back(Open(*m));
  }
  EXPECT_EQ(Plan({blocks[0]->meta(), blocks[1]->meta()}, {2 * kHour}), (std::vector<size_t>{0, 1}));
  auto merged = CompactBlocks(Env::Default(), dir_, blocks, &ulids_, 2);
  ASSERT_TRUE(merged.ok());
  EXPECT_EQ(merged->stats.num_samples, 1000u);
  EXPECT_EQ(merged->stats.num_chunks, 9u);  // ceil(1000 / 120)
  TsdbQuerier q({Open(*merged)}, nullptr, 0, 1000);
  EXPECT_EQ(Summary(q, {M(MatchType::kEqual, "__name__", "m")}),
            std::vector<std::string>{"{__name__=\"m\"} n=1000 sum=1000"});
}

}  // namespace
}  // namespace argus::tsdb::compact
