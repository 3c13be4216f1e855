#include "tsdb/wlog/checkpoint.h"

#include <algorithm>
#include <climits>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/logging.h"
#include "base/status.h"
#include "tsdb/record/record.h"
#include "tsdb/wlog/reader.h"
#include "tsdb/wlog/wlog.h"

namespace argus::tsdb::wlog {
namespace {

constexpr size_t kFlushBytes = 1 << 20;  // records are logged in batches of about 1 MiB

// Batches encoded records in one buffer and logs them to the checkpoint WAL.
class Batch {
 public:
  explicit Batch(WAL* wal) : wal_(wal) {}

  std::string* buf() { return &buf_; }
  // Marks buf()[start, size) as one record; flushes when the batch is large.
  absl::Status Commit(size_t start) {
    if (buf_.size() == start) return absl::OkStatus();  // everything was dropped
    ends_.push_back(buf_.size());
    return buf_.size() >= kFlushBytes ? Flush() : absl::OkStatus();
  }
  absl::Status Flush() {
    if (ends_.empty()) return absl::OkStatus();
    std::vector<absl::string_view> recs;
    size_t start = 0;
    for (size_t end : ends_) {
      recs.push_back(absl::string_view(buf_).substr(start, end - start));
      start = end;
    }
    absl::Status s = wal_->Log(recs);
    buf_.clear();
    ends_.clear();
    return Annotate(s, "flush records");
  }

 private:
  WAL* wal_;
  std::string buf_;
  std::vector<size_t> ends_;
};

}  // namespace

std::string CheckpointDirName(int index) {
  return absl::StrFormat("%s%08d", kCheckpointPrefix, index);
}

absl::StatusOr<std::vector<CheckpointRef>> ListCheckpoints(Env* env, const std::string& wal_dir) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, env->ListDir(wal_dir));
  std::vector<CheckpointRef> refs;
  for (std::string& name : names) {
    if (!absl::StartsWith(name, kCheckpointPrefix)) continue;
    std::string dir = JoinPath(wal_dir, name);
    if (!env->IsDirectory(dir)) {
      return absl::FailedPreconditionError(absl::StrCat("checkpoint ", dir, " is not a directory"));
    }
    std::optional<int> index =
        ParseIndex(absl::string_view(name).substr(strlen(kCheckpointPrefix)));
    if (!index.has_value()) continue;
    refs.push_back({std::move(name), std::move(dir), *index});
  }
  std::sort(refs.begin(), refs.end(),
            [](const CheckpointRef& a, const CheckpointRef& b) { return a.index < b.index; });
  return refs;
}

absl::StatusOr<CheckpointRef> LastCheckpoint(Env* env, const std::string& wal_dir) {
  ASSIGN_OR_RETURN(std::vector<CheckpointRef> refs, ListCheckpoints(env, wal_dir));
  if (refs.empty()) return absl::NotFoundError(absl::StrCat("no checkpoint in ", wal_dir));
  return refs.back();
}

absl::Status DeleteCheckpoints(Env* env, const std::string& wal_dir, int max_index) {
  ASSIGN_OR_RETURN(std::vector<CheckpointRef> refs, ListCheckpoints(env, wal_dir));
  absl::Status first;
  for (const CheckpointRef& r : refs) {
    if (r.index >= max_index) break;
    absl::Status s = env->RemoveAll(r.dir);
    if (first.ok()) first = s;
  }
  return first;
}

absl::StatusOr<CheckpointStats> Checkpoint(Env* env, const std::string& wal_dir, int from, int to,
                                           const std::function<bool(uint64_t series_ref)>& keep,
                                           int64_t mint, bool compress) {
  log::Info("Creating checkpoint", {{"from_segment", from}, {"to_segment", to}, {"mint", mint}});
  std::vector<SegmentRange> ranges;
  absl::StatusOr<CheckpointRef> last = LastCheckpoint(env, wal_dir);
  if (last.ok()) {
    if (from > last->index + 1) {
      return absl::FailedPreconditionError(absl::StrCat(
          "unexpected gap to last checkpoint. expected:", last->index + 1, ", requested:", from));
    }
    from = last->index + 1;  // segments below the checkpoint should not exist anyway
    ranges.push_back({last->dir, -1, INT_MAX});
  } else if (!absl::IsNotFound(last.status())) {
    return Annotate(last.status(), "find last checkpoint");
  }
  ranges.push_back({wal_dir, from, to});
  ASSIGN_OR_RETURN(std::unique_ptr<Reader> reader, Reader::Open(env, ranges));

  const std::string cpdir = JoinPath(wal_dir, CheckpointDirName(to));
  const std::string tmpdir = cpdir + ".tmp";
  RETURN_IF_ERROR(env->RemoveAll(tmpdir));
  RETURN_IF_ERROR(env->CreateDirs(tmpdir));
  absl::StatusOr<std::unique_ptr<WAL>> cp = WAL::Open(env, tmpdir, {.compress = compress});
  // An early return must not leave the temporary directory behind.
  auto fail = [&](absl::Status s) {
    if (cp.ok()) cp->reset();
    (void)env->RemoveAll(tmpdir);
    return s;
  };
  if (!cp.ok()) return fail(Annotate(cp.status(), "open checkpoint"));

  CheckpointStats stats;
  Batch batch(cp->get());
  std::vector<record::RefSeries> series;
  std::vector<record::RefSample> samples;
  std::vector<record::Stone> stones;
  std::vector<record::RefExemplar> exemplars;
  std::vector<record::RefMetadata> metadata;
  std::map<uint64_t, record::RefMetadata> latest_metadata;
  while (reader->Next()) {
    const absl::string_view rec = reader->record();
    std::string* buf = batch.buf();
    const size_t start = buf->size();
    switch (record::GetType(rec)) {
      case record::Type::kSeries: {
        series.clear();
        absl::Status s = record::DecodeSeries(rec, &series);
        if (!s.ok()) return fail(Annotate(s, "decode series"));
        const size_t n = series.size();
        series.erase(std::remove_if(series.begin(), series.end(),
                                    [&](const record::RefSeries& x) { return !keep(x.ref); }),
                     series.end());
        if (!series.empty()) record::EncodeSeries(series, buf);
        stats.total_series += n;
        stats.dropped_series += n - series.size();
        break;
      }
      case record::Type::kSamples: {
        samples.clear();
        absl::Status s = record::DecodeSamples(rec, &samples);
        if (!s.ok()) return fail(Annotate(s, "decode samples"));
        const size_t n = samples.size();
        samples.erase(std::remove_if(samples.begin(), samples.end(),
                                     [&](const record::RefSample& x) { return x.t < mint; }),
                      samples.end());
        if (!samples.empty()) record::EncodeSamples(samples, buf);
        stats.total_samples += n;
        stats.dropped_samples += n - samples.size();
        break;
      }
      case record::Type::kHistogramSamples: {
        size_t total = 0, kept = 0;
        absl::Status s = record::FilterHistogramSamples(rec, mint, buf, &total, &kept);
        if (!s.ok()) return fail(Annotate(s, "decode histogram samples"));
        stats.total_samples += total;
        stats.dropped_samples += total - kept;
        break;
      }
      case record::Type::kTombstones: {
        stones.clear();
        absl::Status s = record::DecodeTombstones(rec, &stones);
        if (!s.ok()) return fail(Annotate(s, "decode deletes"));
        const size_t n = stones.size();
        stones.erase(
            std::remove_if(stones.begin(), stones.end(),
                           [&](const record::Stone& x) { return x.interval.max_time < mint; }),
            stones.end());
        if (!stones.empty()) record::EncodeTombstones(stones, buf);
        stats.total_tombstones += n;
        stats.dropped_tombstones += n - stones.size();
        break;
      }
      case record::Type::kExemplars: {
        exemplars.clear();
        absl::Status s = record::DecodeExemplars(rec, &exemplars);
        if (!s.ok()) return fail(Annotate(s, "decode exemplars"));
        const size_t n = exemplars.size();
        exemplars.erase(std::remove_if(exemplars.begin(), exemplars.end(),
                                       [&](const record::RefExemplar& x) { return x.t < mint; }),
                        exemplars.end());
        if (!exemplars.empty()) record::EncodeExemplars(exemplars, buf);
        stats.total_exemplars += n;
        stats.dropped_exemplars += n - exemplars.size();
        break;
      }
      case record::Type::kMetadata: {
        metadata.clear();
        absl::Status s = record::DecodeMetadata(rec, &metadata);
        if (!s.ok()) return fail(Annotate(s, "decode metadata"));
        uint64_t kept_new = 0;
        for (record::RefMetadata& m : metadata) {
          if (!keep(m.ref)) continue;
          auto [it, inserted] = latest_metadata.insert_or_assign(m.ref, std::move(m));
          if (inserted) ++kept_new;
        }
        stats.total_metadata += metadata.size();
        stats.dropped_metadata += metadata.size() - kept_new;
        break;
      }
      default:
        // Mmap markers, float histograms (v2.42's checkpoint has no case for them) and types
        // from future versions are dropped.
        break;
    }
    if (absl::Status s = batch.Commit(start); !s.ok()) return fail(s);
  }
  if (!reader->status().ok()) return fail(Annotate(reader->status(), "read segments"));
  if (absl::Status s = batch.Flush(); !s.ok()) return fail(s);
  if (!latest_metadata.empty()) {
    metadata.clear();
    for (auto& [ref, m] : latest_metadata) metadata.push_back(std::move(m));
    std::string rec;
    record::EncodeMetadata(metadata, &rec);
    if (absl::Status s = (*cp)->Log(rec); !s.ok()) return fail(Annotate(s, "flush metadata"));
  }
  if (absl::Status s = (*cp)->Close(); !s.ok()) return fail(Annotate(s, "close checkpoint"));
  cp->reset();
  if (absl::Status s = env->SyncDir(tmpdir); !s.ok()) return fail(s);
  // Replace: an older checkpoint.<to> (from an interrupted run) goes first.
  if (absl::Status s = env->RemoveAll(cpdir); !s.ok()) return fail(s);
  if (absl::Status s = env->Rename(tmpdir, cpdir); !s.ok()) return fail(s);
  RETURN_IF_ERROR(env->SyncDir(wal_dir));
  return stats;
}

}  // namespace argus::tsdb::wlog
