// Writes a block as Prometheus v2.42's LeveledCompactor.write does: everything goes into
// `<ULID>.tmp-for-creation` (chunks/, index, tombstones, meta.json), each file fsynced, then the
// directory is renamed to `<ULID>` and the parent fsynced, so a crash leaves either a whole
// block or a temporary directory that the next start deletes. See docs/format/block.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/env.h"
#include "base/ulid.h"
#include "tsdb/block/meta.h"
#include "tsdb/querier/chunk_series.h"

namespace argus::tsdb::compact {

inline constexpr char kTmpForCreationSuffix[] = ".tmp-for-creation";

// Re-encodes the chunks of `s` so that all samples lie in [mint, maxt] and no two chunks
// overlap (overlapping chunks are merged sample by sample, the earlier chunk winning a shared
// timestamp, and re-cut at 120 samples). Chunks already inside and disjoint are kept as they
// are. Errors: DataLoss for a corrupt chunk.
absl::Status NormalizeChunks(int64_t mint, int64_t maxt, ChunkSeries* s);

// Writes `series` (sorted by labels; chunks disjoint, ascending and inside [meta.min_time,
// meta.max_time)) as block `meta.ulid` under `parent_dir`. Series without chunks are left
// out. Fills meta.stats and returns the final meta. Errors: those of Env; InvalidArgument for
// series out of order. On error the temporary directory is removed.
absl::StatusOr<block::BlockMeta> WriteBlock(Env* env, const std::string& parent_dir,
                                            block::BlockMeta meta,
                                            const std::vector<ChunkSeries>& series);

}  // namespace argus::tsdb::compact
