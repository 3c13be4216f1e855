// The store gateway's view of a bucket (Thanos's BucketStore): the blocks it serves, kept in
// sync with the bucket, each a BucketBlock source with the block's external labels.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "base/env.h"
#include "metrics/registry.h"
#include "objstore/bucket.h"
#include "store/bucket_block.h"
#include "store/cache.h"
#include "storeapi/source.h"

namespace argus::store {

struct BucketStoreOptions {
  std::string data_dir;  // index-headers go to <data_dir>/<ULID>/ (--data-dir)
  // Only blocks overlapping [min_time, max_time] (ms, inclusive) are served (--min-time,
  // --max-time).
  int64_t min_time = std::numeric_limits<int64_t>::min();
  int64_t max_time = std::numeric_limits<int64_t>::max();
  // Blocks marked for deletion longer ago than this are no longer served
  // (--ignore-deletion-marks-delay).
  absl::Duration ignore_deletion_marks_delay = absl::Hours(24);
  uint64_t index_cache_bytes = kDefaultIndexCacheBytes;  // --index-cache-size
  int sync_parallelism = 20;                             // --block-sync-concurrency
};

// Thread-safe: Sync may run while queries call Sources.
class BucketStore : public storeapi::Store {
 public:
  // `bucket`, `registry` and `clock` must outlive the store. Registers the
  // thanos_bucket_store_* and thanos_store_index_cache_* metrics on `registry`.
  BucketStore(Env* env, objstore::Bucket& bucket, BucketStoreOptions options,
              metrics::Registry& registry, Clock* clock = Clock::Real());

  // Brings the served blocks in line with the bucket: lists the top-level block directories,
  // then for each (`sync_parallelism` at a time) checks its deletion mark and, when new, reads
  // its meta.json and opens it. Left out: directories without meta.json (partial uploads),
  // blocks marked for deletion longer than ignore_deletion_marks_delay ago, blocks outside the
  // time range. A block whose meta or index-header fails is logged, counted and retried next
  // time. Blocks gone are dropped with their local directories. Errors: those of listing the
  // bucket, in which case the served set is unchanged.
  absl::Status Sync();

  storeapi::ComponentType type() const override { return storeapi::ComponentType::kStore; }
  // One source per block, ordered by ULID: external labels from thanos.labels, the block's
  // time range (max inclusive), name "block <ULID>".
  std::vector<storeapi::SourceRef> Sources() const override;

  // The block with this ULID, or null.
  std::shared_ptr<BucketBlock> Block(const std::string& id) const;

 private:
  struct Metrics {
    metrics::Gauge* blocks_loaded;
    metrics::Counter* loads;
    metrics::Counter* load_failures;
    metrics::Counter* drops;
    metrics::Counter* drop_failures;
    BlockMetrics block;
  };
  static Metrics MakeMetrics(metrics::Registry& registry);

  // One block directory a sync found: whether to serve it, and the block when newly opened.
  struct Listed {
    std::string id;
    bool serve = false;
    std::shared_ptr<BucketBlock> opened;
  };
  // The ULIDs of the bucket's top-level block directories.
  absl::StatusOr<std::vector<std::string>> ListBlocks();
  // Whether block `id` carries a deletion mark older than the delay.
  bool Deleted(const std::string& id);
  // Decides whether `l` is served: not when marked deleted past the delay, a partial upload,
  // outside the time range, or its meta.json unreadable (counted, retried next sync); opens it
  // when new.
  void Examine(Listed* l);
  // Removes local directories of blocks not in `keep`.
  void RemoveStaleDirs(const absl::flat_hash_set<std::string>& keep);

  Env* env_;
  objstore::Bucket& bucket_;
  const BucketStoreOptions options_;
  Clock* clock_;
  IndexCache cache_;
  Metrics metrics_;
  std::mutex sync_mu_;  // one Sync at a time
  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<BucketBlock>> blocks_ ABSL_GUARDED_BY(mu_);
};

}  // namespace argus::store
