// One block in a bucket as a StoreAPI source (Thanos's bucketBlock): the index-header on local
// disk, postings and series entries by ranged reads of the index, chunks by ranged reads of the
// segments, through the store's shared index cache.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/env.h"
#include "block/metadata.h"
#include "metrics/metric.h"
#include "objstore/bucket.h"
#include "store/block_chunks.h"
#include "store/block_index.h"
#include "store/cache.h"
#include "store/index_header.h"
#include "storeapi/source.h"

namespace argus::store {

// What a block reads from the bucket, by kind of data.
enum class DataType { kPostings = 0, kSeries = 1, kChunks = 2 };
inline constexpr int kNumDataTypes = 3;

// Per-query observations shared by a store's blocks (each optional; owned by a registry).
struct BlockMetrics {
  // thanos_bucket_store_series_data_size_fetched_bytes{data_type}, by DataType.
  metrics::Histogram* fetched_bytes[kNumDataTypes] = {};
};

// Thread-safe after Open.
class BucketBlock : public storeapi::SeriesSource {
 public:
  // Opens block `meta` of `bucket`, with its index-header at <dir>/index-header (built from
  // the bucket unless a valid one is there; `header_rebuilt` tells which). `bucket`, `cache`
  // and `metrics` (both optional) must outlive the block. Errors: those of IndexHeader::Open
  // and BlockChunks::Open, annotated with the block.
  static absl::StatusOr<std::shared_ptr<BucketBlock>> Open(Env* env, objstore::Bucket& bucket,
                                                           block::Meta meta, const std::string& dir,
                                                           IndexCache* cache,
                                                           const BlockMetrics* metrics,
                                                           bool* header_rebuilt = nullptr);

  // SeriesSource. Select charges `budget` for every byte read or taken from the cache before
  // it is read, then for series and samples. Errors: ResourceExhausted; those of the bucket
  // (NotFound for a missing object) and DataLoss naming the object (<ULID>/...); the server
  // names the block.
  absl::StatusOr<std::vector<tsdb::ChunkSeries>> Select(const storeapi::SelectParams& params,
                                                        storeapi::QueryBudget* budget) override;
  // Without matchers, from the index-header alone (for the whole block, whatever the range).
  absl::StatusOr<std::vector<std::string>> LabelNames(
      int64_t min_time, int64_t max_time, const std::vector<labels::Matcher>& matchers) override;
  absl::StatusOr<std::vector<std::string>> LabelValues(
      const std::string& name, int64_t min_time, int64_t max_time,
      const std::vector<labels::Matcher>& matchers) override;

  // The block's meta.json.
  const block::Meta& meta() const { return meta_; }
  // Bytes read from the bucket by queries so far, by DataType.
  uint64_t fetched_bytes(DataType t) const { return fetched_[static_cast<int>(t)].load(); }

 private:
  BucketBlock(block::Meta meta, std::unique_ptr<IndexHeader> header, BlockIndex index,
              BlockChunks chunks, const BlockMetrics* metrics);
  // The entries of series matching `matchers` with a chunk in [mint, maxt], chunks outside it
  // dropped.
  absl::StatusOr<std::vector<tsdb::index::SeriesEntry>> MatchingSeries(
      int64_t mint, int64_t maxt, const std::vector<labels::Matcher>& matchers,
      storeapi::QueryBudget* budget, FetchCount* counts) const;
  // MatchingSeries for the label calls (no budget), recorded.
  absl::StatusOr<std::vector<tsdb::index::SeriesEntry>> SeriesForLabels(
      int64_t min_time, int64_t max_time, const std::vector<labels::Matcher>& matchers);
  // Adds one call's reads to the totals and the metrics.
  void Record(const FetchCount* counts);

  block::Meta meta_;
  std::unique_ptr<IndexHeader> header_;
  BlockIndex index_;
  BlockChunks chunks_;
  const BlockMetrics* metrics_;
  std::atomic<uint64_t> fetched_[kNumDataTypes] = {};
};

}  // namespace argus::store
