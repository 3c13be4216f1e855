// Where the S3 client's credentials come from, in the order Thanos's S3 provider looks:
// access_key/secret_key (and session_token) from the config, else the environment
// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), else the shared credentials
// file (AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials, profile AWS_PROFILE or "default").
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "objstore/providers/s3/config.h"
#include "objstore/providers/s3/sign.h"

namespace argus::objstore::s3 {

// Looks up an environment variable; std::nullopt when unset.
using GetEnvFn = std::function<std::optional<std::string>(const char* name)>;

// The process environment.
std::optional<std::string> ProcessEnv(const char* name);

// The credentials for `config`, or empty ones (anonymous requests) when no source has any.
// Errors: InvalidArgument when a source is half filled (a key id without a secret, or the
// reverse) or the credentials file cannot be parsed.
absl::StatusOr<Credentials> ResolveCredentials(const S3Config& config, const GetEnvFn& getenv);

}  // namespace argus::objstore::s3
