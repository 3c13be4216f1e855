// The in-memory head block (Prometheus's tsdb.Head): the most recent samples of every series,
// appended by scrapes in parallel, write-ahead logged on commit, and queried together with the
// persisted blocks until compaction moves them into a block.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/types/span.h"
#include "metrics/registry.h"
#include "model/labels/labels.h"
#include "storage/storage.h"
#include "tsdb/chunks/head_chunks.h"
#include "tsdb/head/interner.h"
#include "tsdb/head/mem_series.h"
#include "tsdb/head/postings.h"
#include "tsdb/head/ref_table.h"
#include "tsdb/head/series_pool.h"
#include "tsdb/querier/chunk_series.h"
#include "tsdb/record/record.h"
#include "tsdb/tombstones/tombstones.h"

namespace argus::tsdb::head {

inline constexpr int64_t kDefaultChunkRange = 2 * 3600 * 1000;

// Writes records durably enough for a commit (the WAL); returns only once they are logged.
using LogFn = std::function<absl::Status(absl::Span<const std::string> records)>;

struct HeadOptions {
  int64_t chunk_range = kDefaultChunkRange;  // ms; the minimum block duration
  int stripes = 16384;                       // power of two
  LogFn log;                                 // empty: no WAL
  // Where full chunks go (memory-mapped files); nullptr: kept in memory.
  std::shared_ptr<chunks::HeadChunks> chunks;
  metrics::Registry* registry = nullptr;  // nullptr: metrics kept privately
};

struct HeadMetrics;

// Thread-safe.
class Head {
 public:
  explicit Head(HeadOptions opts);
  ~Head();

  // A new appender; each is used by one thread at a time.
  std::unique_ptr<storage::Appender> NewAppender();

  // Earliest and latest sample time (max < min when the head is empty).
  int64_t min_time() const { return min_time_.load(std::memory_order_acquire); }
  int64_t max_time() const { return max_time_.load(std::memory_order_acquire); }
  int64_t chunk_range() const { return opts_.chunk_range; }
  bool empty() const { return max_time() < min_time(); }
  size_t num_series() const { return num_series_.load(std::memory_order_relaxed); }
  // The oldest timestamp an appender accepts: the end of the last compacted range, and no more
  // than half a chunk range behind the newest sample.
  int64_t MinValidTime() const;

  // --- index and data access for queriers ---
  index::PostingsList Postings(absl::string_view name, absl::string_view value) const {
    return postings_.Get(name, value);
  }
  index::PostingsList AllPostings() const { return postings_.All(); }
  std::vector<std::string> LabelNames() const { return postings_.LabelNames(); }
  std::vector<std::string> LabelValues(absl::string_view name) const {
    return postings_.LabelValues(name);
  }
  // --- statistics for /api/v1/status/tsdb (read-only) ---
  // The index's cardinality, the top `top` of each list (series per metric name, ...).
  PostingsStats Stats(size_t top) const { return postings_.Stats(labels::kMetricName, top); }
  // Chunks in memory, closed and open (prometheus_tsdb_head_chunks); walks every series.
  size_t NumChunks() const;

  // Fills the labels and the chunks overlapping [mint, maxt] of series `ref`, and the
  // intervals deleted from it; false when the series no longer exists.
  bool SeriesChunks(uint64_t ref, int64_t mint, int64_t maxt, ChunkSeries* out,
                    std::vector<tombstones::Interval>* deleted) const;
  // The label set of `ref`, for the index side of queries (no chunks copied).
  bool SeriesLabels(uint64_t ref, labels::Labels* out) const;
  // Runs `fn` while no commit is half-applied: the samples it sees are whole batches.
  void WithConsistentView(const std::function<void()>& fn) const;

  // Deletes samples in [mint, maxt] of the series matched by `refs` (logged as tombstones).
  absl::Status Delete(const std::vector<uint64_t>& refs, int64_t mint, int64_t maxt);

  // Drops every chunk before `mint` (the data now lives in a block), garbage-collects series
  // left without samples and pending appends, drops tombstones of deleted series and raises
  // the minimum valid time to `mint`.
  void Truncate(int64_t mint);
  // Whether `ref` is still in the head (WAL checkpoint's keep function).
  bool HasSeries(uint64_t ref) const;

  // --- WAL replay (no logging, no checks against the minimum valid time). REQUIRES: nothing
  // else uses the head yet; ReplaySeries and ReplayTombstone from one thread, ReplaySamples
  // from several at once only with distinct shards. ---
  // Creates series `ref` with `lset`, or returns the ref of an existing series with the same
  // labels (Prometheus's duplicate-series handling on replay).
  uint64_t ReplaySeries(uint64_t ref, const labels::Labels& lset);
  // Appends the samples whose ref % num_shards == shard; returns how many of those were
  // dropped because their series is unknown or they are out of order. Series are found through
  // a dense ref-indexed cache and prefetched ahead, since at a million series nearly every
  // sample is a cache miss.
  size_t ReplaySamples(absl::Span<const record::RefSample> samples, uint64_t shard = 0,
                       uint64_t num_shards = 1);
  // Frees the replay cache.
  void FinishReplay() { std::vector<MemSeries*>().swap(replay_cache_); }
  void ReplayTombstone(uint64_t ref, tombstones::Interval iv);
  // Sets the minimum valid time (the max time of the newest block on disk).
  void SetMinValidTime(int64_t t);

 private:
  friend class HeadAppender;
  struct Stripe;

  Stripe& StripeFor(uint64_t key) const;
  // The series `ref`, or nullptr. With `lock`, returns with the series' mutex held in it: the
  // series cannot be garbage-collected until it is released (or later, while pinned).
  MemSeries* GetByRef(uint64_t ref, std::unique_lock<std::mutex>* lock) const;
  // Finds the series of `lset` or creates it with ref `ref_hint` (a new ref when 0).
  // `created` tells which. Locks as GetByRef does.
  MemSeries* GetOrCreate(const labels::Labels& lset, uint64_t ref_hint,
                         std::unique_lock<std::mutex>* lock, bool* created);
  static MemSeries* FindInStripe(const Stripe& s, const labels::Labels& lset, uint64_t hash);
  void UpdateTimeBounds(int64_t mint, int64_t maxt);
  // Series mutexes: one per stripe of refs, so appends to different series rarely contend.
  std::mutex& SeriesMutex(uint64_t ref) const;

  HeadOptions opts_;
  std::unique_ptr<metrics::Registry> own_registry_;
  std::unique_ptr<HeadMetrics> metrics_;
  std::shared_ptr<chunks::HeadChunks> chunks_;
  SeriesPool pool_;  // before the stripes: they point into it
  std::unique_ptr<Stripe[]> stripes_;
  std::unique_ptr<std::mutex[]> series_mu_;
  RefTable refs_;  // the lock-free front of the stripes' by-ref sets
  uint64_t mask_;
  Interner interner_;
  MemPostings postings_;
  std::atomic<uint64_t> last_ref_{0};
  std::atomic<uint32_t> next_appender_id_{1};
  std::atomic<size_t> num_series_{0};
  std::atomic<int64_t> min_time_{std::numeric_limits<int64_t>::max()};
  std::atomic<int64_t> max_time_{std::numeric_limits<int64_t>::min()};
  std::atomic<int64_t> min_valid_time_{std::numeric_limits<int64_t>::min()};
  // Commits hold it shared while applying samples; readers that need whole batches hold it
  // exclusively. The hot-path locks are std:: ones: Debian's Abseil builds absl::Mutex with
  // deadlock detection, which costs microseconds per nested acquisition.
  mutable std::shared_mutex visibility_mu_;
  // Series whose WAL record could not be written; the next commit logs them first.
  absl::Mutex unlogged_mu_;
  std::vector<record::RefSeries> unlogged_series_ ABSL_GUARDED_BY(unlogged_mu_);
  // Replay only: series by ref (refs are dense counters), filled by ReplaySeries.
  std::vector<MemSeries*> replay_cache_;
  mutable absl::Mutex tombstones_mu_;
  tombstones::Tombstones tombstones_ ABSL_GUARDED_BY(tombstones_mu_);
};

}  // namespace argus::tsdb::head
