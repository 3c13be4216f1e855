#include "store/cache.h"

#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace argus::store {
namespace {

std::shared_ptr<const std::string> Bytes(size_t n, char c = 'x') {
  return std::make_shared<const std::string>(n, c);
}

double Value(const metrics::Registry& r, const std::string& name, const std::string& type) {
  for (const metrics::FamilySnapshot& f : r.Gather()) {
    if (f.name != name) continue;
    for (const auto& s : f.samples) {
      for (const auto& [k, v] : s.labels) {
        if (k == "item_type" && v == type) return s.value;
      }
    }
  }
  return -1;
}

TEST(IndexCacheTest, EvictsLeastRecentlyUsedBeyondTheBudgetAndCounts) {
  metrics::Registry registry;
  // Keys cost their text too: "b1/p/k1" is 7 bytes.
  IndexCache cache(3 * (100 + 7), &registry);
  cache.Put("b1", CacheKind::kPostings, "k1", Bytes(100, '1'));
  cache.Put("b1", CacheKind::kPostings, "k2", Bytes(100, '2'));
  cache.Put("b1", CacheKind::kPostings, "k3", Bytes(100, '3'));
  EXPECT_EQ(cache.items(), 3u);
  EXPECT_EQ(cache.size_bytes(), 3u * 107);
  ASSERT_NE(cache.Get("b1", CacheKind::kPostings, "k1"), nullptr);  // k1 is now the newest
  cache.Put("b1", CacheKind::kPostings, "k4", Bytes(100, '4'));     // evicts k2
  EXPECT_EQ(cache.Get("b1", CacheKind::kPostings, "k2"), nullptr);
  EXPECT_EQ(*cache.Get("b1", CacheKind::kPostings, "k1"), std::string(100, '1'));
  EXPECT_NE(cache.Get("b1", CacheKind::kPostings, "k3"), nullptr);
  EXPECT_NE(cache.Get("b1", CacheKind::kPostings, "k4"), nullptr);
  // Kinds and blocks are separate keys.
  EXPECT_EQ(cache.Get("b2", CacheKind::kPostings, "k1"), nullptr);
  EXPECT_EQ(cache.Get("b1", CacheKind::kSeries, "k1"), nullptr);
  EXPECT_EQ(Value(registry, "thanos_store_index_cache_requests_total", "Postings"), 6);
  EXPECT_EQ(Value(registry, "thanos_store_index_cache_hits_total", "Postings"), 4);
  EXPECT_EQ(Value(registry, "thanos_store_index_cache_items_evicted_total", "Postings"), 1);
  EXPECT_EQ(Value(registry, "thanos_store_index_cache_requests_total", "Series"), 1);
  EXPECT_EQ(Value(registry, "thanos_store_index_cache_hits_total", "Series"), 0);
}

TEST(IndexCacheTest, ReplacesAKeyAndRefusesItemsLargerThanTheBudget) {
  IndexCache cache(1000, nullptr);
  cache.Put("b", CacheKind::kSeries, "k", Bytes(100));
  cache.Put("b", CacheKind::kSeries, "k", Bytes(200, 'y'));
  EXPECT_EQ(cache.items(), 1u);
  EXPECT_EQ(*cache.Get("b", CacheKind::kSeries, "k"), std::string(200, 'y'));
  cache.Put("b", CacheKind::kSeries, "huge", Bytes(2000));
  EXPECT_EQ(cache.Get("b", CacheKind::kSeries, "huge"), nullptr);
  EXPECT_EQ(cache.items(), 1u);  // nothing evicted for it
}

TEST(IndexCacheTest, ConcurrentUseKeepsTheBudget) {
  IndexCache cache(10000, nullptr);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&cache, t] {
      for (int i = 0; i < 2000; ++i) {
        const std::string key = absl::StrCat(t, "-", i % 50);
        if (cache.Get("b", CacheKind::kPostings, key) == nullptr) {
          cache.Put("b", CacheKind::kPostings, key, Bytes(64));
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_LE(cache.size_bytes(), 10000u);
  EXPECT_GT(cache.items(), 0u);
}

}  // namespace
}  // namespace argus::store
