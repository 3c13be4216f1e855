// One series of the head: interned labels, closed XOR chunks and the open head chunk, cut as
// Prometheus v2.42 cuts them (tsdb/head_append.go): about 120 samples per chunk, spread evenly
// up to the next chunk-range boundary, never crossing it.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/labels/labels.h"
#include "tsdb/chunkenc/xor.h"
#include "tsdb/chunks/head_chunks.h"
#include "tsdb/querier/chunk_series.h"

namespace argus::tsdb::head {

inline constexpr int kSamplesPerChunk = 120;
// Initial capacity of a series' first chunk buffer, as Prometheus allocates it.
inline constexpr size_t kOpenChunkBytes = 128;

// (t / width) * width + width with Go's truncating division: the end of t's chunk range.
inline int64_t RangeEnd(int64_t t, int64_t width) { return (t / width) * width + width; }

using InternedLabel = std::pair<const std::string*, const std::string*>;

// Not thread-safe: the head guards each series with the lock of its stripe.
class MemSeries {
 public:
  // REQUIRES: `labels` sorted by name, names unique, strings interned by the head.
  MemSeries(uint64_t ref, std::vector<InternedLabel> labels)
      : ref_(ref), labels_(std::move(labels)) {}

  uint64_t ref() const { return ref_; }
  const std::vector<InternedLabel>& interned_labels() const { return labels_; }
  labels::Labels Labels() const;
  // The value of label `name`, "" when absent.
  absl::string_view Get(absl::string_view name) const;

  // Appends a sample, cutting chunks at `chunk_range` boundaries; full chunks go to `store`.
  // Returns false (nothing appended) when t is not after the last sample's.
  bool Append(int64_t t, double v, int64_t chunk_range, chunks::HeadChunks& store);

  // Ask the CPU to fetch the series, then (once it is cached) its open chunk's last bytes,
  // ahead of an Append.
  void PrefetchSeries() const { __builtin_prefetch(this); }
  void PrefetchChunk() const {
    if (head_.has_value()) __builtin_prefetch(head_->bytes().data() + head_->bytes().size() - 1);
  }
  bool empty() const { return !head_.has_value() && closed_.empty(); }
  int64_t min_time(const chunks::HeadChunks& store) const;
  int64_t max_time() const { return last_t_; }
  double last_value() const { return last_v_; }

  // Appends the chunks overlapping [mint, maxt] to `out`. The open chunk is copied; closed
  // ones are read from `store` in place.
  void Chunks(int64_t mint, int64_t maxt, const chunks::HeadChunks& store, ChunkSeries* out) const;
  // Drops every chunk that ends before `mint`. The open chunk too, so a series with no
  // samples since is empty() afterwards.
  void TruncateBefore(int64_t mint, const chunks::HeadChunks& store);

  // Bookkeeping of appenders with uncommitted samples for this series: the last one's id and
  // its last pending timestamp and value (checked like committed ones), and how many pending
  // samples or lookups pin the series against garbage collection.
  struct Pending {
    uint64_t appender = 0;
    int64_t t = std::numeric_limits<int64_t>::min();
    double v = 0;
    uint32_t pins = 0;
  };
  Pending& pending() { return pending_; }

 private:
  void CutHeadChunk(int64_t t, int64_t chunk_range, chunks::HeadChunks& store);

  uint64_t ref_;
  std::vector<InternedLabel> labels_;
  // Refs of the full chunks in the HeadChunks store, oldest first (their time ranges are
  // stored with them: 8 bytes per chunk here).
  std::vector<uint64_t> closed_;
  std::optional<chunkenc::XorAppender> head_;
  int64_t head_min_t_ = 0;
  int64_t next_at_ = std::numeric_limits<int64_t>::min();  // cut the head chunk at t >= this
  int64_t last_t_ = std::numeric_limits<int64_t>::min();
  double last_v_ = 0;
  Pending pending_;
};

}  // namespace argus::tsdb::head
