// The remote-write receiver (Prometheus v2.42's storage/remote writeHandler): a snappy-compressed
// prometheus.WriteRequest whose samples are appended in one batch, all or nothing.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "storage/storage.h"

namespace argus::storage::remote {

// Decodes `body` (snappy block format, then protobuf) and appends every sample through `app`,
// committing only if all were accepted. Errors, with the batch rolled back: InvalidArgument for
// an undecodable body, invalid labels or native histograms (not stored by Argus); the
// appender's refusals (out of order, out of bounds, duplicate) as it returned them; anything
// else the storage returned.
absl::Status ApplyWriteRequest(absl::string_view body, Appender& app);

// The HTTP status Prometheus answers for a result of ApplyWriteRequest: 204, 400 for the
// sender's mistakes (it must not retry them), 500 otherwise (it retries).
int WriteStatusCode(const absl::Status& st);

}  // namespace argus::storage::remote
