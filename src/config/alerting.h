// The alerting section (Prometheus v2.42 config.AlertingConfig): alert relabeling and the
// Alertmanagers to send to, found through the same discovery mechanisms as scrape targets.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/yaml.h"
#include "config/discovery.h"
#include "config/http_client.h"
#include "model/relabel/relabel.h"
#include "yaml-cpp/yaml.h"

namespace argus::config {

struct AlertmanagerConfig {
  HTTPClientConfig http_client;
  ServiceDiscoveryConfigs discovery;
  std::string scheme = "http";
  std::string path_prefix;
  int64_t timeout_ms = 10 * 1000;
  std::string api_version = "v2";                // "v1" or "v2"
  std::vector<relabel::Config> relabel_configs;  // compiled

  // Resolves the relative file paths of its HTTP client and discovery configs against `dir`.
  void SetDirectory(const std::string& dir);
};

struct AlertingConfig {
  std::vector<relabel::Config> alert_relabel_configs;  // compiled
  std::vector<AlertmanagerConfig> alertmanagers;
};

// Reads the alerting section (absent or null: empty). Errors: InvalidArgument
// "file:line:col: message" with Prometheus's message ("expected Alertmanager api version to be
// one of [v1 v2] but got x", unknown keys, the HTTP client, discovery and relabel checks).
absl::StatusOr<AlertingConfig> ParseAlertingConfig(const YamlDoc& doc, const YAML::Node& node);

}  // namespace argus::config
