// The HTTP client settings Prometheus inlines into scrape configs, Alertmanager configs, remote
// write/read and Kubernetes SD (prometheus/common v0.39 config.HTTPClientConfig): basic auth,
// Authorization header, OAuth2, TLS, proxy, redirects and HTTP/2, with that package's checks.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "base/yaml.h"
#include "config/internal/fields.h"
#include "yaml-cpp/yaml.h"

namespace argus::config {

struct TLSConfig {
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  std::string server_name;
  bool insecure_skip_verify = false;
  std::string min_version;  // "" (Go's default), "TLS10", "TLS11", "TLS12" or "TLS13"
  std::string max_version;  // likewise

  // Resolves the relative file paths against `dir`.
  void SetDirectory(const std::string& dir);
  friend bool operator==(const TLSConfig&, const TLSConfig&) = default;
};

struct BasicAuth {
  std::string username;
  std::string password;
  std::string password_file;
  friend bool operator==(const BasicAuth&, const BasicAuth&) = default;
};

struct Authorization {
  std::string type = "Bearer";
  std::string credentials;
  std::string credentials_file;
  friend bool operator==(const Authorization&, const Authorization&) = default;
};

struct OAuth2 {
  std::string client_id;
  std::string client_secret;
  std::string client_secret_file;
  std::vector<std::string> scopes;
  std::string token_url;
  std::map<std::string, std::string> endpoint_params;
  std::string proxy_url;
  TLSConfig tls_config;
  friend bool operator==(const OAuth2&, const OAuth2&) = default;
};

// The deprecated bearer_token / bearer_token_file are folded into `authorization` (type Bearer)
// while parsing, as Prometheus does, so users of this struct see one form.
struct HTTPClientConfig {
  std::optional<BasicAuth> basic_auth;
  std::optional<Authorization> authorization;
  std::optional<OAuth2> oauth2;
  std::string proxy_url;
  std::map<std::string, std::vector<std::string>> proxy_connect_header;
  TLSConfig tls_config;
  bool follow_redirects = true;
  bool enable_http2 = true;

  // Resolves every relative file path (TLS files, password, credentials and client secret
  // files) against `dir`, as config.HTTPClientConfig.SetDirectory.
  void SetDirectory(const std::string& dir);
  friend bool operator==(const HTTPClientConfig&, const HTTPClientConfig&) = default;
};

// What a request sends to authenticate, as `http` says, its files read now (Prometheus re-reads
// them for every request).
struct HTTPCredentials {
  std::optional<std::pair<std::string, std::string>> basic_auth;  // user, password
  std::string authorization_header;  // "Authorization: <type> <credentials>", or ""
};
// Errors: FailedPrecondition "unable to read basic auth password file: ..." (or authorization
// credentials), as Prometheus words it.
absl::StatusOr<HTTPCredentials> ReadCredentials(const HTTPClientConfig& http);

// The keys of HTTPClientConfig, for sections that inline it.
const internal::KeyList& HTTPClientKeys();

// Reads the HTTP client keys of `map` (other keys are the caller's to check) and validates them
// with Prometheus's messages, e.g. "at most one of bearer_token & bearer_token_file must be
// configured". Errors: InvalidArgument "file:line:col: message".
absl::StatusOr<HTTPClientConfig> ParseHTTPClientConfig(const YamlDoc& doc, const YAML::Node& map);

// Reads a tls_config section (absent or null: the defaults). Errors: unknown keys, bad types,
// "unknown TLS version: X".
absl::StatusOr<TLSConfig> ParseTLSConfig(const YamlDoc& doc, const YAML::Node& node);

}  // namespace argus::config
