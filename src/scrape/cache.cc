#include "scrape/cache.h"

#include <utility>

#include "absl/container/flat_hash_set.h"

namespace argus::scrape {

ScrapeCache::Entry* ScrapeCache::Scrape::Push(absl::string_view series, const Entry& e) {
  Slot s;
  s.offset = static_cast<uint32_t>(texts.size());
  s.size = static_cast<uint32_t>(series.size());
  s.entry = e;
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
  if (i < last_.slots.size() && last_.Text(last_.slots[i]) == series) {
    cursor_ = i + 1;
    if (in_order_) return &last_.slots[i].entry;
  } else {
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
    if (in_order_) StartCopying();
    cursor_ = i + 1;
  }
  Entry e = last_.slots[i].entry;
  e.tracked = false;
  return cur_.Push(series, e);
}

ScrapeCache::Entry* ScrapeCache::Add(absl::string_view series, storage::SeriesRef ref,
                                     uint64_t hash) {
  if (ref == 0) return nullptr;
  if (in_order_) StartCopying();
  return cur_.Push(series, Entry{ref, hash, false, false});
}

void ScrapeCache::StartCopying() {
  in_order_ = false;
  for (size_t k = 0; k < cursor_; ++k) cur_.Push(last_.Text(last_.slots[k]), last_.slots[k].entry);
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
  // Whether `hash` is tracked by this scrape.
  absl::flat_hash_set<uint64_t> seen;
  if (!in_order_) {
    seen.reserve(cur_.slots.size());
    for (const Slot& s : cur_.slots) {
      if (s.entry.tracked) seen.insert(s.entry.hash);
    }
  }
  const auto now = [&](uint64_t hash) {
    if (labels_cur_.contains(hash)) return true;
    if (!in_order_) return seen.contains(hash);
    for (size_t k = 0; k < cursor_; ++k) {
      if (last_.slots[k].entry.tracked && last_.slots[k].entry.hash == hash) return true;
    }
    return false;
  };
  for (size_t k = 0; k < last_.slots.size(); ++k) {
    const Entry& e = last_.slots[k].entry;
    if (!e.tracked_before) continue;
    // In order, this scrape's entries are last_'s own: the flag answers directly.
    const bool tracked_now =
        in_order_ ? (k < cursor_ && e.tracked) || labels_cur_.contains(e.hash) : now(e.hash);
    if (!tracked_now && !fn(e.ref, nullptr)) return;
  }
  for (const auto& [hash, lset] : labels_last_) {
    if (!now(hash) && !fn(0, &lset)) return;
  }
}

void ScrapeCache::IterDone(bool flush) {
  if (flush || dropped_.size() > dropped_after_flush_ * 2 + 1000) {
    absl::erase_if(dropped_, [this](const auto& kv) { return kv.second != iter_; });
    dropped_after_flush_ = dropped_.size();
    metadata_->EndIter();
    ++iter_;
  }
  if (flush) {
    // This scrape is the cache now, and what it tracked is the next one's baseline.
    if (!in_order_) {
      std::swap(last_, cur_);
      cur_ = Scrape();  // rarely needed again: give the memory back
      // Kept until the order changes again: no large growth slack.
      if (last_.slots.capacity() > last_.slots.size() * 5 / 4) last_.slots.shrink_to_fit();
      if (last_.texts.capacity() > last_.texts.size() * 5 / 4) last_.texts.shrink_to_fit();
      index_.clear();
    } else if (cursor_ < last_.slots.size()) {  // in order, but the tail vanished
      const Slot* end = cursor_ == 0 ? nullptr : &last_.slots[cursor_ - 1];
      last_.texts.resize(end == nullptr ? 0 : end->offset + end->size);
      last_.slots.resize(cursor_);
      index_.clear();
    }
    for (Slot& s : last_.slots) {
      s.entry.tracked_before = s.entry.tracked;
      s.entry.tracked = false;
    }
    std::swap(labels_last_, labels_cur_);
  } else {
    // An empty scrape tracked nothing; its series stay for lookups.
    for (Slot& s : last_.slots) s.entry.tracked = s.entry.tracked_before = false;
    labels_last_.clear();
  }
  labels_cur_.clear();
  cur_.Clear();
  in_order_ = true;
  cursor_ = 0;
}

void ScrapeCache::DiscardIter() {
  for (Slot& s : last_.slots) s.entry.tracked = false;
  cur_.Clear();
  labels_cur_.clear();
  in_order_ = true;
  cursor_ = 0;
}

}  // namespace argus::scrape
