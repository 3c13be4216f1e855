#include "tsdb/index/postings.h"

#include <random>
#include <set>

#include "gtest/gtest.h"

namespace argus::tsdb::index {
namespace {

TEST(PostingsTest, SmallCases) {
  EXPECT_EQ(Intersect({{1, 2, 3, 5}, {2, 5, 7}, {0, 2, 5}}), (PostingsList{2, 5}));
  EXPECT_EQ(Intersect({{1, 2}, {}}), PostingsList{});
  EXPECT_EQ(Intersect({}), PostingsList{});
  EXPECT_EQ(Merge({{1, 4}, {2, 4}, {}, {3}}), (PostingsList{1, 2, 3, 4}));
  EXPECT_EQ(Merge({{1, 4}, {2, 4}}), (PostingsList{1, 2, 4}));
  EXPECT_EQ(Without({1, 2, 3, 4}, {2, 4, 6}), (PostingsList{1, 3}));
}

// Against std::set on random lists.
TEST(PostingsTest, RandomAgainstSets) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 200; ++round) {
    std::vector<PostingsList> lists(1 + rng() % 5);
    std::vector<std::set<uint64_t>> sets(lists.size());
    for (size_t i = 0; i < lists.size(); ++i) {
      const int n = rng() % 50;
      for (int j = 0; j < n; ++j) sets[i].insert(rng() % 100);
      lists[i].assign(sets[i].begin(), sets[i].end());
    }
    std::set<uint64_t> all, common = sets[0];
    for (const auto& s : sets) {
      all.insert(s.begin(), s.end());
      std::set<uint64_t> keep;
      for (uint64_t v : common) {
        if (s.count(v)) keep.insert(v);
      }
      common = keep;
    }
    EXPECT_EQ(Merge(lists), PostingsList(all.begin(), all.end()));
    EXPECT_EQ(Intersect(lists), PostingsList(common.begin(), common.end()));
    std::set<uint64_t> diff = sets[0];
    for (uint64_t v : sets.back()) diff.erase(v);
    if (lists.size() > 1) {
      EXPECT_EQ(Without(lists[0], lists.back()), PostingsList(diff.begin(), diff.end()));
    }
  }
}

}  // namespace
}  // namespace argus::tsdb::index
