// The store gateway's index cache (Thanos's storecache in-memory LRU): postings lists and series
// entries as fetched from block indexes, keyed by (block, kind, key), shared by every block of a
// store, evicting the least recently used items beyond a byte budget (--index-cache-size).
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "metrics/registry.h"

namespace argus::store {

// Thanos's default --index-cache-size.
inline constexpr uint64_t kDefaultIndexCacheBytes = 250ull * 1024 * 1024;

enum class CacheKind { kPostings, kSeries };

// Thread-safe.
class IndexCache {
 public:
  // Counts hits, requests, items added and evicted by item_type ("Postings", "Series") on
  // `registry` (optional; it must outlive the cache) under Thanos's names
  // thanos_store_index_cache_*.
  IndexCache(uint64_t max_bytes, metrics::Registry* registry);

  // The bytes stored for the key, or null (a miss).
  std::shared_ptr<const std::string> Get(absl::string_view block, CacheKind kind,
                                         absl::string_view key);
  // Stores `value`, evicting the least recently used items until it fits; a value larger than
  // the whole budget is not stored. Replaces an existing item of the same key.
  void Put(absl::string_view block, CacheKind kind, absl::string_view key,
           std::shared_ptr<const std::string> value);

  // Bytes held (values and keys) and the number of items.
  uint64_t size_bytes() const;
  size_t items() const;

 private:
  struct Item {
    std::string key;
    std::shared_ptr<const std::string> value;
    CacheKind kind;
  };
  struct KindMetrics {
    metrics::Counter* requests = nullptr;
    metrics::Counter* hits = nullptr;
    metrics::Counter* added = nullptr;
    metrics::Counter* evicted = nullptr;
  };
  static std::string Key(absl::string_view block, CacheKind kind, absl::string_view key);
  static uint64_t Cost(const Item& item);
  void EvictOldest() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Count(CacheKind kind, metrics::Counter* KindMetrics::*which);

  const uint64_t max_bytes_;
  KindMetrics metrics_[2];
  mutable std::mutex mu_;
  std::list<Item> lru_ ABSL_GUARDED_BY(mu_);  // most recently used first
  absl::flat_hash_map<std::string, std::list<Item>::iterator> map_ ABSL_GUARDED_BY(mu_);
  uint64_t bytes_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace argus::store
