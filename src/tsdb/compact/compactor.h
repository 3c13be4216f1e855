// Leveled compaction as Prometheus v2.42's LeveledCompactor plans it: the head is persisted in
// blocks of the smallest range, and adjacent blocks are merged into blocks of the next range
// (2h -> 6h -> 18h ... with the default factor 3), overlapping blocks first.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/env.h"
#include "base/ulid.h"
#include "tsdb/block/block.h"
#include "tsdb/head/head.h"

namespace argus::tsdb::compact {

// {min, min*step, min*step^2, ...}, `steps` entries (Prometheus's ExponentialBlockRanges).
std::vector<int64_t> ExponentialBlockRanges(int64_t min, int steps, int step);
// The ranges used for min and max block durations: exponential from `min`, none above `max`.
std::vector<int64_t> BlockRanges(int64_t min_block_duration, int64_t max_block_duration);

// Indices (into `metas`, which is sorted by min_time) of the blocks to compact next, or empty.
// Overlapping blocks first; otherwise the newest block is left alone and the first group of
// two or more blocks filling a whole larger range (or lying before the newest block) is picked.
std::vector<size_t> Plan(const std::vector<block::BlockMeta>& metas,
                         const std::vector<int64_t>& ranges);

// Merges `blocks` into one new block in `dir` (level max+1, sources united, parents listed);
// overlapping samples are merged, tombstones applied. Returns its meta.
absl::StatusOr<block::BlockMeta> CompactBlocks(
    Env* env, const std::string& dir, const std::vector<std::shared_ptr<block::Block>>& blocks,
    UlidGenerator* ulids, int64_t now_ms);

// Persists the head's samples in [mint, maxt) as a level-1 block in `dir`. Returns nullopt-like
// NotFound when the range holds no samples (no block is written then).
absl::StatusOr<block::BlockMeta> CompactHead(Env* env, const std::string& dir,
                                             const head::Head& head, int64_t mint, int64_t maxt,
                                             UlidGenerator* ulids, int64_t now_ms);

}  // namespace argus::tsdb::compact
