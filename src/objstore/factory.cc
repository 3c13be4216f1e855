#include "objstore/factory.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/env.h"
#include "base/status.h"
#include "base/yaml.h"
#include "objstore/prefixed.h"
#include "objstore/providers/filesystem/filesystem.h"

namespace argus::objstore {

absl::StatusOr<BucketConfig> ParseBucketConfig(absl::string_view yaml, std::string source) {
  ASSIGN_OR_RETURN(YamlDoc doc, YamlDoc::Parse(yaml, std::move(source)));
  const YAML::Node& root = doc.root();
  if (!root.IsMap()) return doc.Error(root, "objstore configuration must be a mapping");
  RETURN_IF_ERROR(doc.CheckKeys(root, {"type", "config", "prefix"}, "client.BucketConfig"));
  ASSIGN_OR_RETURN(std::optional<std::string> type, doc.Get<std::string>(root, "type"));
  BucketConfig out;
  RETURN_IF_ERROR(doc.Read(root, "prefix", &out.prefix));
  const std::string upper = absl::AsciiStrToUpper(type.value_or(""));
  const YAML::Node config = root["config"];
  if (upper == "FILESYSTEM") {
    out.type = Provider::kFilesystem;
    ASSIGN_OR_RETURN(out.directory, filesystem::ParseConfig(doc, config));
  } else if (upper == "S3") {
    out.type = Provider::kS3;
    ASSIGN_OR_RETURN(out.s3, s3::ParseConfig(doc, config));
  } else if (upper.empty()) {
    return doc.Error(root, "missing bucket type");
  } else {
    static constexpr absl::string_view kThanosOnly[] = {"GCS",       "AZURE", "SWIFT", "COS",
                                                        "ALIYUNOSS", "BOS",   "OCI",   "OBS"};
    for (absl::string_view t : kThanosOnly) {
      if (upper == t) {
        return doc.Error(root["type"], absl::StrCat("bucket type ", *type,
                                                    " is not supported by Argus (S3 and "
                                                    "FILESYSTEM are)"));
      }
    }
    return doc.Error(root["type"], absl::StrCat("unsupported bucket type: ", *type));
  }
  return out;
}

absl::StatusOr<std::string> ConfigFromFlags(const std::string& file, const std::string& content,
                                            absl::string_view flag_prefix) {
  if (!file.empty() && !content.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("both file and content are set for ", flag_prefix));
  }
  if (file.empty()) return content;
  absl::StatusOr<std::string> text = Env::Default()->ReadFile(file);
  if (!text.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("could not read file ", file, " set by --",
                                                   flag_prefix,
                                                   "-file: ", text.status().message()));
  }
  return text;
}

absl::StatusOr<std::unique_ptr<Bucket>> NewBucket(const BucketConfig& config,
                                                  BucketMetrics* metrics,
                                                  const s3::ClientOptions& s3_options) {
  std::unique_ptr<Bucket> bucket;
  switch (config.type) {
    case Provider::kFilesystem: {
      ASSIGN_OR_RETURN(bucket, filesystem::NewBucket(config.directory));
      break;
    }
    case Provider::kS3: {
      ASSIGN_OR_RETURN(bucket, s3::NewBucket(config.s3, s3_options));
      break;
    }
  }
  if (metrics != nullptr) bucket = Instrument(std::move(bucket), *metrics);
  return WithPrefix(std::move(bucket), config.prefix);
}

}  // namespace argus::objstore
