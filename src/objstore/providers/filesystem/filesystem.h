// The FILESYSTEM provider (Thanos objstore `type: FILESYSTEM`, `config: {directory: PATH}`): a
// bucket that is a local directory, object "a/b/c" being the file PATH/a/b/c. For tests, the
// demo and single-machine setups.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "base/yaml.h"
#include "objstore/bucket.h"
#include "yaml-cpp/yaml.h"

namespace argus::objstore::filesystem {

// Parses `config: {directory: PATH}` leniently, as Thanos does (unknown keys are ignored). A
// relative directory is taken relative to the working directory. Errors: InvalidArgument when
// `directory` is missing or empty.
absl::StatusOr<std::string> ParseConfig(const YamlDoc& doc, const YAML::Node& config);

// Opens (creating it if needed) the directory `root` as a bucket.
// Uploads write a temporary file under `root`/.tmp-upload/ and rename it into place, so readers
// never see a partial object; Delete removes directories it leaves empty. Object names are
// checked by CheckKey: "../x" and the like are InvalidArgument, never touch outside `root`.
// Errors: Internal when `root` cannot be created.
absl::StatusOr<std::unique_ptr<Bucket>> NewBucket(const std::string& root);

}  // namespace argus::objstore::filesystem
