#include "tsdb/db/db.h"

#include <algorithm>
#include <map>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/logging.h"
#include "base/status.h"
#include "tsdb/compact/block_writer.h"
#include "tsdb/compact/compactor.h"
#include "tsdb/db/db_metrics.h"
#include "tsdb/db/wal_replay.h"
#include "tsdb/tombstones/tombstones.h"
#include "tsdb/wlog/checkpoint.h"
#include "tsdb/wlog/wlog.h"

namespace argus::tsdb {
namespace {

constexpr char kTmpForDeletionSuffix[] = ".tmp-for-deletion";
constexpr int64_t kMaxDefaultBlockDuration = 31 * 24 * 3600 * 1000LL;

}  // namespace

DB::DB(std::string dir, DbOptions opts) : dir_(std::move(dir)), opts_(std::move(opts)) {
  if (opts_.env == nullptr) opts_.env = Env::Default();
  if (opts_.clock == nullptr) opts_.clock = Clock::Real();
  if (opts_.registry == nullptr) {
    own_registry_ = std::make_unique<metrics::Registry>();
    opts_.registry = own_registry_.get();
  }
  if (opts_.max_block_duration <= 0) {
    opts_.max_block_duration = std::max(
        opts_.min_block_duration, std::min(opts_.retention_ms / 10, kMaxDefaultBlockDuration));
  }
  ranges_ = compact::BlockRanges(opts_.min_block_duration, opts_.max_block_duration);
  metrics_ = std::make_unique<DbMetrics>(*opts_.registry);
}

DB::~DB() { Close().IgnoreError(); }

absl::StatusOr<std::unique_ptr<DB>> DB::Open(std::string dir, DbOptions opts) {
  std::unique_ptr<DB> db(new DB(std::move(dir), std::move(opts)));
  RETURN_IF_ERROR(db->Init());
  return db;
}

absl::Status DB::Init() {
  Env* env = opts_.env;
  RETURN_IF_ERROR(env->CreateDirs(dir_));
  // Leftovers of a crash in the middle of writing or deleting a block.
  ASSIGN_OR_RETURN(std::vector<std::string> names, env->ListDir(dir_));
  for (const std::string& name : names) {
    if (absl::EndsWith(name, compact::kTmpForCreationSuffix) ||
        absl::EndsWith(name, kTmpForDeletionSuffix)) {
      log::Info("Removing leftover temporary block directory", {{"dir", name}});
      RETURN_IF_ERROR(env->RemoveAll(JoinPath(dir_, name)));
    }
  }
  RETURN_IF_ERROR(ReloadBlocks());

  const std::string wal_dir = JoinPath(dir_, "wal");
  head::HeadOptions hopts;
  hopts.chunk_range = opts_.min_block_duration;
  hopts.registry = opts_.registry;
  hopts.log = [this](absl::Span<const std::string> recs) { return wal_->Log(recs); };
  ASSIGN_OR_RETURN(hopts.chunks, chunks::HeadChunks::Open(env, JoinPath(dir_, "chunks_head")));
  head_ = std::make_unique<head::Head>(std::move(hopts));
  int64_t min_valid = INT64_MIN;
  for (const auto& b : BlockSnapshot()) min_valid = std::max(min_valid, b->meta().max_time);
  head_->SetMinValidTime(min_valid);

  ASSIGN_OR_RETURN(ReplayStats rs, ReplayWal(env, wal_dir, head_.get()));
  metrics_->wal_corruptions.Add(static_cast<double>(rs.corruptions));
  log::Info("WAL replay completed", {{"series", rs.series},
                                     {"samples", rs.samples},
                                     {"dropped_samples", rs.dropped_samples},
                                     {"duration", absl::FormatDuration(rs.duration)}});
  wlog::Options wopts;
  wopts.segment_size = opts_.wal_segment_size;
  wopts.compress = opts_.wal_compression;
  ASSIGN_OR_RETURN(wal_, wlog::WAL::Open(env, wal_dir, wopts));

  if (opts_.compaction_interval_ms > 0) loop_ = std::thread([this] { Run(); });
  return absl::OkStatus();
}

absl::Status DB::Close() {
  {
    absl::MutexLock l(&stop_mu_);
    if (stop_) return absl::OkStatus();
    stop_ = true;
  }
  if (loop_.joinable()) loop_.join();
  absl::MutexLock l(&compact_mu_);
  return wal_ != nullptr ? wal_->Close() : absl::OkStatus();
}

void DB::Run() {
  absl::MutexLock l(&stop_mu_);
  while (!stop_) {
    stop_mu_.AwaitWithTimeout(absl::Condition(&stop_),
                              absl::Milliseconds(opts_.compaction_interval_ms));
    if (stop_) break;
    stop_mu_.Unlock();
    if (absl::Status st = Compact(); !st.ok()) {
      log::Error("Compaction failed", {{"err", st.ToString()}});
    }
    stop_mu_.Lock();
  }
}

std::vector<std::shared_ptr<block::Block>> DB::BlockSnapshot() const {
  absl::MutexLock l(&blocks_mu_);
  return blocks_;
}

int64_t DB::WalCorruptions() const {
  return static_cast<int64_t>(metrics_->wal_corruptions.Value());
}

std::vector<block::BlockMeta> DB::Blocks() const {
  std::vector<block::BlockMeta> out;
  for (const auto& b : BlockSnapshot()) out.push_back(b->meta());
  return out;
}

absl::Status DB::ReloadBlocks() {
  Env* env = opts_.env;
  metrics_->reloads.Inc();
  ASSIGN_OR_RETURN(std::vector<std::string> names, env->ListDir(dir_));
  std::map<Ulid, std::shared_ptr<block::Block>> loaded;
  for (const auto& b : BlockSnapshot()) loaded[b->meta().ulid] = b;
  std::vector<std::shared_ptr<block::Block>> blocks;
  int corrupt = 0;
  for (const std::string& name : names) {
    absl::StatusOr<Ulid> id = Ulid::Parse(name);
    const std::string bdir = JoinPath(dir_, name);
    if (!id.ok() || !env->IsDirectory(bdir)) continue;
    if (auto it = loaded.find(*id); it != loaded.end()) {
      blocks.push_back(it->second);
      continue;
    }
    absl::StatusOr<std::unique_ptr<block::Block>> b = block::Block::Open(env, bdir);
    if (!b.ok()) {
      ++corrupt;
      log::Error("Skipping block that failed to open",
                 {{"block", name}, {"err", b.status().ToString()}});
      continue;
    }
    blocks.push_back(std::shared_ptr<block::Block>(std::move(*b)));
  }
  metrics_->blocks_corrupt.Set(corrupt);
  // Blocks whose data a compacted block already holds.
  std::map<Ulid, bool> replaced;
  for (const auto& b : blocks) {
    for (const block::BlockDesc& p : b->meta().parents) replaced[p.ulid] = true;
  }
  std::vector<std::shared_ptr<block::Block>> keep, drop;
  for (auto& b : blocks) (replaced.count(b->meta().ulid) ? drop : keep).push_back(std::move(b));
  // Retention: newest first.
  std::sort(keep.begin(), keep.end(),
            [](const auto& a, const auto& b) { return a->meta().max_time > b->meta().max_time; });
  size_t cut = keep.size();
  if (opts_.retention_ms > 0) {
    for (size_t i = 1; i < keep.size(); ++i) {
      if (keep[0]->meta().max_time - keep[i]->meta().max_time > opts_.retention_ms) {
        cut = i;
        metrics_->time_retentions.Inc();
        break;
      }
    }
  }
  uint64_t total = 0;
  if (opts_.retention_bytes > 0) {
    // As Prometheus: the WAL and the head's chunk files count against the limit too.
    uint64_t used = 0;
    for (const char* sub : {"wal", "chunks_head"}) {
      absl::StatusOr<uint64_t> n = DirectorySize(env, JoinPath(dir_, sub));
      if (n.ok()) used += *n;
    }
    for (size_t i = 0; i < cut; ++i) {
      used += keep[i]->size_bytes();
      if (used > static_cast<uint64_t>(opts_.retention_bytes)) {
        cut = i;
        metrics_->size_retentions.Inc();
        break;
      }
    }
  }
  for (size_t i = cut; i < keep.size(); ++i) drop.push_back(keep[i]);
  keep.resize(cut);
  for (size_t i = 0; i < cut; ++i) total += keep[i]->size_bytes();
  std::sort(keep.begin(), keep.end(),
            [](const auto& a, const auto& b) { return a->meta().min_time < b->meta().min_time; });
  {
    absl::MutexLock l(&blocks_mu_);
    blocks_ = keep;
  }
  metrics_->blocks_loaded.Set(static_cast<double>(keep.size()));
  metrics_->blocks_bytes.Set(static_cast<double>(total));
  // Queriers still holding a dropped block keep its files mapped; unlinking is safe.
  for (const auto& b : drop) {
    log::Info("Deleting obsolete block", {{"block", b->meta().ulid.ToString()}});
    const std::string tmp = b->dir() + kTmpForDeletionSuffix;
    RETURN_IF_ERROR(env->Rename(b->dir(), tmp));
    RETURN_IF_ERROR(env->RemoveAll(tmp));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<storage::Querier>> DB::NewQuerier(int64_t mint, int64_t maxt) {
  return ChunkQuerier(mint, maxt);
}

std::unique_ptr<TsdbQuerier> DB::ChunkQuerier(int64_t mint, int64_t maxt) {
  return std::make_unique<TsdbQuerier>(BlockSnapshot(), head_.get(), mint, maxt);
}

absl::Status DB::CompactHeadOnce(bool* did) {
  *did = false;
  const head::Head& h = *head_;
  if (h.empty() || h.max_time() - h.min_time() <= h.chunk_range() / 2 * 3) return absl::OkStatus();
  const int64_t mint = h.min_time();
  const int64_t maxt = head::RangeEnd(mint, h.chunk_range());
  absl::StatusOr<block::BlockMeta> meta =
      compact::CompactHead(opts_.env, dir_, h, mint, maxt, &ulids_, opts_.clock->NowMs());
  if (!meta.ok() && !absl::IsNotFound(meta.status())) {
    metrics_->compactions_failed.Inc();
    return Annotate(meta.status(), "persist head block");
  }
  if (meta.ok()) {
    metrics_->compactions.Inc();
    log::Info("Write block", {{"mint", mint}, {"maxt", maxt}, {"ulid", meta->ulid.ToString()}});
    RETURN_IF_ERROR(ReloadBlocks());
  }
  head_->Truncate(maxt);
  RETURN_IF_ERROR(TruncateWal(maxt));
  *did = true;
  return absl::OkStatus();
}

absl::Status DB::Compact() {
  absl::MutexLock l(&compact_mu_);
  for (bool did = true; did;) RETURN_IF_ERROR(CompactHeadOnce(&did));
  while (true) {
    std::vector<std::shared_ptr<block::Block>> blocks = BlockSnapshot();
    std::vector<block::BlockMeta> metas;
    for (const auto& b : blocks) metas.push_back(b->meta());
    std::vector<size_t> plan = compact::Plan(metas, ranges_);
    if (plan.empty()) break;
    std::vector<std::shared_ptr<block::Block>> parts;
    for (size_t i : plan) parts.push_back(blocks[i]);
    absl::StatusOr<block::BlockMeta> m =
        compact::CompactBlocks(opts_.env, dir_, parts, &ulids_, opts_.clock->NowMs());
    if (!m.ok()) {
      metrics_->compactions_failed.Inc();
      return Annotate(m.status(), "compact blocks");
    }
    metrics_->compactions.Inc();
    log::Info("Compact blocks", {{"count", parts.size()}, {"ulid", m->ulid.ToString()}});
    RETURN_IF_ERROR(ReloadBlocks());
  }
  return ReloadBlocks();
}

absl::Status DB::TruncateWal(int64_t mint) {
  metrics_->wal_truncations.Inc();
  absl::StatusOr<wlog::SegmentRange> segs = wal_->Segments();
  if (!segs.ok()) return segs.status();
  // Never the segment being written; the lower two thirds hold mostly obsolete samples.
  const int first = segs->first;
  int last = segs->last - 1;
  if (last < first) return absl::OkStatus();
  last = first + (last - first) * 2 / 3;
  if (last <= first) return absl::OkStatus();
  metrics_->checkpoint_creations.Inc();
  const head::Head* h = head_.get();
  absl::StatusOr<wlog::CheckpointStats> cs = wlog::Checkpoint(
      opts_.env, wal_->dir(), first, last, [h](uint64_t ref) { return h->HasSeries(ref); }, mint,
      opts_.wal_compression);
  if (!cs.ok()) {
    metrics_->checkpoint_failed.Inc();
    return Annotate(cs.status(), "create WAL checkpoint");
  }
  RETURN_IF_ERROR(wal_->Truncate(last + 1));
  return wlog::DeleteCheckpoints(opts_.env, wal_->dir(), last);
}

absl::Status DB::Delete(int64_t mint, int64_t maxt, const std::vector<labels::Matcher>& matchers) {
  absl::MutexLock l(&compact_mu_);
  for (const auto& b : BlockSnapshot()) {
    if (b->meta().min_time > maxt || b->meta().max_time <= mint) continue;
    auto ix = BlockIndexView(*b);
    ASSIGN_OR_RETURN(index::PostingsList refs, PostingsForMatchers(*ix, matchers));
    if (refs.empty()) continue;
    tombstones::Tombstones ts = b->tombstones();
    for (uint64_t ref : refs) ts.Add(ref, {mint, maxt});
    RETURN_IF_ERROR(tombstones::Write(opts_.env, b->dir(), ts));
    block::BlockMeta meta = b->meta();
    meta.stats.num_tombstones = ts.NumIntervals();
    RETURN_IF_ERROR(block::WriteMeta(opts_.env, b->dir(), meta));
    ASSIGN_OR_RETURN(std::unique_ptr<block::Block> reopened,
                     block::Block::Open(opts_.env, b->dir()));
    absl::MutexLock bl(&blocks_mu_);
    for (auto& cur : blocks_) {
      if (cur == b) cur = std::shared_ptr<block::Block>(std::move(reopened));
    }
  }
  auto ix = HeadIndexView(*head_);
  ASSIGN_OR_RETURN(index::PostingsList refs, PostingsForMatchers(*ix, matchers));
  return head_->Delete(refs, mint, maxt);
}

}  // namespace argus::tsdb
