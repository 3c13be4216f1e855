// The Thanos objstore configuration (`type`, `config`, `prefix`) as users write it for
// --objstore.config-file / --objstore.config, and the bucket it describes.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "metrics/registry.h"
#include "objstore/bucket.h"
#include "objstore/instrumented.h"
#include "objstore/providers/s3/config.h"
#include "objstore/providers/s3/s3.h"

namespace argus::objstore {

enum class Provider { kFilesystem, kS3 };

struct BucketConfig {
  Provider type = Provider::kFilesystem;
  std::string prefix;
  std::string directory;  // FILESYSTEM
  s3::S3Config s3;        // S3
};

// Parses objstore YAML. `type` is case-insensitive; unknown top-level keys are errors, as are
// unknown keys in an S3 config (FILESYSTEM's is lenient, as in Thanos). Providers Thanos has
// but Argus does not (GCS, AZURE, SWIFT, COS, ALIYUNOSS, BOS, OCI, OBS) are refused by name.
// Errors: InvalidArgument "<source>:line:col: ..." naming the problem.
absl::StatusOr<BucketConfig> ParseBucketConfig(absl::string_view yaml, std::string source);

// The configuration text from the two flags, as Thanos's PathOrContent: the file's content,
// else the inline content; empty when neither is set. Errors: both set, or an unreadable file.
absl::StatusOr<std::string> ConfigFromFlags(const std::string& file, const std::string& content,
                                            absl::string_view flag_prefix = "objstore.config");

// The bucket `config` describes, instrumented with `metrics` (may be null), under its prefix.
absl::StatusOr<std::unique_ptr<Bucket>> NewBucket(const BucketConfig& config,
                                                  BucketMetrics* metrics,
                                                  const s3::ClientOptions& s3_options = {});

}  // namespace argus::objstore
