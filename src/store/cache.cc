#include "store/cache.h"

#include "absl/strings/str_cat.h"

namespace argus::store {
namespace {

constexpr const char* kKindNames[] = {"Postings", "Series"};

}  // namespace

IndexCache::IndexCache(uint64_t max_bytes, metrics::Registry* registry) : max_bytes_(max_bytes) {
  if (registry == nullptr) return;
  auto& requests = registry->AddCounterVec("thanos_store_index_cache_requests_total",
                                           "Total number of requests to the cache.", {"item_type"});
  auto& hits = registry->AddCounterVec("thanos_store_index_cache_hits_total",
                                       "Total number of requests to the cache that were a hit.",
                                       {"item_type"});
  auto& added = registry->AddCounterVec("thanos_store_index_cache_items_added_total",
                                        "Total number of items that were added to the index cache.",
                                        {"item_type"});
  auto& evicted = registry->AddCounterVec(
      "thanos_store_index_cache_items_evicted_total",
      "Total number of items that were evicted from the index cache.", {"item_type"});
  for (int k = 0; k < 2; ++k) {
    metrics_[k] = {&requests.WithLabelValues({kKindNames[k]}),
                   &hits.WithLabelValues({kKindNames[k]}), &added.WithLabelValues({kKindNames[k]}),
                   &evicted.WithLabelValues({kKindNames[k]})};
  }
  registry
      ->AddGauge("thanos_store_index_cache_max_size_bytes",
                 "Maximum number of bytes to be held in the index cache.")
      .Set(static_cast<double>(max_bytes));
}

std::string IndexCache::Key(absl::string_view block, CacheKind kind, absl::string_view key) {
  return absl::StrCat(block, kind == CacheKind::kPostings ? "/p/" : "/s/", key);
}

uint64_t IndexCache::Cost(const Item& item) { return item.key.size() + item.value->size(); }

void IndexCache::Count(CacheKind kind, metrics::Counter* KindMetrics::*which) {
  metrics::Counter* c = metrics_[static_cast<int>(kind)].*which;
  if (c != nullptr) c->Inc();
}

std::shared_ptr<const std::string> IndexCache::Get(absl::string_view block, CacheKind kind,
                                                   absl::string_view key) {
  Count(kind, &KindMetrics::requests);
  const std::string k = Key(block, kind, key);
  std::lock_guard<std::mutex> lock(mu_);
  auto it = map_.find(k);
  if (it == map_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  Count(kind, &KindMetrics::hits);
  return it->second->value;
}

void IndexCache::EvictOldest() {
  Item& last = lru_.back();
  bytes_ -= Cost(last);
  Count(last.kind, &KindMetrics::evicted);
  map_.erase(last.key);
  lru_.pop_back();
}

void IndexCache::Put(absl::string_view block, CacheKind kind, absl::string_view key,
                     std::shared_ptr<const std::string> value) {
  Item item{Key(block, kind, key), std::move(value), kind};
  const uint64_t cost = Cost(item);
  if (cost > max_bytes_) return;
  std::lock_guard<std::mutex> lock(mu_);
  if (auto it = map_.find(item.key); it != map_.end()) {
    bytes_ -= Cost(*it->second);
    lru_.erase(it->second);
    map_.erase(it);
  }
  while (bytes_ + cost > max_bytes_) EvictOldest();
  bytes_ += cost;
  lru_.push_front(std::move(item));
  map_.emplace(lru_.front().key, lru_.begin());
  Count(kind, &KindMetrics::added);
}

uint64_t IndexCache::size_bytes() const {
  std::lock_guard<std::mutex> lock(mu_);
  return bytes_;
}

size_t IndexCache::items() const {
  std::lock_guard<std::mutex> lock(mu_);
  return map_.size();
}

}  // namespace argus::store
