// What `argus sidecar` asks of the Prometheus server it runs next to, over its HTTP API
// (Thanos's promclient): readiness, external labels (from the loaded configuration),
// command-line flags, remote read, label names and values.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "config/http_client.h"
#include "model/labels/labels.h"
#include "model/labels/matcher.h"

namespace argus::promclient {

// The HTTP client settings of --prometheus.http-client(-file) (Thanos's
// clientconfig.HTTPClientConfig: prometheus/common's format): basic auth, an Authorization
// header and TLS; files (password, credentials) are read at each request.
// Errors: InvalidArgument for a malformed document, unknown keys, or OAuth2, proxy and the TLS
// server name and version settings (not supported by Argus's client, rather than ignored).
absl::StatusOr<config::HTTPClientConfig> ParseHttpClient(absl::string_view yaml,
                                                         const std::string& source);

class PrometheusClient {
 public:
  // `base_url` as --prometheus.url gives it ("http://localhost:9090", a trailing "/" allowed).
  explicit PrometheusClient(std::string base_url, config::HTTPClientConfig http = {});

  // OK once GET /-/ready answers 200. Errors: Unavailable with the last failure.
  absl::Status Ready();
  // global.external_labels of the configuration GET /api/v1/status/config returns (none when
  // the section is absent). Errors: Unavailable (unreachable, non-200), DataLoss (malformed).
  absl::StatusOr<labels::Labels> ExternalLabels();
  // GET /api/v1/status/flags as flag name -> value.
  absl::StatusOr<std::map<std::string, std::string>> Flags();

  struct Reply {
    std::string content_type;
    std::string body;
  };
  // POST /api/v1/read with a snappy-compressed prometheus.ReadRequest. Errors: Unavailable
  // (unreachable), InvalidArgument for a 400 (the request was refused: Prometheus's message),
  // Unavailable for other non-200 answers.
  absl::StatusOr<Reply> RemoteRead(const std::string& snappy_request);
  // GET /api/v1/labels and /api/v1/label/<name>/values over [start_ms, end_ms], for the
  // series matching `matchers` (one match[] selector; all series for none).
  absl::StatusOr<std::vector<std::string>> LabelNames(int64_t start_ms, int64_t end_ms,
                                                      const std::vector<labels::Matcher>& matchers);
  absl::StatusOr<std::vector<std::string>> LabelValues(
      const std::string& name, int64_t start_ms, int64_t end_ms,
      const std::vector<labels::Matcher>& matchers);

 private:
  // One HTTP exchange; a POST when `post_body` is set. Errors as RemoteRead's.
  absl::StatusOr<Reply> Do(const std::string& path, const std::string* post_body,
                           const std::vector<std::string>& headers);
  absl::StatusOr<std::string> Get(const std::string& path);
  absl::StatusOr<std::vector<std::string>> Strings(const std::string& path, int64_t start_ms,
                                                   int64_t end_ms,
                                                   const std::vector<labels::Matcher>& matchers);
  std::string base_url_;
  config::HTTPClientConfig http_;
};

}  // namespace argus::promclient
