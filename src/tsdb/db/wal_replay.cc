#include "tsdb/db/wal_replay.h"

#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "base/logging.h"
#include "base/status.h"
#include "tsdb/record/record.h"
#include "tsdb/wlog/checkpoint.h"
#include "tsdb/wlog/reader.h"
#include "tsdb/wlog/repair.h"

namespace argus::tsdb {
namespace {

// Applies decoded records to the head. Series records of a label set already in the head
// (written twice around a crash) are mapped onto the existing series. Samples are gathered in
// batches and appended by two threads, each owning the series of one parity of ref; a series
// or tombstones record first flushes the batch, so records still apply in WAL order.
class Replayer {
 public:
  Replayer(head::Head* head, ReplayStats* stats) : head_(head), stats_(stats) {}

  // Appends the gathered samples.
  void Flush() {
    if (batch_.empty()) return;
    stats_->samples += batch_.size();
    if (batch_.size() < kParallelMin) {
      stats_->dropped_samples += head_->ReplaySamples(batch_);
    } else {
      size_t dropped_odd = 0;
      std::thread odd([this, &dropped_odd] { dropped_odd = head_->ReplaySamples(batch_, 1, 2); });
      stats_->dropped_samples += head_->ReplaySamples(batch_, 0, 2);
      odd.join();
      stats_->dropped_samples += dropped_odd;
    }
    batch_.clear();
  }

  absl::Status Apply(absl::string_view rec) {
    switch (record::GetType(rec)) {
      case record::Type::kSeries:
        Flush();
        series_.clear();
        RETURN_IF_ERROR(record::DecodeSeries(rec, &series_));
        for (const record::RefSeries& s : series_) {
          const uint64_t got = head_->ReplaySeries(s.ref, s.labels);
          if (got != s.ref) ref_map_[s.ref] = got;
          ++stats_->series;
        }
        return absl::OkStatus();
      case record::Type::kSamples: {
        const size_t from = batch_.size();
        if (absl::Status st = record::DecodeSamples(rec, &batch_); !st.ok()) {
          batch_.resize(from);  // nothing of a corrupt record
          return st;
        }
        if (!ref_map_.empty()) {
          for (size_t i = from; i < batch_.size(); ++i) batch_[i].ref = Map(batch_[i].ref);
        }
        if (batch_.size() >= kBatch) Flush();
        return absl::OkStatus();
      }
      case record::Type::kTombstones:
        Flush();
        stones_.clear();
        RETURN_IF_ERROR(record::DecodeTombstones(rec, &stones_));
        for (const record::Stone& s : stones_) head_->ReplayTombstone(Map(s.ref), s.interval);
        stats_->tombstones += stones_.size();
        return absl::OkStatus();
      default:
        // Exemplars, metadata, histograms: not kept by this head.
        return absl::OkStatus();
    }
  }

 private:
  uint64_t Map(uint64_t ref) const {
    auto it = ref_map_.find(ref);
    return it == ref_map_.end() ? ref : it->second;
  }

  static constexpr size_t kBatch = 1 << 18;
  static constexpr size_t kParallelMin = 1 << 12;

  head::Head* head_;
  ReplayStats* stats_;
  std::vector<record::RefSample> batch_;
  absl::flat_hash_map<uint64_t, uint64_t> ref_map_;
  std::vector<record::RefSeries> series_;
  std::vector<record::Stone> stones_;
};

// Reads every record of `reader` into `r`. A record that fails to decode is reported as
// corruption at its position, like bad framing; what came before it is applied.
absl::Status ReadAll(wlog::Reader& reader, Replayer& r) {
  while (reader.Next()) {
    if (absl::Status st = r.Apply(reader.record()); !st.ok()) {
      r.Flush();
      return wlog::CorruptionError(
          {reader.segment_dir(), reader.segment(), reader.offset(), std::string(st.message())});
    }
  }
  r.Flush();
  return reader.status();
}

}  // namespace

absl::StatusOr<ReplayStats> ReplayWal(Env* env, const std::string& wal_dir, head::Head* head,
                                      bool repair) {
  ReplayStats stats;
  const absl::Time start = absl::Now();
  if (!env->IsDirectory(wal_dir)) return stats;
  Replayer replayer(head, &stats);
  int from = 0;
  absl::StatusOr<wlog::CheckpointRef> cp = wlog::LastCheckpoint(env, wal_dir);
  if (cp.ok()) {
    ASSIGN_OR_RETURN(auto reader, wlog::Reader::Open(env, {{cp->dir, -1, -1}}));
    if (absl::Status st = ReadAll(*reader, replayer); !st.ok()) {
      return Annotate(st, absl::StrCat("replay WAL checkpoint ", cp->dir));
    }
    from = cp->index + 1;
  } else if (!absl::IsNotFound(cp.status())) {
    return cp.status();
  }
  ASSIGN_OR_RETURN(wlog::SegmentRange segs, wlog::Segments(env, wal_dir));
  if (segs.last >= 0 && segs.last >= from) {
    ASSIGN_OR_RETURN(auto reader,
                     wlog::Reader::Open(env, {{wal_dir, std::max(from, segs.first), -1}}));
    absl::Status st = ReadAll(*reader, replayer);
    std::optional<wlog::CorruptionInfo> c = wlog::GetCorruption(st);
    if (c.has_value() && repair) {
      ++stats.corruptions;
      log::Warn("Encountered WAL read error, attempting repair",
                {{"segment", c->segment}, {"offset", c->offset}, {"err", c->reason}});
      RETURN_IF_ERROR(wlog::Repair(env, wal_dir, *c));
    } else if (!st.ok()) {
      return st;
    }
  }
  head->FinishReplay();
  stats.duration = absl::Now() - start;
  return stats;
}

}  // namespace argus::tsdb
