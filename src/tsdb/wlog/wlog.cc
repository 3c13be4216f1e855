#include "tsdb/wlog/wlog.h"

#include <algorithm>
#include <cstring>
#include <deque>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "base/coding.h"
#include "base/crc32c.h"
#include "base/logging.h"
#include "base/status.h"
#include "snappy.h"
#include "tsdb/wlog/repair.h"

namespace argus::tsdb::wlog {
namespace internal {

// fsyncs and closes finished segments off the write path, as Prometheus's actor goroutine
// does, so cutting a segment does not stall appends. The thread starts with the first segment.
class SegmentSyncer {
 public:
  ~SegmentSyncer() {
    {
      absl::MutexLock l(&mu_);
      stop_ = true;
    }
    if (thread_.joinable()) thread_.join();
  }

  void Enqueue(std::unique_ptr<WritableFile> f) {
    absl::MutexLock l(&mu_);
    queue_.push_back(std::move(f));
    if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
  }

  // Waits until every enqueued segment is synced and closed.
  void Drain() {
    absl::MutexLock l(&mu_);
    mu_.Await(absl::Condition(
        +[](SegmentSyncer* s)
             ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->mu_) { return s->queue_.empty() && !s->busy_; },
        this));
  }

  void AddStats(Stats* s) {
    absl::MutexLock l(&mu_);
    s->fsyncs += fsyncs_;
    s->fsync_errors += errors_;
    s->fsync_seconds += seconds_;
  }

 private:
  void Run() {
    absl::MutexLock l(&mu_);
    while (true) {
      mu_.Await(absl::Condition(
          +[](SegmentSyncer* s)
               ABSL_EXCLUSIVE_LOCKS_REQUIRED(s->mu_) { return !s->queue_.empty() || s->stop_; },
          this));
      if (queue_.empty()) return;  // stopping
      std::unique_ptr<WritableFile> f = std::move(queue_.front());
      queue_.pop_front();
      busy_ = true;
      mu_.Unlock();
      const absl::Time start = absl::Now();
      absl::Status s = f->Sync();
      const double secs = absl::ToDoubleSeconds(absl::Now() - start);
      if (!s.ok()) log::Error("sync previous segment", {{"err", s}});
      absl::Status c = f->Close();
      if (!c.ok()) log::Error("close previous segment", {{"err", c}});
      mu_.Lock();
      busy_ = false;
      ++fsyncs_;
      seconds_ += secs;
      if (!s.ok() || !c.ok()) ++errors_;
    }
  }

  absl::Mutex mu_;
  std::deque<std::unique_ptr<WritableFile>> queue_ ABSL_GUARDED_BY(mu_);
  bool busy_ ABSL_GUARDED_BY(mu_) = false;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  uint64_t fsyncs_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t errors_ ABSL_GUARDED_BY(mu_) = 0;
  double seconds_ ABSL_GUARDED_BY(mu_) = 0;
  std::thread thread_;  // written under mu_, joined by the destructor
};

}  // namespace internal

WAL::WAL(Env* env, std::string dir, Options options)
    : env_(env),
      dir_(std::move(dir)),
      options_(options),
      syncer_(std::make_unique<internal::SegmentSyncer>()),
      page_(new char[kPageSize]()) {}

WAL::~WAL() {
  bool closed;
  {
    absl::MutexLock l(&mu_);
    closed = closed_;
  }
  if (!closed) (void)Close();
}

absl::StatusOr<std::unique_ptr<WAL>> WAL::Open(Env* env, std::string dir, Options options) {
  if (options.segment_size == 0 || options.segment_size % kPageSize != 0) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid WAL segment size ", options.segment_size, ": must be a multiple of ", kPageSize));
  }
  RETURN_IF_ERROR(env->CreateDirs(dir));
  ASSIGN_OR_RETURN(SegmentRange existing, wlog::Segments(env, dir));
  std::unique_ptr<WAL> w(new WAL(env, std::move(dir), options));
  absl::MutexLock l(&w->mu_);
  RETURN_IF_ERROR(w->SetSegment(existing.last == -1 ? 0 : existing.last + 1));
  return w;
}

absl::Status WAL::SetSegment(int index) {
  ASSIGN_OR_RETURN(segment_, env_->NewAppendableFile(SegmentPath(dir_, index)));
  segment_index_ = index;
  done_pages_ = segment_->Size() / kPageSize;
  ++stats_.segments_created;
  return absl::OkStatus();
}

absl::Status WAL::CheckWritable() const {
  if (closed_) return absl::FailedPreconditionError(absl::StrCat("WAL ", dir_, " is closed"));
  if (segment_ == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("WAL ", dir_, " has no active segment after a failed repair"));
  }
  return absl::OkStatus();
}

absl::Status WAL::Log(absl::string_view record) {
  return LogRecords(absl::Span<const absl::string_view>(&record, 1));
}
absl::Status WAL::Log(absl::Span<const absl::string_view> records) { return LogRecords(records); }
absl::Status WAL::Log(absl::Span<const std::string> records) { return LogRecords(records); }

template <typename Records>
absl::Status WAL::LogRecords(const Records& records) {
  absl::MutexLock l(&mu_);
  RETURN_IF_ERROR(CheckWritable());
  absl::Status s;
  for (size_t i = 0; i < records.size() && s.ok(); ++i) {
    s = LogOne(records[i], i + 1 == records.size());
  }
  if (s.ok() && unflushed_) s = segment_->Flush();
  unflushed_ = false;
  if (!s.ok()) ++stats_.writes_failed;
  return s;
}

absl::Status WAL::LogOne(absl::string_view rec, bool final) {
  // A page left full by a failed flush is finished first.
  if (PageFull()) RETURN_IF_ERROR(FlushPage(true));
  ++stats_.records;
  stats_.record_bytes += rec.size();

  // Compress before deciding whether the record fits in this segment. Like Go's
  // snappy.MaxEncodedLen, records past 4 GiB are not compressed.
  bool compressed = false;
  if (options_.compress && !rec.empty() && rec.size() <= UINT32_MAX) {
    const size_t max = snappy::MaxCompressedLength(rec.size());
    if (max > snappy_cap_) {
      snappy_buf_.reset(new char[max]);
      snappy_cap_ = max;
    }
    size_t n = 0;
    snappy::RawCompress(rec.data(), rec.size(), snappy_buf_.get(), &n);
    if (n < rec.size()) {
      rec = absl::string_view(snappy_buf_.get(), n);
      compressed = true;
      ++stats_.compressed_records;
    }
  }

  // Free payload space left in this segment: the rest of the active page and every page after
  // it, each less a header. A record that does not fit goes to a new segment (where a record
  // larger than a segment makes that segment grow past the limit).
  const int64_t pages_per_segment = static_cast<int64_t>(options_.segment_size / kPageSize);
  const int64_t left = static_cast<int64_t>(kPageSize - alloc_ - kHeaderSize) +
                       static_cast<int64_t>(kMaxFragmentPayload) *
                           (pages_per_segment - static_cast<int64_t>(done_pages_) - 1);
  if (static_cast<int64_t>(rec.size()) > left) RETURN_IF_ERROR(NextSegmentLocked().status());

  // One pass at least, so that an empty record is written as an empty full fragment.
  for (int i = 0; i == 0 || !rec.empty(); ++i) {
    const size_t n = std::min(rec.size(), kPageSize - alloc_ - kHeaderSize);
    uint8_t type;
    if (i == 0 && n == rec.size()) {
      type = kFragFull;
    } else if (n == rec.size()) {
      type = kFragLast;
    } else if (i == 0) {
      type = kFragFirst;
    } else {
      type = kFragMiddle;
    }
    if (compressed) type |= kSnappyFlag;
    char* h = page_.get() + alloc_;
    h[0] = static_cast<char>(type);
    StoreBE16(h + 1, static_cast<uint16_t>(n));
    StoreBE32(h + 3, Crc32c(rec.substr(0, n)));
    std::memcpy(h + kHeaderSize, rec.data(), n);
    alloc_ += kHeaderSize + n;
    rec.remove_prefix(n);
    if (PageFull()) RETURN_IF_ERROR(FlushPage(true));
  }
  if (final && alloc_ > 0) RETURN_IF_ERROR(FlushPage(false));
  return absl::OkStatus();
}

absl::Status WAL::FlushPage(bool clear) {
  ++stats_.page_flushes;
  clear = clear || PageFull();
  if (clear) alloc_ = kPageSize;  // the zeros after the fragments complete the page
  RETURN_IF_ERROR(segment_->Append(absl::string_view(page_.get() + flushed_, alloc_ - flushed_)));
  stats_.bytes_written += alloc_ - flushed_;
  flushed_ = alloc_;
  unflushed_ = true;
  if (clear) {
    std::memset(page_.get(), 0, kPageSize);
    alloc_ = 0;
    flushed_ = 0;
    ++done_pages_;
    ++stats_.page_completions;
  }
  return absl::OkStatus();
}

absl::StatusOr<int> WAL::NextSegment() {
  absl::MutexLock l(&mu_);
  return NextSegmentLocked();
}

absl::StatusOr<int> WAL::NextSegmentLocked() {
  RETURN_IF_ERROR(CheckWritable());
  // Only a page that holds data is padded: an empty one would count as a finished page.
  if (alloc_ > 0) RETURN_IF_ERROR(FlushPage(true));
  RETURN_IF_ERROR(segment_->Flush());
  unflushed_ = false;
  std::unique_ptr<WritableFile> prev = std::move(segment_);
  absl::Status s = SetSegment(segment_index_ + 1);
  if (!s.ok()) {
    segment_ = std::move(prev);
    return s;
  }
  syncer_->Enqueue(std::move(prev));
  return segment_index_;
}

absl::Status WAL::Sync() {
  absl::MutexLock l(&mu_);
  RETURN_IF_ERROR(CheckWritable());
  const absl::Time start = absl::Now();
  absl::Status s = segment_->Sync();
  ++stats_.fsyncs;
  stats_.fsync_seconds += absl::ToDoubleSeconds(absl::Now() - start);
  if (!s.ok()) ++stats_.fsync_errors;
  return s;
}

absl::Status WAL::Truncate(int i) {
  absl::MutexLock l(&mu_);
  ++stats_.truncations;
  const int limit = std::min(i, segment_index_);
  absl::StatusOr<std::vector<SegmentRef>> refs = ListSegments(env_, dir_);
  absl::Status s = refs.status();
  if (s.ok()) {
    for (const SegmentRef& r : *refs) {
      if (r.index >= limit) break;
      s = env_->RemoveFile(JoinPath(dir_, r.name));
      if (!s.ok()) break;
    }
  }
  if (!s.ok()) ++stats_.truncations_failed;
  return s;
}

absl::StatusOr<SegmentRange> WAL::Segments() { return wlog::Segments(env_, dir_); }

absl::Status WAL::Repair(const CorruptionInfo& corruption) {
  absl::MutexLock l(&mu_);
  if (closed_) return absl::FailedPreconditionError(absl::StrCat("WAL ", dir_, " is closed"));
  syncer_->Drain();
  // Whatever the active segment holds is discarded with it (it is newer than the corruption)
  // or rewritten by the repair.
  std::memset(page_.get(), 0, kPageSize);
  alloc_ = flushed_ = 0;
  unflushed_ = false;
  if (segment_ != nullptr) (void)segment_->Close();
  segment_.reset();
  RETURN_IF_ERROR(wlog::Repair(env_, dir_, corruption));
  ++stats_.corruptions_repaired;
  return SetSegment(corruption.segment + 1);
}

absl::Status WAL::Close() {
  absl::MutexLock l(&mu_);
  if (closed_) return absl::FailedPreconditionError(absl::StrCat("WAL ", dir_, " already closed"));
  closed_ = true;
  absl::Status s;
  if (segment_ == nullptr) return s;  // a failed repair left no active segment
  // Pad the last page, but never write an empty one: that would mark it finished.
  if (alloc_ > 0) s = FlushPage(true);
  syncer_->Drain();
  absl::Status sync = segment_->Sync();
  ++stats_.fsyncs;
  if (!sync.ok()) ++stats_.fsync_errors;
  if (s.ok()) s = sync;
  absl::Status c = segment_->Close();
  if (s.ok()) s = c;
  return s;
}

int WAL::ActiveSegment() {
  absl::MutexLock l(&mu_);
  return segment_index_;
}

Stats WAL::stats() {
  Stats s;
  {
    absl::MutexLock l(&mu_);
    s = stats_;
    s.current_segment = segment_index_;
  }
  syncer_->AddStats(&s);
  return s;
}

}  // namespace argus::tsdb::wlog
