#include "query/dedup.h"

#include <limits>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "query/fanout.h"
#include "tsdb/chunkenc/xor.h"

namespace argus::query {
namespace {

struct S {
  int64_t t;
  double v;
  friend bool operator==(const S&, const S&) = default;
};
using Samples = std::vector<S>;

std::ostream& operator<<(std::ostream& os, const S& s) { return os << s.t << ":" << s.v; }

// Chunks of at most `per_chunk` samples; the bytes live in `store`.
std::vector<tsdb::ChunkView> Chunks(const Samples& samples, size_t per_chunk,
                                    std::vector<std::unique_ptr<std::string>>* store) {
  std::vector<tsdb::ChunkView> out;
  for (size_t i = 0; i < samples.size(); i += per_chunk) {
    tsdb::chunkenc::XorAppender app;
    const size_t end = std::min(samples.size(), i + per_chunk);
    for (size_t j = i; j < end; ++j) app.Append(samples[j].t, samples[j].v);
    store->push_back(std::make_unique<std::string>(app.CopyBytes()));
    out.push_back({samples[i].t, samples[end - 1].t, *store->back()});
  }
  return out;
}

Samples Drain(storage::SampleIterator& it) {
  Samples out;
  while (it.Next()) out.push_back({it.t(), it.v()});
  EXPECT_TRUE(it.status().ok()) << it.status();
  return out;
}

// Two replicas' samples through DedupSeries, as the fan-out hands them over: one series, the
// replicas' chunks merged.
Samples Dedup(const Samples& a, const Samples& b, DedupFunc f, bool counter,
              int64_t mint = std::numeric_limits<int64_t>::min(),
              int64_t maxt = std::numeric_limits<int64_t>::max()) {
  std::vector<std::unique_ptr<std::string>> store;
  tsdb::ChunkSeries sa{labels::Labels{{"a", "1"}}, Chunks(a, 4, &store), {}};
  tsdb::ChunkSeries sb{labels::Labels{{"a", "1"}}, Chunks(b, 4, &store), {}};
  const std::vector<std::vector<tsdb::ChunkView>> parts = {sa.chunks, sb.chunks};
  MergeInto(std::move(sb), &sa);
  DedupSeries s(std::move(sa), parts, mint, maxt, f, counter);
  std::unique_ptr<storage::SampleIterator> it = s.Iterator();
  return Drain(*it);
}

constexpr int64_t kS = 1000;

TEST(PenaltyTest, OneEndpointHoldingTwoReplicasIsSplitByOverlap) {
  // A store gateway asked to drop the replica label merges two replicas' blocks into one
  // series with overlapping chunks: they are split apart again.
  std::vector<std::unique_ptr<std::string>> store;
  const Samples a = {{0, 1}, {10 * kS, 2}, {20 * kS, 3}, {30 * kS, 4}};
  const Samples b = {{2 * kS, 1}, {12 * kS, 2}, {22 * kS, 3}, {32 * kS, 4}};
  tsdb::ChunkSeries s{labels::Labels{{"a", "1"}}, Chunks(a, 2, &store), {}};
  MergeInto(tsdb::ChunkSeries{labels::Labels{{"a", "1"}}, Chunks(b, 2, &store), {}}, &s);
  const std::vector<std::vector<tsdb::ChunkView>> parts = {s.chunks};
  DedupSeries ds(std::move(s), parts, std::numeric_limits<int64_t>::min(),
                 std::numeric_limits<int64_t>::max(), DedupFunc::kPenalty, false);
  std::unique_ptr<storage::SampleIterator> it = ds.Iterator();
  EXPECT_THAT(Drain(*it),
              ::testing::ElementsAre(S{0, 1}, S{10 * kS, 2}, S{20 * kS, 3}, S{30 * kS, 4}));
}

TEST(GroupReplicasTest, OneReplicaThroughSidecarAndStoreIsOneGroup) {
  const std::string x = "x", y = "y", h = "h", z = "z";
  const tsdb::ChunkView block1{0, 99, x}, block2{100, 199, y}, head{200, 250, h};
  // The store gateway has the uploaded blocks, the sidecar the same blocks and its head.
  auto groups = GroupReplicas({{block1, block2}, {block1, block2, head}});
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].size(), 3u);
  // In the other order too.
  groups = GroupReplicas({{block1, block2, head}, {block1, block2}});
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].size(), 3u);
  // A second replica overlaps the first: a group of its own.
  const tsdb::ChunkView other{3, 150, z};
  groups = GroupReplicas({{block1, block2}, {other}, {head}});
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].size(), 3u);  // the head joins the first group it does not overlap
  EXPECT_EQ(groups[1].size(), 1u);
}

TEST(SplitOverlappingTest, ChunksGoToTheFirstChainTheyFollow) {
  const std::string d = "x";
  const std::vector<tsdb::ChunkView> in = {{0, 10, d},  {5, 15, d},  {11, 20, d},
                                           {16, 30, d}, {17, 18, d}, {31, 40, d}};
  const auto chains = SplitOverlapping(in);
  ASSERT_EQ(chains.size(), 3u);
  EXPECT_EQ(chains[0].size(), 3u);  // 0-10, 11-20, 31-40
  EXPECT_EQ(chains[0][1].min_time, 11);
  EXPECT_EQ(chains[0][2].min_time, 31);
  EXPECT_EQ(chains[1].size(), 2u);  // 5-15, 16-30
  EXPECT_EQ(chains[2].size(), 1u);  // 17-18
}

TEST(PenaltyTest, FollowsOneReplicaAndSwitchesOnlyAtAGap) {
  // a has a gap between 20 s and 50 s; b scrapes at 5 s offsets. Worked by hand from the
  // spec: a@0 (b's penalty 5 s), a@10 (b +20 s), a@20 (b +20 s: b must reach 40.001 s), then
  // b@45 wins (a +50 s: a must reach 95.001 s, so it is done), b@55, b@65.
  const Samples a = {{0, 1}, {10 * kS, 2}, {20 * kS, 3}, {50 * kS, 6}, {60 * kS, 7}};
  const Samples b = {{5 * kS, 10},  {15 * kS, 11}, {25 * kS, 12}, {35 * kS, 13},
                     {45 * kS, 14}, {55 * kS, 15}, {65 * kS, 16}};
  EXPECT_THAT(Dedup(a, b, DedupFunc::kPenalty, false),
              ::testing::ElementsAre(S{0, 1}, S{10 * kS, 2}, S{20 * kS, 3}, S{45 * kS, 14},
                                     S{55 * kS, 15}, S{65 * kS, 16}));
}

TEST(PenaltyTest, CounterAdjustmentKeepsTheCounterFromDropping) {
  const Samples a = {{0, 100}, {10 * kS, 110}, {20 * kS, 120}};
  const Samples b = {{5 * kS, 40},  {15 * kS, 45}, {25 * kS, 50},
                     {35 * kS, 60}, {45 * kS, 70}, {55 * kS, 80}};
  // b takes over at 45 s (its penalty skips 25 s and 35 s) 50 below a's last value: raised
  // by 50.
  EXPECT_THAT(Dedup(a, b, DedupFunc::kPenalty, true),
              ::testing::ElementsAre(S{0, 100}, S{10 * kS, 110}, S{20 * kS, 120}, S{45 * kS, 120},
                                     S{55 * kS, 130}));
  EXPECT_THAT(Dedup(a, b, DedupFunc::kPenalty, false),
              ::testing::ElementsAre(S{0, 100}, S{10 * kS, 110}, S{20 * kS, 120}, S{45 * kS, 70},
                                     S{55 * kS, 80}));
}

TEST(PenaltyTest, SeekStepsThroughTheSwitches) {
  const Samples a = {{0, 1}, {10 * kS, 2}, {20 * kS, 3}, {50 * kS, 6}};
  const Samples b = {{5 * kS, 10}, {15 * kS, 11}, {25 * kS, 12}, {45 * kS, 14}, {55 * kS, 15}};
  std::vector<std::unique_ptr<std::string>> store;
  tsdb::ChunkSeries s{labels::Labels{{"a", "1"}}, Chunks(a, 2, &store), {}};
  tsdb::ChunkSeries sb{labels::Labels{{"a", "1"}}, Chunks(b, 2, &store), {}};
  const std::vector<std::vector<tsdb::ChunkView>> parts = {s.chunks, sb.chunks};
  MergeInto(std::move(sb), &s);
  DedupSeries ds(std::move(s), parts, std::numeric_limits<int64_t>::min(),
                 std::numeric_limits<int64_t>::max(), DedupFunc::kPenalty, false);
  std::unique_ptr<storage::SampleIterator> it = ds.Iterator();
  ASSERT_TRUE(it->Seek(21 * kS));  // 25 s of b is skipped by its penalty, as in Next
  EXPECT_EQ(it->t(), 45 * kS);
  ASSERT_TRUE(it->Seek(30 * kS));  // already there: stays
  EXPECT_EQ(it->t(), 45 * kS);
  ASSERT_TRUE(it->Next());
  EXPECT_EQ(it->t(), 55 * kS);
  EXPECT_FALSE(it->Seek(56 * kS));
}

TEST(ChainTest, UnionOfTheReplicasOneSamplePerTimestamp) {
  const Samples a = {{0, 1}, {10 * kS, 2}, {40 * kS, 5}};
  const Samples b = {{0, 1}, {20 * kS, 3}, {30 * kS, 4}, {40 * kS, 5}};
  EXPECT_THAT(
      Dedup(a, b, DedupFunc::kChain, false),
      ::testing::ElementsAre(S{0, 1}, S{10 * kS, 2}, S{20 * kS, 3}, S{30 * kS, 4}, S{40 * kS, 5}));
  // Trimmed to the selection's range.
  EXPECT_THAT(Dedup(a, b, DedupFunc::kChain, false, 10 * kS, 30 * kS),
              ::testing::ElementsAre(S{10 * kS, 2}, S{20 * kS, 3}, S{30 * kS, 4}));
}

TEST(MergeIntoTest, IdenticalChunksOnce) {
  std::vector<std::unique_ptr<std::string>> store;
  const Samples x = {{0, 1}, {1 * kS, 2}, {2 * kS, 3}};
  tsdb::ChunkSeries s{labels::Labels{{"a", "1"}}, Chunks(x, 8, &store), {}};
  MergeInto(tsdb::ChunkSeries{labels::Labels{{"a", "1"}}, Chunks(x, 8, &store), {}}, &s);
  EXPECT_EQ(s.chunks.size(), 1u);
  // One replica seen twice (a sidecar and a store gateway): samples once.
  const std::vector<std::vector<tsdb::ChunkView>> parts = {s.chunks, s.chunks};
  DedupSeries ds(std::move(s), parts, std::numeric_limits<int64_t>::min(),
                 std::numeric_limits<int64_t>::max(), DedupFunc::kPenalty, false);
  std::unique_ptr<storage::SampleIterator> it = ds.Iterator();
  EXPECT_EQ(Drain(*it).size(), 3u);
}

// An independent model of the spec's penalty merge of two sample lists.
Samples Model(const Samples& a, const Samples& b) {
  Samples out;
  size_t i = 0, j = 0;
  int64_t last = std::numeric_limits<int64_t>::min(), pa = 0, pb = 0;
  for (;;) {
    while (i < a.size() && a[i].t < (out.empty() ? last : last + 1 + pa)) ++i;
    while (j < b.size() && b[j].t < (out.empty() ? last : last + 1 + pb)) ++j;
    if (i == a.size() && j == b.size()) return out;
    const bool take_a = j == b.size() || (i < a.size() && a[i].t <= b[j].t);
    const S s = take_a ? a[i] : b[j];
    const int64_t pen = out.empty() ? 5000 : 2 * (s.t - last);
    (take_a ? pb : pa) = pen;
    (take_a ? pa : pb) = 0;
    last = s.t;
    out.push_back(s);
  }
}

TEST(PenaltyTest, MatchesTheModelOnRandomGappedReplicas) {
  std::mt19937_64 rnd(42);
  for (int round = 0; round < 200; ++round) {
    Samples a, b;
    const int64_t step = 15 * kS;
    for (int64_t k = 0; k < 400; ++k) {
      const int64_t t = k * step;
      // Gaps of random length in each replica; jittered timestamps as real scrapes have.
      if (rnd() % 50 != 0 || a.empty()) a.push_back({t + int64_t(rnd() % 200), double(k)});
      if (rnd() % 60 != 0 || b.empty()) b.push_back({t + 7000 + int64_t(rnd() % 200), double(k)});
      if (rnd() % 100 == 0) k += rnd() % 20;  // a shared hole
    }
    for (int g = 0; g < 3; ++g) {  // longer gaps in one replica only
      Samples& r = rnd() % 2 ? a : b;
      const size_t from = rnd() % r.size(), len = rnd() % 30;
      r.erase(r.begin() + from, r.begin() + std::min(r.size(), from + len));
    }
    ASSERT_EQ(Dedup(a, b, DedupFunc::kPenalty, false), Model(a, b)) << "round " << round;
  }
}

}  // namespace
}  // namespace argus::query
