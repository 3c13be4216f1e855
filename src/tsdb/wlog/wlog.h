// The write-ahead log writer (Prometheus v2.42 tsdb/wlog.WL): records are split into fragments
// in 32 KiB pages of numbered segment files, optionally snappy-compressed, and never cross a
// segment. See segment.h for the framing and docs/format/wal.md for the whole format.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "base/env.h"
#include "tsdb/wlog/segment.h"

namespace argus::tsdb::wlog {

struct Options {
  // Segments are cut before a record that would not fit. REQUIRES: a positive multiple of
  // kPageSize (Open fails otherwise).
  uint64_t segment_size = kDefaultSegmentSize;
  // Snappy-compress each record when that makes it strictly shorter.
  bool compress = true;
};

// Counters a caller can export as Prometheus's prometheus_tsdb_wal_* metrics.
struct Stats {
  uint64_t records = 0;             // records logged
  uint64_t record_bytes = 0;        // their size before compression
  uint64_t compressed_records = 0;  // records stored snappy-compressed
  uint64_t bytes_written = 0;       // bytes handed to segment files, padding included
  uint64_t page_flushes = 0;        // page_flushes_total
  uint64_t page_completions = 0;    // completed_pages_total
  uint64_t segments_created = 0;    // including the one opened first
  uint64_t writes_failed = 0;       // writes_failed_total
  uint64_t truncations = 0;         // truncations_total
  uint64_t truncations_failed = 0;  // truncations_failed_total
  uint64_t fsyncs = 0;
  uint64_t fsync_errors = 0;
  double fsync_seconds = 0;  // total time spent in fsync
  uint64_t corruptions_repaired = 0;
  int current_segment = -1;  // segment_current
};

namespace internal {
class SegmentSyncer;
}

// Appends records to a WAL directory. Thread-safe: all methods serialize on one mutex, apart
// from the fsync of finished segments, which a background thread does.
class WAL {
 public:
  // Opens `dir` (created if needed) for writing. Existing segments are never appended to:
  // writing starts in a new segment numbered last + 1, or 0 in an empty directory. Errors:
  // InvalidArgument for a bad segment size, DataLoss for non-contiguous segments, those of Env.
  static absl::StatusOr<std::unique_ptr<WAL>> Open(Env* env, std::string dir, Options options = {});
  // Closes the WAL if Close was not called, dropping any error.
  ~WAL();

  WAL(const WAL&) = delete;
  WAL& operator=(const WAL&) = delete;

  // Writes records in order. The last page touched is handed to the OS (write(2), no fsync)
  // before returning, so the records survive a process crash but not a machine crash; use
  // Sync for that. On error the active segment may hold a partial record, which a reader
  // reports as corruption. Errors: FailedPrecondition after Close, those of Env.
  absl::Status Log(absl::string_view record);
  absl::Status Log(absl::Span<const absl::string_view> records);
  absl::Status Log(absl::Span<const std::string> records);

  // Finishes the active segment (zero-pads its last page; it is fsynced and closed in the
  // background) and starts the next one. Returns the new segment's index.
  absl::StatusOr<int> NextSegment();
  // fsyncs the active segment.
  absl::Status Sync();
  // Removes segments with index < i; never the active segment.
  absl::Status Truncate(int i);
  // The range of segments on disk (dir() and first/last index).
  absl::StatusOr<SegmentRange> Segments();
  // Repairs the directory after a read failed with `corruption` (see wlog::Repair), then
  // continues writing in a new segment after the repaired one.
  absl::Status Repair(const CorruptionInfo& corruption);
  // Pads and fsyncs the active segment, waits for background fsyncs and closes the WAL.
  // Errors: FailedPrecondition when already closed, those of Env.
  absl::Status Close();

  const std::string& dir() const { return dir_; }
  bool compression_enabled() const { return options_.compress; }
  int ActiveSegment();
  Stats stats();

 private:
  WAL(Env* env, std::string dir, Options options);

  template <typename Records>
  absl::Status LogRecords(const Records& records);
  absl::Status LogOne(absl::string_view record, bool final) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status FlushPage(bool clear) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::StatusOr<int> NextSegmentLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status SetSegment(int index) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  absl::Status CheckWritable() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool PageFull() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return kPageSize - alloc_ < kHeaderSize;
  }

  Env* const env_;
  const std::string dir_;
  const Options options_;
  const std::unique_ptr<internal::SegmentSyncer> syncer_;

  absl::Mutex mu_;
  std::unique_ptr<WritableFile> segment_ ABSL_GUARDED_BY(mu_);
  int segment_index_ ABSL_GUARDED_BY(mu_) = -1;
  uint64_t done_pages_ ABSL_GUARDED_BY(mu_) = 0;  // full pages in the active segment
  // The active page: bytes [0, alloc_) are fragments, the rest zeros; [0, flushed_) were
  // already handed to the segment file.
  std::unique_ptr<char[]> page_ ABSL_GUARDED_BY(mu_);
  size_t alloc_ ABSL_GUARDED_BY(mu_) = 0;
  size_t flushed_ ABSL_GUARDED_BY(mu_) = 0;
  bool unflushed_ ABSL_GUARDED_BY(mu_) = false;  // appended bytes not yet handed to the OS
  std::unique_ptr<char[]> snappy_buf_ ABSL_GUARDED_BY(mu_);
  size_t snappy_cap_ ABSL_GUARDED_BY(mu_) = 0;
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  Stats stats_ ABSL_GUARDED_BY(mu_);
};

}  // namespace argus::tsdb::wlog
