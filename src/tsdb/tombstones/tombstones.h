// A block's tombstones file: deleted time ranges per series (tsdb/tombstones in v2.42).
// Layout: magic 0x0130BA30 (BE32) | version 1 | records | CRC32C of the records, where a record
// is uvarint series ref | varint mint | varint maxt (a closed interval). See
// docs/format/block.md.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/env.h"

namespace argus::tsdb::tombstones {

inline constexpr uint32_t kMagic = 0x0130BA30;
inline constexpr char kFilename[] = "tombstones";

struct Interval {
  int64_t min_time;  // inclusive
  int64_t max_time;  // inclusive
  friend bool operator==(const Interval&, const Interval&) = default;
};

// Deleted intervals per series ref, each series' intervals sorted and merged (overlapping or
// touching intervals become one). Not thread-safe for writes; const use is.
class Tombstones {
 public:
  void Add(uint64_t ref, Interval iv);
  // The intervals of `ref`, or nullptr when nothing of it is deleted.
  const std::vector<Interval>* Get(uint64_t ref) const;
  // Total number of intervals (meta.json's numTombstones).
  uint64_t NumIntervals() const;
  const std::map<uint64_t, std::vector<Interval>>& all() const { return by_ref_; }

 private:
  std::map<uint64_t, std::vector<Interval>> by_ref_;
};

// True when t falls in one of `intervals` (sorted and merged).
bool IsDeleted(const std::vector<Interval>& intervals, int64_t t);

// Reads <dir>/tombstones; a missing file means no tombstones. Errors: DataLoss naming the file
// for a bad magic, version, checksum or truncated record.
absl::StatusOr<Tombstones> Read(Env* env, const std::string& dir);
// Writes <dir>/tombstones atomically (temporary file, fsync, rename).
absl::Status Write(Env* env, const std::string& dir, const Tombstones& tombstones);

}  // namespace argus::tsdb::tombstones
