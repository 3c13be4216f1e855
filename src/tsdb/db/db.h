// The TSDB as the rest of Argus sees it (Prometheus's tsdb.DB): a data directory holding
// immutable blocks, a write-ahead log and the in-memory head. It replays the WAL on open,
// persists the head in blocks as it ages, compacts blocks, enforces retention, and serves
// appenders and queriers. db.h is the one TSDB header other modules include.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "base/clock.h"
#include "base/env.h"
#include "base/ulid.h"
#include "metrics/registry.h"
#include "storage/storage.h"
#include "tsdb/block/block.h"
#include "tsdb/head/head.h"
#include "tsdb/querier/querier.h"

namespace argus::tsdb {

namespace wlog {
class WAL;
}
struct DbMetrics;

struct DbOptions {
  // --storage.tsdb.retention.time; 0 disables time retention.
  int64_t retention_ms = 15 * 24 * 3600 * 1000LL;
  // --storage.tsdb.retention.size; 0 disables size retention.
  int64_t retention_bytes = 0;
  // --storage.tsdb.min-block-duration / max-block-duration. min == max disables compaction of
  // blocks (the setup under a sidecar that uploads 2h blocks).
  int64_t min_block_duration = 2 * 3600 * 1000LL;
  int64_t max_block_duration = 0;  // 0: 10% of the retention time, at most 31 days
  uint64_t wal_segment_size = 128ull << 20;
  bool wal_compression = true;
  // How often the background loop looks for work; 0 runs no background loop (tests call
  // Compact()).
  int64_t compaction_interval_ms = 60 * 1000;
  Env* env = nullptr;                     // nullptr: Env::Default()
  Clock* clock = nullptr;                 // nullptr: Clock::Real()
  metrics::Registry* registry = nullptr;  // nullptr: metrics kept privately
};

// Thread-safe.
class DB : public storage::Queryable {
 public:
  // Opens or creates `dir`: removes leftovers of interrupted block writes and deletions,
  // opens every block (a block that fails to open is logged, counted and skipped), replays
  // the WAL (repairing a torn or corrupt tail), and starts the background loop.
  // Errors: those of Env for the directory and the WAL.
  static absl::StatusOr<std::unique_ptr<DB>> Open(std::string dir, DbOptions opts);
  ~DB() override;

  std::unique_ptr<storage::Appender> Appender() { return head_->NewAppender(); }
  absl::StatusOr<std::unique_ptr<storage::Querier>> NewQuerier(int64_t mint, int64_t maxt) override;
  // The same querier type, with access to raw chunks.
  std::unique_ptr<TsdbQuerier> ChunkQuerier(int64_t mint, int64_t maxt);

  // One round of background work: persist the head while it spans more than 1.5 chunk
  // ranges, compact blocks as planned, apply retention. Errors are also counted and logged.
  absl::Status Compact();
  // Deletes samples in [mint, maxt] of the matching series: tombstones in the head (logged)
  // and in every overlapping block.
  absl::Status Delete(int64_t mint, int64_t maxt, const std::vector<labels::Matcher>& matchers);

  std::vector<block::BlockMeta> Blocks() const;
  const head::Head& head() const { return *head_; }
  const std::string& dir() const { return dir_; }
  // WAL corruptions found (and repaired) so far (prometheus_tsdb_wal_corruptions_total).
  int64_t WalCorruptions() const;
  // Stops the background loop and closes the WAL. Idempotent.
  absl::Status Close();

 private:
  DB(std::string dir, DbOptions opts);
  absl::Status Init();
  // Rescans the directory: opens new blocks, drops blocks replaced by compaction or beyond
  // retention.
  absl::Status ReloadBlocks();
  absl::Status CompactHeadOnce(bool* did);
  absl::Status TruncateWal(int64_t mint);
  std::vector<std::shared_ptr<block::Block>> BlockSnapshot() const;
  void Run();

  std::string dir_;
  DbOptions opts_;
  std::vector<int64_t> ranges_;
  std::unique_ptr<metrics::Registry> own_registry_;
  std::unique_ptr<DbMetrics> metrics_;
  std::unique_ptr<wlog::WAL> wal_;
  std::unique_ptr<head::Head> head_;
  UlidGenerator ulids_;

  mutable absl::Mutex blocks_mu_;
  std::vector<std::shared_ptr<block::Block>> blocks_ ABSL_GUARDED_BY(blocks_mu_);
  absl::Mutex compact_mu_;  // one compaction or deletion at a time

  absl::Mutex stop_mu_;
  bool stop_ ABSL_GUARDED_BY(stop_mu_) = false;
  std::thread loop_;
};

}  // namespace argus::tsdb
