// The index of one block in a bucket, read the store gateway's way: label names, values and
// postings offsets from the local index-header; postings lists and series entries by ranged
// reads of <ULID>/index, near ranges merged, through the shared index cache.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "model/labels/matcher.h"
#include "objstore/bucket.h"
#include "store/cache.h"
#include "store/fetch.h"
#include "store/index_header.h"
#include "storeapi/budget.h"
#include "tsdb/index/decode.h"
#include "tsdb/index/postings.h"

namespace argus::store {

// Thanos's estimate of the largest series entry: entries are read this long and re-read whole
// when longer.
inline constexpr uint64_t kEstimatedMaxSeriesSize = 64 * 1024;

// Thread-safe (read-only but for the cache, which is thread-safe).
class BlockIndex {
 public:
  // `bucket`, `header` and `cache` (optional) must outlive this reader. `block_id` names the
  // block in cache keys and errors.
  BlockIndex(objstore::Bucket& bucket, std::string block_id, const IndexHeader& header,
             IndexCache* cache);

  // Refs, ascending, of the series matching every matcher (all series for none), as
  // tsdb::PostingsForMatchers selects them; every postings list the matchers need is read
  // with one round of merged ranged reads. Charges `budget` for the bytes read or taken from
  // the cache and counts reads in `count`. Errors: ResourceExhausted, those of the bucket,
  // DataLoss "<ULID>/index: ..." for a corrupt list.
  absl::StatusOr<tsdb::index::PostingsList> Postings(const std::vector<labels::Matcher>& matchers,
                                                     storeapi::QueryBudget* budget,
                                                     FetchCount* count) const;

  // The series entries of `refs` (ascending), in that order. Charges and errors as Postings.
  absl::StatusOr<std::vector<tsdb::index::SeriesEntry>> Series(
      const tsdb::index::PostingsList& refs, storeapi::QueryBudget* budget,
      FetchCount* count) const;

 private:
  using Key = std::pair<std::string, std::string>;
  // The postings lists of `keys`, fetched or cached.
  absl::StatusOr<std::vector<tsdb::index::PostingsList>> FetchPostings(
      const std::vector<Key>& keys, storeapi::QueryBudget* budget, FetchCount* count) const;
  // The entry bytes of series `ref` from `fetched`, re-read whole when it was cut short.
  absl::StatusOr<std::string> SeriesBytes(uint64_t ref, const FetchedRanges& fetched,
                                          storeapi::QueryBudget* budget, FetchCount* count) const;
  absl::Status Corrupt(const absl::Status& s, uint64_t offset) const;

  objstore::Bucket& bucket_;
  const std::string block_id_;
  const std::string index_name_;
  const IndexHeader& header_;
  IndexCache* cache_;
};

}  // namespace argus::store
