// The shipper (Thanos pkg/shipper): uploads the finished blocks of a local TSDB directory to a
// bucket, each once, with the thanos section in its meta.json, and remembers what it uploaded
// in <dir>/thanos.shipper.json. Used by `argus sidecar` and by `argus server` with a bucket.
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
  // The external labels to put in each uploaded meta.json, asked at every upload.
  std::function<labels::Labels()> external_labels;
  std::string source = block::kSidecarSource;
  // Also ship blocks of compaction level > 1 (--shipper.upload-compacted).
  bool upload_compacted = false;
  // Where thanos_shipper_* metrics go; none when null.
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
// thanos.shipper.json's text ({"version": 1, "uploaded": [...]}, tab-indented as Thanos).
std::string FormatState(const ShipperState& state);

// Not thread-safe: one Sync at a time.
class Shipper {
 public:
  // `bucket` must outlive the shipper.
  Shipper(objstore::Bucket& bucket, ShipperOptions options);

  // One cycle, as Thanos's Shipper.Sync: every block directory of the TSDB directory, oldest
  // first, is skipped if already uploaded, empty (no samples) or compacted (level > 1, unless
  // upload_compacted); recorded without upload if its meta.json is already in the bucket;
  // uploaded otherwise (chunks, then index, then meta.json with the thanos section last, so an
  // interrupted upload never looks complete). Blocks that fail are retried by the next cycle.
  // The state file is then rewritten atomically with the blocks that are in the bucket.
  // Returns the number of blocks uploaded. Errors: Unavailable "failed to sync N blocks" when
  // any block failed (the others are done and recorded); FailedPrecondition when the external
  // labels are empty (nothing is uploaded).
  absl::StatusOr<int> Sync();

 private:
  absl::StatusOr<int> SyncOnce();
  absl::Status Upload(const tsdb::block::BlockMeta& meta, const labels::Labels& ext);

  objstore::Bucket& bucket_;
  const ShipperOptions opts_;
  std::unique_ptr<metrics::Registry> own_registry_;  // when opts_.registry is null
  metrics::Counter& dir_syncs_;
  metrics::Counter& dir_sync_failures_;
  metrics::Counter& uploads_;
  metrics::Counter& upload_failures_;
};

}  // namespace argus::shipper
