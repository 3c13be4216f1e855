// One series of the head: interned labels, closed XOR chunks and the open head chunk, cut as
// Prometheus v2.42 cuts them (tsdb/head_append.go): about 120 samples per chunk, spread evenly
// up to the next chunk-range boundary, never crossing it.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "model/labels/labels.h"
#include "tsdb/chunkenc/xor.h"
#include "tsdb/chunks/head_chunks.h"
#include "tsdb/querier/chunk_series.h"

namespace argus::tsdb::head {

inline constexpr int kSamplesPerChunk = 120;
// Initial capacity of an open chunk's buffer (Prometheus allocates 128): a few dozen samples
// of a steady series fit, so a fresh or slow series costs half; it grows in 64-byte steps.
inline constexpr size_t kOpenChunkBytes = 64;

// (t / width) * width + width with Go's truncating division: the end of t's chunk range.
inline int64_t RangeEnd(int64_t t, int64_t width) { return (t / width) * width + width; }

using InternedLabel = std::pair<const std::string*, const std::string*>;

// Not thread-safe: the head guards each series with the lock of its stripe. What an append
// touches fills the first cache line; the rest is read when series are created, looked up by
// labels, queried or truncated.
class alignas(64) MemSeries {
 public:
  // REQUIRES: `labels` sorted by name, names unique, strings interned by the head.
  MemSeries(uint64_t ref, std::vector<InternedLabel> labels)
      : ref_(ref), labels_(std::move(labels)) {}

  uint64_t ref() const { return ref_; }
  const std::vector<InternedLabel>& interned_labels() const { return labels_; }
  labels::Labels Labels() const;
  // Labels().Hash() without building the labels.
  uint64_t LabelsHash() const;
  // The value of label `name`, "" when absent.
  absl::string_view Get(absl::string_view name) const;

  // Appends a sample, cutting chunks at `chunk_range` boundaries; full chunks go to `store`.
  // Returns false (nothing appended) when t is not after the last sample's.
  bool Append(int64_t t, double v, int64_t chunk_range, chunks::HeadChunks& store);

  // Ask the CPU to fetch the series, then (once it is cached) its open chunk's last bytes,
  // ahead of an Append.
  void PrefetchSeries() const { __builtin_prefetch(this); }
  void PrefetchChunk() const {
    if (const char* tail = head_.tail(); tail != nullptr) __builtin_prefetch(tail);
  }
  // Without samples. A series has an open chunk whenever it has samples.
  bool empty() const { return head_.num_samples() == 0; }
  // Closed chunks plus the open one.
  size_t num_chunks() const { return closed_.size() + (empty() ? 0 : 1); }
  int64_t min_time(const chunks::HeadChunks& store) const;
  // The last sample. REQUIRES: !empty().
  int64_t max_time() const { return head_.last_t(); }
  double last_value() const { return head_.last_v(); }

  // Appends the chunks overlapping [mint, maxt] to `out`. The open chunk is copied; closed
  // ones are read from `store` in place.
  void Chunks(int64_t mint, int64_t maxt, const chunks::HeadChunks& store, ChunkSeries* out) const;
  // Drops every chunk that ends before `mint`. The open chunk too, so a series with no
  // samples since is empty() afterwards.
  void TruncateBefore(int64_t mint, const chunks::HeadChunks& store);

  // Bookkeeping of appenders with uncommitted samples for this series: the id of the last one
  // (its pending samples are checked like committed ones; it keeps their times itself), and
  // how many pending samples or lookups pin the series against garbage collection.
  struct Pending {
    uint32_t appender = 0;  // 0: none
    uint32_t pins = 0;
  };
  Pending& pending() { return pending_; }

 private:
  void CutHeadChunk(int64_t t, int64_t chunk_range, chunks::HeadChunks& store);

  // Hot: the open chunk (no samples when there is none), its first timestamp and when to cut.
  chunkenc::XorAppender head_;
  int64_t head_min_t_ = 0;
  int64_t next_at_ = std::numeric_limits<int64_t>::min();  // cut the head chunk at t >= this
  // Cold.
  uint64_t ref_;
  std::vector<InternedLabel> labels_;
  // Refs of the full chunks in the HeadChunks store, oldest first (their time ranges are
  // stored with them: 8 bytes per chunk here).
  std::vector<uint64_t> closed_;
  Pending pending_;
};

}  // namespace argus::tsdb::head
