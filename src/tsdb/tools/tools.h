// The read-side TSDB tools behind `argus tools tsdb`: list and dump, printing exactly what
// `promtool tsdb list` / `promtool tsdb dump` (v2.42) print so the outputs can be diffed.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/env.h"
#include "model/labels/matcher.h"
#include "tsdb/block/block.h"

namespace argus::tsdb::tools {

// Opens every block directory (a ULID with a meta.json) under `data_dir`, oldest first.
// Directories being created or deleted (.tmp-for-*) are skipped. Errors: the first block that
// fails to open, annotated with its directory.
absl::StatusOr<std::vector<std::unique_ptr<block::Block>>> OpenBlocks(Env* env,
                                                                      const std::string& data_dir);

// `promtool tsdb list` output: one row per block. `human` prints sizes as "983B", "1.2MiB".
absl::Status ListBlocks(Env* env, const std::string& data_dir, bool human, std::ostream& out);

// `promtool tsdb dump` output: every sample of the series matching `matchers` with
// min_time <= t <= max_time and not deleted by a tombstone, from the blocks and the WAL (read,
// never repaired), as `{labels} value timestamp`, series in label order, samples in time order.
absl::Status DumpSamples(Env* env, const std::string& data_dir, int64_t min_time, int64_t max_time,
                         const std::vector<labels::Matcher>& matchers, std::ostream& out);

// `promtool tsdb list` rows for the given blocks (header first when `header`).
absl::Status PrintBlocks(Env* env, const std::vector<const block::Block*>& blocks, bool header,
                         bool human, std::ostream& out);

// Go's time.Duration.String for a millisecond count ("2h0m0s", "1m0.001s", "500ms").
std::string GoDurationString(int64_t ms);

}  // namespace argus::tsdb::tools
