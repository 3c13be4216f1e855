// Per-target memory of a scrape loop (Prometheus v2.42's scrapeCache): the series ref for each
// series text as the target writes it, the series texts that relabeling drops, and which series
// the previous scrape tracked, so that ones no longer exposed get stale markers.
//
// Unlike Prometheus's map, the cache keeps the last successful scrape's series in body order,
// texts packed in one buffer: targets expose the same series in the same order scrape after
// scrape, so the next scrape's lookups walk that list with one comparison each, streaming
// through memory instead of hashing into a map; a series out of place is found through an
// index built on first need.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "model/labels/labels.h"
#include "scrape/metadata.h"
#include "storage/storage.h"

namespace argus::scrape {

// Not thread-safe: one scrape loop uses it (its metadata store may be read concurrently).
class ScrapeCache {
 public:
  ScrapeCache() : metadata_(std::make_shared<MetadataStore>()) {}

  struct Entry {
    storage::SeriesRef ref = 0;
    uint64_t hash = 0;            // of the labels as exposed, before target labels and relabeling
    bool tracked = false;         // this scrape tracks it for staleness
    bool tracked_before = false;  // the previous scrape did
  };

  // The entry of `series` (its text as scraped) for this scrape, or nullptr if unknown. The
  // pointer is valid until the next Get or Add.
  Entry* Get(absl::string_view series);
  // Remembers a new `series` for this scrape; a zero ref is not remembered (the storage gave
  // no usable ref) and gives nullptr.
  Entry* Add(absl::string_view series, storage::SeriesRef ref, uint64_t hash);
  // Series dropped by relabeling are remembered so that they are not relabeled every scrape.
  bool IsDropped(absl::string_view series);
  void AddDropped(absl::string_view series);

  // The synthetic series (up, scrape_duration_seconds, ...) by name; kept across scrapes.
  Entry* GetReport(absl::string_view name);
  void AddReport(absl::string_view name, storage::SeriesRef ref, uint64_t hash);

  // The series was exposed this scrape without an explicit timestamp: `e` (from Get or Add),
  // or, when the storage refused its first sample and gave no ref, its final labels.
  void TrackStaleness(Entry* e) { e->tracked = true; }
  void TrackStaleness(uint64_t hash, labels::Labels lset);
  // Calls `fn` for each series tracked by the previous scrape but not this one (with its ref,
  // or 0 and its labels), until it returns false.
  void ForEachStale(const std::function<bool(storage::SeriesRef, const labels::Labels*)>& fn);

  // The target's metadata, which scrapes update as they parse (also when they fail later).
  MetadataStore& metadata() { return *metadata_; }
  // The same store for readers on other threads; it outlives the cache while they hold it.
  std::shared_ptr<const MetadataStore> shared_metadata() const { return metadata_; }

  // Ends a scrape. `flush` (a non-empty scrape): this scrape's series become the cache, those it
  // did not see are forgotten. Otherwise (an empty body) the cache stays as it was and nothing
  // counts as tracked by this scrape. Dropped series are forgotten on flush, and also when
  // they grew past twice their number at the last flush plus 1000; metadata ages then too.
  void IterDone(bool flush);
  // Forgets what a failed scrape saw and tracked, so that the empty append after it marks every
  // series of the previous scrape stale. (v2.42 keeps them, so a body failing halfway left the
  // series before the failure unmarked although the rollback dropped their samples.)
  void DiscardIter();

 private:
  struct Slot {
    uint32_t offset = 0;  // of the series text in the buffer
    uint32_t size = 0;
    Entry entry;
  };
  struct Scrape {
    std::vector<Slot> slots;
    std::string texts;
    absl::string_view Text(const Slot& s) const { return {texts.data() + s.offset, s.size}; }
    Entry* Push(absl::string_view series, const Entry& e);
    void Clear();
  };

  // Leaves in-order mode: this scrape's series so far (last_'s first cursor_) are copied to
  // cur_, which collects the rest.
  void StartCopying();

  Scrape last_;  // the last successful scrape, in body order
  // While the scrape follows last_'s order (the common case) its entries are last_'s own and
  // cur_ stays empty; after the first deviation cur_ collects this scrape's series.
  bool in_order_ = true;
  Scrape cur_;
  size_t cursor_ = 0;  // where in last_ the next series is expected
  absl::flat_hash_map<absl::string_view, uint32_t> index_;  // of last_, built on first need
  absl::flat_hash_map<uint64_t, labels::Labels> labels_cur_, labels_last_;  // tracked, no ref
  absl::flat_hash_map<std::string, uint64_t> dropped_;  // value: last iteration seen
  absl::flat_hash_map<std::string, Entry> report_;
  uint64_t iter_ = 0;
  size_t dropped_after_flush_ = 0;
  std::shared_ptr<MetadataStore> metadata_;
};

}  // namespace argus::scrape
