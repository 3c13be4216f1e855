// deletion-mark.json, the marker Thanos's compactor puts in a block it will delete:
// {"id": "<ULID>", "version": 1, "details": "...", "deletion_time": <unix seconds>}.
#pragma once

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace argus::store {

inline constexpr char kDeletionMarkFilename[] = "deletion-mark.json";

// The deletion_time (unix seconds) of a deletion-mark.json text. Errors: InvalidArgument for
// text that is not such a marker (not JSON, no integer deletion_time, version other than 1).
absl::StatusOr<int64_t> ParseDeletionTime(absl::string_view json);

}  // namespace argus::store
