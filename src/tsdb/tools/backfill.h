// `argus tools tsdb create-blocks-from openmetrics`: backfills blocks from an OpenMetrics text
// file exactly as `promtool tsdb create-blocks-from openmetrics` (v2.42) does, so the blocks
// hold the same chunks byte for byte.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "base/env.h"

namespace argus::tsdb::tools {

struct BackfillOptions {
  // --max-block-duration: blocks are 2h unless this allows a larger standard range
  // (2h * 3^k, the largest not above it).
  int64_t max_block_duration = 2 * 3600 * 1000LL;
  bool human_readable = false;  // sizes in the printed block list
  bool quiet = false;           // print nothing
};

// Parses `input` (OpenMetrics text; every sample must carry a timestamp) and writes one block
// per block-duration window holding samples into `output_dir`, printing each block as
// `tsdb list` does. Errors: InvalidArgument "parse: line N: ..." for bad input, "expected
// timestamp for series ..., got none", "add sample: ..." for out-of-order or duplicate samples;
// those of Env. Blocks written before an error stay.
absl::Status CreateBlocksFromOpenMetrics(Env* env, absl::string_view input,
                                         const std::string& output_dir, const BackfillOptions& opts,
                                         std::ostream& out);

}  // namespace argus::tsdb::tools
