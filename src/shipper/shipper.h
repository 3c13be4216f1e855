// The shipper (Thanos pkg/shipper): uploads the finished blocks of a local TSDB directory to a
// bucket, each once, with the thanos section in its meta.json, and remembers what it uploaded
// in <dir>/thanos.shipper.json. Used by `argus sidecar`, by `argus server` with a bucket and by
// `argus tools bucket upload-blocks`.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/env.h"
#include "base/ulid.h"
#include "block/metadata.h"
#include "metrics/registry.h"
#include "model/labels/labels.h"
#include "objstore/bucket.h"

namespace argus::shipper {

inline constexpr char kStateFile[] = "thanos.shipper.json";

struct ShipperOptions {
  std::string dir;  // the TSDB directory whose block directories are shipped
  // The external labels to put in each uploaded meta.json, asked at every Sync.
  std::function<labels::Labels()> external_labels;
  std::string source = block::kSidecarSource;
  // Also ship blocks of compaction level > 1 (--shipper.upload-compacted).
  bool upload_compacted = false;
  // Where the thanos_shipper_* metrics go; a private registry when null.
  metrics::Registry* registry = nullptr;
  Env* env = Env::Default();
};

// What thanos.shipper.json holds.
struct ShipperState {
  std::vector<Ulid> uploaded;
};

// Parses thanos.shipper.json. Errors: InvalidArgument for malformed JSON, a version other
// than 1 or a bad ULID.
absl::StatusOr<ShipperState> ParseState(absl::string_view json);
// thanos.shipper.json's text as Thanos writes it ({"version": 1, "uploaded": [...]},
// tab-indented, "uploaded": null when empty, a final newline).
std::string FormatState(const ShipperState& state);

// Not thread-safe: one Sync at a time.
class Shipper {
 public:
  // `bucket` must outlive the shipper. REQUIRES: options.external_labels is set.
  Shipper(objstore::Bucket& bucket, ShipperOptions options);

  // One cycle, as Thanos's Shipper.Sync. thanos.shipper.json is read (missing, unreadable or
  // corrupt: a warning, then as if empty; the bucket check below keeps blocks from being
  // uploaded twice). The block directories (ULID names with a meta.json) are visited oldest
  // first by minTime: recorded if already uploaded; skipped if empty (no samples) or compacted
  // (level > 1, unless upload_compacted); recorded without upload if <ULID>/meta.json is
  // already in the bucket; uploaded otherwise: chunks/*, then index, then meta.json last with
  // the thanos section (the current external labels over the block's own, the source, the
  // block's downsampling resolution, segment_files and files with their sizes), so an
  // interrupted upload never looks complete. A block that fails is logged, counted and left
  // unrecorded for the next cycle, which uploads all its files again; unlike Thanos's default
  // (which stops at the first failure), the cycle goes on with the next blocks, as Thanos does
  // with --shipper.allow-out-of-order-upload. Finally thanos.shipper.json is rewritten
  // atomically with the recorded blocks still present locally.
  // Metrics as Thanos's: thanos_shipper_dir_syncs_total counts cycles that went through (even
  // with failed blocks), thanos_shipper_dir_sync_failures_total cycles that stopped early;
  // uploads_total, upload_failures_total and corrupted_blocks_total count blocks;
  // upload_compacted_done is set to upload_compacted after a cycle without failures.
  // Returns the number of blocks uploaded. Errors: Unavailable "failed to sync N blocks" when
  // any block failed or has an unreadable meta.json (the others are done and recorded);
  // FailedPrecondition when the external labels are empty, and those of Env when the
  // directory cannot be listed (nothing is uploaded then).
  absl::StatusOr<int> Sync();

 private:
  // What a completed cycle did.
  struct Cycle {
    int uploaded = 0;
    int failed = 0;     // uploads that failed
    int corrupted = 0;  // block directories whose meta.json cannot be read
  };

  // The cycle; an error means it stopped early.
  absl::StatusOr<Cycle> SyncOnce();
  // Uploads one block from its local directory; `meta` is its local meta.json.
  absl::Status Upload(block::Meta meta, const labels::Labels& ext);

  objstore::Bucket& bucket_;
  const ShipperOptions opts_;
  std::unique_ptr<metrics::Registry> own_registry_;  // when opts_.registry is null
  metrics::Counter& dir_syncs_;
  metrics::Counter& dir_sync_failures_;
  metrics::Counter& uploads_;
  metrics::Counter& upload_failures_;
  metrics::Counter& corrupted_blocks_;
  metrics::Gauge& upload_compacted_done_;
};

}  // namespace argus::shipper
