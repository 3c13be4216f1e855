// Per-target memory of a scrape loop (Prometheus v2.42's scrapeCache): the series ref and final
// labels for each series text as the target writes it, the series texts that relabeling drops,
// and which series the previous scrape saw, so that ones no longer exposed get stale markers.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "model/labels/labels.h"
#include "storage/storage.h"

namespace argus::scrape {

// Not thread-safe: one scrape loop uses it. Entries hold storage refs, not label sets: a
// scrape of a known series appends by ref and copies no labels (and a cached series costs a
// few dozen bytes besides its text).
class ScrapeCache {
 public:
  struct Entry {
    storage::SeriesRef ref = 0;
    uint64_t hash = 0;  // of the labels as exposed, before target labels and relabeling
    uint64_t last_iter = 0;
  };

  // The entry of `series` (its text as scraped), marked as seen this scrape; nullptr if none.
  Entry* Get(absl::string_view series);
  // Remembers `series`; a zero ref is not remembered (the storage gave no usable ref).
  void Add(absl::string_view series, storage::SeriesRef ref, uint64_t hash);
  // Series dropped by relabeling are remembered so that they are not relabeled every scrape.
  bool IsDropped(absl::string_view series);
  void AddDropped(absl::string_view series);

  // The series was exposed this scrape without an explicit timestamp: by its storage ref, or
  // (when the storage refused its first sample and gave none) by its final labels.
  void TrackStaleness(uint64_t hash, storage::SeriesRef ref);
  void TrackStaleness(uint64_t hash, labels::Labels lset);
  // Calls `fn` for each series tracked by the previous scrape but not this one (with its ref,
  // or 0 and its labels), until it returns false.
  void ForEachStale(const std::function<bool(storage::SeriesRef, const labels::Labels*)>& fn) const;

  // Ends a scrape. `flush` (a non-empty scrape) forgets entries this scrape did not see; the
  // caches are also flushed when they grew past twice their size after the last flush plus
  // 1000 (failing scrapes with changing series).
  void IterDone(bool flush);
  // Forgets what a failed scrape tracked, so that the empty append after it marks every series
  // of the previous scrape stale. (v2.42 keeps them, so a body failing halfway left the series
  // before the failure unmarked although the rollback dropped their samples.)
  void DiscardIter() {
    seen_cur_.clear();
    seen_cur_labels_.clear();
  }

 private:
  absl::flat_hash_map<std::string, Entry> series_;
  absl::flat_hash_map<std::string, uint64_t> dropped_;  // value: last iteration seen
  absl::flat_hash_map<uint64_t, storage::SeriesRef> seen_cur_, seen_prev_;
  absl::flat_hash_map<uint64_t, labels::Labels> seen_cur_labels_, seen_prev_labels_;
  uint64_t iter_ = 0;
  size_t successful_count_ = 0;
};

}  // namespace argus::scrape
