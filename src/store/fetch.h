// Ranged reads of bucket objects as the store gateway does them: near ranges merged into one
// GetRange (Thanos merges gaps under 512 KiB), every fetched byte charged to the query's budget
// before it is fetched.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "objstore/bucket.h"
#include "storeapi/budget.h"

namespace argus::store {

// Gaps below which two ranges of one object are read with a single GetRange.
inline constexpr uint64_t kMaxRangeGap = 512 * 1024;

// A byte range of an object.
struct ByteRange {
  uint64_t offset = 0;
  uint64_t length = 0;
  uint64_t end() const { return offset + length; }
};

// Reads bytes [offset, offset + length) of `name` whole. Errors: those of the bucket; DataLoss
// "<name>: ..." when the object ends before offset + length.
absl::StatusOr<std::string> ReadRange(objstore::Bucket& bucket, absl::string_view name,
                                      uint64_t offset, uint64_t length);

// `ranges` sorted by offset, overlapping ones and those less than `max_gap` apart joined.
std::vector<ByteRange> MergeRanges(std::vector<ByteRange> ranges, uint64_t max_gap);

// What one query read from the bucket, for one kind of data.
struct FetchCount {
  uint64_t requests = 0;
  uint64_t bytes = 0;
};

// The bytes of some ranges of one object, fetched together. Immutable once fetched.
class FetchedRanges {
 public:
  // Fetches `wanted` (in any order) with near ranges merged, ranges cut at `object_size`.
  // Reserves each merged range's bytes on `budget` before reading it and adds the reads to
  // `count`.
  // Errors: ResourceExhausted from the budget (nothing more is read), those of ReadRange.
  static absl::StatusOr<FetchedRanges> Fetch(objstore::Bucket& bucket, absl::string_view name,
                                             std::vector<ByteRange> wanted, uint64_t object_size,
                                             storeapi::QueryBudget* budget, FetchCount* count);

  // The fetched bytes from `offset` to the end of the fetched range holding it; empty when no
  // range holds it.
  absl::string_view From(uint64_t offset) const;
  // The buffer holding `offset` (to keep views into it alive); null when none.
  std::shared_ptr<const std::string> Owner(uint64_t offset) const;

 private:
  // The index of the range holding `offset`, or -1.
  int Find(uint64_t offset) const;

  std::vector<uint64_t> offsets_;  // ascending
  std::vector<std::shared_ptr<const std::string>> data_;
};

}  // namespace argus::store
