// WAL checkpoints (Prometheus v2.42 tsdb/wlog/checkpoint.go): `checkpoint.NNNNNNNN`
// directories, each a segmented WAL of its own, holding what is still needed from the previous
// checkpoint and segments ..NNNNNNNN once the head has been truncated.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/env.h"

namespace argus::tsdb::wlog {

inline constexpr char kCheckpointPrefix[] = "checkpoint.";

// "checkpoint.00000012" for index 12.
std::string CheckpointDirName(int index);

// A checkpoint directory of a WAL directory.
struct CheckpointRef {
  std::string name;  // checkpoint.NNNNNNNN
  std::string dir;   // the WAL directory joined with name
  int index;
};

// The checkpoints of `wal_dir` by index; names that do not parse (such as an unfinished
// `.tmp`) are skipped. Errors: FailedPrecondition for a checkpoint name that is not a
// directory, those of Env.
absl::StatusOr<std::vector<CheckpointRef>> ListCheckpoints(Env* env, const std::string& wal_dir);
// The newest checkpoint. Errors: NotFound when there is none, those of ListCheckpoints.
absl::StatusOr<CheckpointRef> LastCheckpoint(Env* env, const std::string& wal_dir);
// Removes every checkpoint with index < max_index. Tries all; returns the first error.
absl::Status DeleteCheckpoints(Env* env, const std::string& wal_dir, int max_index);

// What a checkpoint read and dropped, per record kind. Totals include the dropped ones.
struct CheckpointStats {
  uint64_t dropped_series = 0;
  uint64_t dropped_samples = 0;  // float and histogram samples
  uint64_t dropped_tombstones = 0;
  uint64_t dropped_exemplars = 0;
  uint64_t dropped_metadata = 0;
  uint64_t total_series = 0;
  uint64_t total_samples = 0;
  uint64_t total_tombstones = 0;
  uint64_t total_exemplars = 0;
  uint64_t total_metadata = 0;
};

// Builds checkpoint.<to> in `wal_dir` from the last checkpoint (if any; reading then starts at
// its index + 1 whatever `from` says) and segments from..to, keeping:
//   series records of series for which keep(ref) is true;
//   samples, histogram samples and exemplars with t >= mint (of any series, as v2.42);
//   tombstones whose interval ends at or after mint;
//   the latest metadata of each kept series, written last as one record;
// and dropping everything else (mmap markers, float histogram samples, unknown types). The
// checkpoint is written to checkpoint.<to>.tmp with `compress`, fsynced, and renamed over
// checkpoint.<to>. Segments and older checkpoints are left for the caller to delete.
// Errors: FailedPrecondition when `from` leaves a gap after the last checkpoint, DataLoss for
// corrupt input (not repairable: the head would not know which series were lost), Env errors.
absl::StatusOr<CheckpointStats> Checkpoint(Env* env, const std::string& wal_dir, int from, int to,
                                           const std::function<bool(uint64_t series_ref)>& keep,
                                           int64_t mint, bool compress = true);

}  // namespace argus::tsdb::wlog
