#include "objstore/providers/s3/credentials.h"

#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "base/env.h"

namespace argus::objstore::s3 {
namespace {

absl::StatusOr<Credentials> Complete(Credentials c, absl::string_view source) {
  if (c.access_key.empty() != c.secret_key.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": an access key id needs a secret access key and the reverse"));
  }
  return c;
}

// The profile's keys from an INI-style credentials file; empty ones if the file or profile is
// missing.
absl::StatusOr<Credentials> FromFile(const std::string& path, const std::string& profile) {
  absl::StatusOr<std::string> text = Env::Default()->ReadFile(path);
  Credentials c;
  if (!text.ok()) return c;
  std::string section;
  int lineno = 0;
  for (absl::string_view line : absl::StrSplit(*text, '\n')) {
    ++lineno;
    absl::string_view l = absl::StripAsciiWhitespace(line);
    if (l.empty() || l[0] == '#' || l[0] == ';') continue;
    if (l.front() == '[') {
      if (l.back() != ']') {
        return absl::InvalidArgumentError(absl::StrCat(path, ":", lineno, ": malformed section"));
      }
      section = std::string(absl::StripAsciiWhitespace(l.substr(1, l.size() - 2)));
      continue;
    }
    const size_t eq = l.find('=');
    if (eq == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", lineno, ": expected key = value"));
    }
    if (section != profile) continue;
    const std::string key = absl::AsciiStrToLower(absl::StripAsciiWhitespace(l.substr(0, eq)));
    const std::string value(absl::StripAsciiWhitespace(l.substr(eq + 1)));
    if (key == "aws_access_key_id") c.access_key = value;
    if (key == "aws_secret_access_key") c.secret_key = value;
    if (key == "aws_session_token") c.session_token = value;
  }
  return Complete(std::move(c), path);
}

}  // namespace

std::optional<std::string> ProcessEnv(const char* name) {
  const char* v = std::getenv(name);
  if (v == nullptr) return std::nullopt;
  return std::string(v);
}

absl::StatusOr<Credentials> ResolveCredentials(const S3Config& config, const GetEnvFn& getenv) {
  if (!config.access_key.empty() || !config.secret_key.empty()) {
    return Complete({config.access_key, config.secret_key, config.session_token}, "s3 config");
  }
  const auto env = [&getenv](const char* name) { return getenv(name).value_or(""); };
  Credentials from_env{env("AWS_ACCESS_KEY_ID"), env("AWS_SECRET_ACCESS_KEY"),
                       env("AWS_SESSION_TOKEN")};
  if (from_env.access_key.empty()) from_env.access_key = env("AWS_ACCESS_KEY");
  if (from_env.secret_key.empty()) from_env.secret_key = env("AWS_SECRET_KEY");
  if (!from_env.access_key.empty() || !from_env.secret_key.empty()) {
    return Complete(std::move(from_env), "environment");
  }
  std::string file = env("AWS_SHARED_CREDENTIALS_FILE");
  if (file.empty()) file = absl::StrCat(env("HOME"), "/.aws/credentials");
  std::string profile = env("AWS_PROFILE");
  if (profile.empty()) profile = "default";
  return FromFile(file, profile);
}

}  // namespace argus::objstore::s3
