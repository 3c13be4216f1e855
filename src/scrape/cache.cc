#include "scrape/cache.h"

#include <utility>

namespace argus::scrape {

ScrapeCache::Entry* ScrapeCache::Get(absl::string_view series) {
  auto it = series_.find(series);
  if (it == series_.end()) return nullptr;
  it->second.last_iter = iter_;
  return &it->second;
}

void ScrapeCache::Add(absl::string_view series, storage::SeriesRef ref, uint64_t hash) {
  if (ref == 0) return;
  series_[series] = Entry{ref, hash, iter_};
}

bool ScrapeCache::IsDropped(absl::string_view series) {
  auto it = dropped_.find(series);
  if (it == dropped_.end()) return false;
  it->second = iter_;
  return true;
}

void ScrapeCache::AddDropped(absl::string_view series) { dropped_[series] = iter_; }

void ScrapeCache::TrackStaleness(uint64_t hash, storage::SeriesRef ref) {
  if (seen_cur_.empty()) seen_cur_.reserve(seen_prev_.size());
  seen_cur_.try_emplace(hash, ref);
}

void ScrapeCache::TrackStaleness(uint64_t hash, labels::Labels lset) {
  seen_cur_labels_.try_emplace(hash, std::move(lset));
}

void ScrapeCache::ForEachStale(
    const std::function<bool(storage::SeriesRef, const labels::Labels*)>& fn) const {
  const auto seen = [this](uint64_t hash) {
    return seen_cur_.contains(hash) || seen_cur_labels_.contains(hash);
  };
  for (const auto& [hash, ref] : seen_prev_) {
    if (!seen(hash) && !fn(ref, nullptr)) return;
  }
  for (const auto& [hash, lset] : seen_prev_labels_) {
    if (!seen(hash) && !fn(0, &lset)) return;
  }
}

void ScrapeCache::IterDone(bool flush) {
  const size_t count = series_.size() + dropped_.size();
  if (flush) {
    successful_count_ = count;
  } else if (count > successful_count_ * 2 + 1000) {
    flush = true;
  }
  if (flush) {
    absl::erase_if(series_, [this](const auto& kv) { return kv.second.last_iter != iter_; });
    absl::erase_if(dropped_, [this](const auto& kv) { return kv.second != iter_; });
    ++iter_;
  }
  std::swap(seen_prev_, seen_cur_);
  seen_cur_.clear();
  std::swap(seen_prev_labels_, seen_cur_labels_);
  seen_cur_labels_.clear();
}

}  // namespace argus::scrape
