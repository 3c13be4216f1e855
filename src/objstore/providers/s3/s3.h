// The S3 provider (Thanos objstore `type: S3`): a Bucket over any S3-compatible service, on
// libcurl and OpenSSL. SigV4 (or SigV2), path-style or virtual-hosted addressing,
// ListObjects V2 (or V1), multipart uploads above part_size, SSE-S3 / SSE-KMS / SSE-C, and
// retries with exponential backoff and full jitter on transient errors.
#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "objstore/bucket.h"
#include "objstore/providers/s3/config.h"
#include "objstore/providers/s3/credentials.h"

namespace argus::objstore::s3 {

// Knobs that are not part of the Thanos configuration.
struct ClientOptions {
  // Retries of a transient failure (5xx, SlowDown, timeouts, resets, truncated bodies) wait a
  // random time in [0, min(max_backoff, min_backoff * 2^attempt)] (full jitter).
  absl::Duration min_backoff = absl::Milliseconds(100);
  absl::Duration max_backoff = absl::Seconds(10);
  // Retries after the first attempt when the config's max_retries is 0 (minio-go's default).
  int default_max_retries = 10;
  // Parts of one multipart upload sent at once (each holds part_size bytes in memory).
  int upload_concurrency = 4;
  GetEnvFn getenv = ProcessEnv;
};

// Builds the bucket; no request is sent. Errors: InvalidArgument for unusable credentials,
// TLS files or an SSE-C key file that is not 32 bytes.
absl::StatusOr<std::unique_ptr<Bucket>> NewBucket(const S3Config& config,
                                                  const ClientOptions& options = {});

}  // namespace argus::objstore::s3
