// A scrape_configs entry (Prometheus v2.42 config.ScrapeConfig) and the global section whose
// intervals it inherits.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/yaml.h"
#include "config/discovery.h"
#include "config/http_client.h"
#include "model/labels/labels.h"
#include "model/relabel/relabel.h"
#include "yaml-cpp/yaml.h"

namespace argus::config {

struct GlobalConfig {
  int64_t scrape_interval_ms = 60 * 1000;
  int64_t scrape_timeout_ms = 10 * 1000;  // never above scrape_interval_ms
  int64_t evaluation_interval_ms = 60 * 1000;
  std::string query_log_file;  // resolved against the config's directory
  labels::Labels external_labels;
};

// Reads the global section (absent or null: the defaults). Errors: unknown keys, bad durations,
// invalid or repeated external label names, "global scrape timeout greater than scrape
// interval".
absl::StatusOr<GlobalConfig> ParseGlobalConfig(const YamlDoc& doc, const YAML::Node& node);

struct ScrapeConfig {
  std::string job_name;
  bool honor_labels = false;
  bool honor_timestamps = true;
  std::map<std::string, std::vector<std::string>> params;  // URL query parameters
  int64_t scrape_interval_ms = 0;                          // after parsing: never 0
  int64_t scrape_timeout_ms = 0;                           // after parsing: never 0
  std::string metrics_path = "/metrics";
  std::string scheme = "http";
  int64_t body_size_limit_bytes = 0;  // 0: no limit (as are the limits below)
  uint64_t sample_limit = 0;
  uint64_t target_limit = 0;
  uint64_t label_limit = 0;
  uint64_t label_name_length_limit = 0;
  uint64_t label_value_length_limit = 0;
  HTTPClientConfig http_client;
  ServiceDiscoveryConfigs discovery;
  std::vector<relabel::Config> relabel_configs;         // compiled
  std::vector<relabel::Config> metric_relabel_configs;  // compiled

  // Resolves the relative file paths of its HTTP client and discovery configs against `dir`.
  void SetDirectory(const std::string& dir);
};

// Reads one scrape_configs entry, filling scrape_interval from `global` when unset and
// scrape_timeout with the smaller of the global timeout and the interval. Errors:
// InvalidArgument "file:line:col: message" with Prometheus's message ("job_name is empty",
// "scrape timeout greater than scrape interval for scrape config with job name \"x\"",
// "\"http://x\" is not a valid hostname", unknown keys, the HTTP client, discovery and relabel
// checks), and, stricter than Prometheus (which fails each target instead), a scheme other
// than http or https.
absl::StatusOr<ScrapeConfig> ParseScrapeConfig(const YamlDoc& doc, const YAML::Node& node,
                                               const GlobalConfig& global);

}  // namespace argus::config
