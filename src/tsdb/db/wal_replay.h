// Rebuilds the head from the write-ahead log on start (Prometheus's Head.Init): the last
// checkpoint, then every segment after it. A torn or corrupt tail is repaired (truncated at the
// last good record, logged and counted); what came before it is kept.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "base/env.h"
#include "tsdb/head/head.h"

namespace argus::tsdb {

struct ReplayStats {
  uint64_t series = 0;
  uint64_t samples = 0;
  uint64_t dropped_samples = 0;  // unknown series or out of order
  uint64_t tombstones = 0;
  uint64_t corruptions = 0;  // repaired corrupt tails
  absl::Duration duration;
};

// Replays `wal_dir` (missing: nothing to do) into `head`. With `repair`, a corrupt segment
// tail is repaired; without (read-only use), it is an error. Errors: those of Env, and
// DataLoss for corruption that is not repaired (always for a corrupt checkpoint).
absl::StatusOr<ReplayStats> ReplayWal(Env* env, const std::string& wal_dir, head::Head* head,
                                      bool repair = true);

}  // namespace argus::tsdb
