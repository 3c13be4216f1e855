#include "tsdb/compact/compactor.h"

#include <algorithm>

#include "base/status.h"
#include "tsdb/compact/block_writer.h"
#include "tsdb/querier/querier.h"

namespace argus::tsdb::compact {
namespace {

// Groups of consecutive blocks lying inside one aligned range of width `tr`
// (Prometheus's splitByRange); blocks wider than their aligned range are skipped.
std::vector<std::vector<size_t>> SplitByRange(const std::vector<block::BlockMeta>& metas,
                                              const std::vector<size_t>& idx, int64_t tr) {
  std::vector<std::vector<size_t>> groups;
  for (size_t i = 0; i < idx.size();) {
    const block::BlockMeta& m = metas[idx[i]];
    const int64_t t0 = m.min_time >= 0 ? tr * (m.min_time / tr) : tr * ((m.min_time - tr + 1) / tr);
    if (m.max_time > t0 + tr) {
      ++i;
      continue;
    }
    std::vector<size_t> group;
    for (; i < idx.size() && metas[idx[i]].max_time <= t0 + tr; ++i) group.push_back(idx[i]);
    if (!group.empty()) groups.push_back(std::move(group));
  }
  return groups;
}

}  // namespace

std::vector<int64_t> ExponentialBlockRanges(int64_t min, int steps, int step) {
  std::vector<int64_t> out;
  int64_t cur = min;
  for (int i = 0; i < steps; ++i) {
    out.push_back(cur);
    cur *= step;
  }
  return out;
}

std::vector<int64_t> BlockRanges(int64_t min_block_duration, int64_t max_block_duration) {
  std::vector<int64_t> out = ExponentialBlockRanges(min_block_duration, 10, 3);
  for (size_t i = 0; i < out.size(); ++i) {
    if (out[i] > max_block_duration) {
      out.resize(i);
      break;
    }
  }
  return out;
}

std::vector<size_t> Plan(const std::vector<block::BlockMeta>& metas,
                         const std::vector<int64_t>& ranges) {
  // Overlapping blocks: the first run of mutually overlapping ones.
  std::vector<size_t> overlapping;
  int64_t global_max = 0;
  for (size_t i = 0; i < metas.size(); ++i) {
    if (i > 0 && metas[i].min_time < global_max) {
      if (overlapping.empty()) overlapping.push_back(i - 1);
      overlapping.push_back(i);
    } else if (!overlapping.empty()) {
      break;
    }
    global_max = i == 0 ? metas[i].max_time : std::max(global_max, metas[i].max_time);
  }
  if (!overlapping.empty()) return overlapping;
  if (ranges.size() < 2 || metas.size() < 2) return {};
  // Leave the newest block alone: it may still be uploaded or backed up as it is.
  std::vector<size_t> idx(metas.size() - 1);
  for (size_t i = 0; i < idx.size(); ++i) idx[i] = i;
  const int64_t high = metas.back().min_time;
  for (size_t r = 1; r < ranges.size(); ++r) {
    for (const auto& group : SplitByRange(metas, idx, ranges[r])) {
      const int64_t mint = metas[group.front()].min_time;
      const int64_t maxt = metas[group.back()].max_time;
      if ((maxt - mint == ranges[r] || maxt <= high) && group.size() > 1) return group;
    }
  }
  return {};
}

absl::StatusOr<block::BlockMeta> CompactBlocks(
    Env* env, const std::string& dir, const std::vector<std::shared_ptr<block::Block>>& blocks,
    UlidGenerator* ulids, int64_t now_ms) {
  block::BlockMeta meta;
  meta.ulid = ulids->Next(now_ms);
  meta.min_time = INT64_MAX;
  meta.max_time = INT64_MIN;
  meta.compaction_level = 0;
  std::vector<std::vector<ChunkSeries>> sources;
  for (const auto& b : blocks) {
    const block::BlockMeta& m = b->meta();
    meta.min_time = std::min(meta.min_time, m.min_time);
    meta.max_time = std::max(meta.max_time, m.max_time);
    meta.compaction_level = std::max(meta.compaction_level, m.compaction_level);
    meta.sources.insert(meta.sources.end(), m.sources.begin(), m.sources.end());
    meta.parents.push_back({m.ulid, m.min_time, m.max_time});
    ASSIGN_OR_RETURN(auto s, SelectBlock(*b, m.min_time, m.max_time - 1, {}));
    sources.push_back(std::move(s));
  }
  ++meta.compaction_level;
  std::sort(meta.sources.begin(), meta.sources.end());
  meta.sources.erase(std::unique(meta.sources.begin(), meta.sources.end()), meta.sources.end());
  std::vector<ChunkSeries> merged = MergeChunkSeries(std::move(sources));
  for (ChunkSeries& s : merged) {
    RETURN_IF_ERROR(NormalizeChunks(meta.min_time, meta.max_time - 1, &s));
  }
  return WriteBlock(env, dir, std::move(meta), merged);
}

absl::StatusOr<block::BlockMeta> CompactHead(Env* env, const std::string& dir,
                                             const head::Head& head, int64_t mint, int64_t maxt,
                                             UlidGenerator* ulids, int64_t now_ms) {
  ASSIGN_OR_RETURN(std::vector<ChunkSeries> series, SelectHead(head, mint, maxt - 1, {}));
  if (series.empty()) return absl::NotFoundError("no samples in the head range");
  for (ChunkSeries& s : series) RETURN_IF_ERROR(NormalizeChunks(mint, maxt - 1, &s));
  block::BlockMeta meta;
  meta.ulid = ulids->Next(now_ms);
  meta.min_time = mint;
  meta.max_time = maxt;
  meta.compaction_level = 1;
  meta.sources = {meta.ulid};
  return WriteBlock(env, dir, std::move(meta), series);
}

}  // namespace argus::tsdb::compact
