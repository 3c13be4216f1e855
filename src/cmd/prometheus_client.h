// What `argus sidecar` asks of the Prometheus server it runs next to, over its HTTP API:
// readiness, external labels (from the loaded configuration) and command-line flags.
#pragma once

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "model/labels/labels.h"

namespace argus::cmd {

class PrometheusClient {
 public:
  // `base_url` as --prometheus.url gives it ("http://localhost:9090", a trailing "/" allowed).
  explicit PrometheusClient(std::string base_url);

  // OK once GET /-/ready answers 200. Errors: Unavailable with the last failure.
  absl::Status Ready();
  // global.external_labels of the configuration GET /api/v1/status/config returns (none when
  // the section is absent). Errors: Unavailable (unreachable, non-200), DataLoss (malformed).
  absl::StatusOr<labels::Labels> ExternalLabels();
  // GET /api/v1/status/flags as flag name -> value.
  absl::StatusOr<std::map<std::string, std::string>> Flags();

 private:
  absl::StatusOr<std::string> Get(const std::string& path);
  std::string base_url_;
};

}  // namespace argus::cmd
