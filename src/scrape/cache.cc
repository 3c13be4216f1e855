#include "scrape/cache.h"

#include <utility>

#include "absl/container/flat_hash_set.h"

namespace argus::scrape {

ScrapeCache::Entry* ScrapeCache::Scrape::Push(absl::string_view series, const Entry& e) {
  Slot s;
  s.offset = static_cast<uint32_t>(texts.size());
  s.size = static_cast<uint32_t>(series.size());
  s.entry = e;
  s.entry.tracked = false;
  texts.append(series.data(), series.size());
  slots.push_back(s);
  return &slots.back().entry;
}

void ScrapeCache::Scrape::Clear() {
  slots.clear();
  texts.clear();
}

ScrapeCache::Entry* ScrapeCache::Get(absl::string_view series) {
  size_t i = cursor_;
  if (i >= last_.slots.size() || last_.Text(last_.slots[i]) != series) {
    // Out of the expected order: look it up, and expect its successor next.
    if (index_.empty()) {
      index_.reserve(last_.slots.size());
      for (uint32_t k = 0; k < last_.slots.size(); ++k) {
        index_.try_emplace(last_.Text(last_.slots[k]), k);
      }
    }
    auto it = index_.find(series);
    if (it == index_.end()) return nullptr;
    i = it->second;
  }
  cursor_ = i + 1;
  return cur_.Push(series, last_.slots[i].entry);
}

ScrapeCache::Entry* ScrapeCache::Add(absl::string_view series, storage::SeriesRef ref,
                                     uint64_t hash) {
  if (ref == 0) return nullptr;
  return cur_.Push(series, Entry{ref, hash, false});
}

bool ScrapeCache::IsDropped(absl::string_view series) {
  auto it = dropped_.find(series);
  if (it == dropped_.end()) return false;
  it->second = iter_;
  return true;
}

void ScrapeCache::AddDropped(absl::string_view series) { dropped_[series] = iter_; }

ScrapeCache::Entry* ScrapeCache::GetReport(absl::string_view name) {
  auto it = report_.find(name);
  return it == report_.end() ? nullptr : &it->second;
}

void ScrapeCache::AddReport(absl::string_view name, storage::SeriesRef ref, uint64_t hash) {
  if (ref != 0) report_[name] = Entry{ref, hash, false};
}

void ScrapeCache::TrackStaleness(uint64_t hash, labels::Labels lset) {
  labels_cur_.try_emplace(hash, std::move(lset));
}

void ScrapeCache::ForEachStale(
    const std::function<bool(storage::SeriesRef, const labels::Labels*)>& fn) {
  if (!last_tracked_) return;
  // The common case: the same series tracked in the same order. Nothing went stale.
  bool same = last_.slots.size() == cur_.slots.size() && labels_last_.empty();
  for (size_t i = 0; same && i < cur_.slots.size(); ++i) {
    const Slot& a = last_.slots[i];
    const Slot& b = cur_.slots[i];
    same = a.entry.tracked == b.entry.tracked && a.entry.hash == b.entry.hash;
  }
  if (same) return;
  absl::flat_hash_set<uint64_t> seen;
  seen.reserve(cur_.slots.size() + labels_cur_.size());
  for (const Slot& s : cur_.slots) {
    if (s.entry.tracked) seen.insert(s.entry.hash);
  }
  for (const auto& [hash, lset] : labels_cur_) seen.insert(hash);
  for (const Slot& s : last_.slots) {
    if (s.entry.tracked && !seen.contains(s.entry.hash) && !fn(s.entry.ref, nullptr)) return;
  }
  for (const auto& [hash, lset] : labels_last_) {
    if (!seen.contains(hash) && !fn(0, &lset)) return;
  }
}

void ScrapeCache::IterDone(bool flush) {
  if (flush || dropped_.size() > dropped_after_flush_ * 2 + 1000) {
    absl::erase_if(dropped_, [this](const auto& kv) { return kv.second != iter_; });
    dropped_after_flush_ = dropped_.size();
    ++iter_;
  }
  if (flush) {
    // This scrape is the cache now, and what it tracked is the next one's baseline.
    std::swap(last_, cur_);
    index_.clear();
    last_tracked_ = true;
  } else {
    last_tracked_ = false;  // an empty scrape tracked nothing; its series stay for lookups
  }
  std::swap(labels_last_, labels_cur_);
  labels_cur_.clear();
  cur_.Clear();
  cursor_ = 0;
}

void ScrapeCache::DiscardIter() {
  cur_.Clear();
  labels_cur_.clear();
  cursor_ = 0;
}

}  // namespace argus::scrape
