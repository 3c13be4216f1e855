// A series as the storage engine hands it to queriers: labels plus its XOR chunks in the
// queried range, deleted samples already removed. Heads and blocks produce these; the
// sample-level storage::Series wraps them, the StoreAPI sends the chunks as they are.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "absl/strings/string_view.h"
#include "model/labels/labels.h"
#include "storage/storage.h"
#include "tsdb/tombstones/tombstones.h"

namespace argus::tsdb {

struct ChunkView {
  int64_t min_time = 0;    // inclusive
  int64_t max_time = 0;    // inclusive
  absl::string_view data;  // XOR chunk bytes, owned by a keepalive or by the block
};

struct ChunkSeries {
  labels::Labels labels;
  std::vector<ChunkView> chunks;  // ascending min_time; may overlap (merged when iterating)
  // Owners of chunk bytes that are not in a block the querier keeps open (head chunks).
  std::vector<std::shared_ptr<const void>> keepalive;
};

// Receives series one at a time; an error stops whatever is sending them.
using ChunkSeriesSink = std::function<absl::Status(ChunkSeries)>;

// A sink that appends every series to `*out`, which must outlive it.
inline ChunkSeriesSink AppendTo(std::vector<ChunkSeries>* out) {
  return [out](ChunkSeries s) {
    out->push_back(std::move(s));
    return absl::OkStatus();
  };
}

// Iterates the samples of `series` with mint <= t <= maxt, in time order,
// one sample per timestamp (the earliest chunk's, when chunks overlap). `series` must outlive
// the iterator. Errors: DataLoss for a corrupt chunk.
std::unique_ptr<storage::SampleIterator> NewChunkSeriesIterator(const ChunkSeries& series,
                                                                int64_t mint, int64_t maxt);

// Re-encodes the chunks of `series` that hold samples inside `deleted` (sorted, merged
// intervals) without those samples, dropping chunks left empty. Errors: DataLoss for a corrupt
// chunk.
absl::Status RemoveDeleted(const std::vector<tombstones::Interval>& deleted, ChunkSeries* series);

// A storage::Series over a ChunkSeries and a time range.
class ChunkBackedSeries : public storage::Series {
 public:
  ChunkBackedSeries(ChunkSeries series, int64_t mint, int64_t maxt)
      : series_(std::move(series)), mint_(mint), maxt_(maxt) {}
  const labels::Labels& labels() const override { return series_.labels; }
  std::unique_ptr<storage::SampleIterator> Iterator() const override {
    return NewChunkSeriesIterator(series_, mint_, maxt_);
  }

 private:
  ChunkSeries series_;
  int64_t mint_, maxt_;
};

}  // namespace argus::tsdb
