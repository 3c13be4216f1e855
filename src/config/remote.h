// remote_write and remote_read entries (Prometheus v2.42 config.RemoteWriteConfig and
// RemoteReadConfig) with their defaults and checks.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/yaml.h"
#include "config/http_client.h"
#include "model/labels/labels.h"
#include "model/relabel/relabel.h"
#include "yaml-cpp/yaml.h"

namespace argus::config {

struct QueueConfig {
  int64_t capacity = 2500;
  int64_t max_shards = 200;
  int64_t min_shards = 1;
  int64_t max_samples_per_send = 500;
  int64_t batch_send_deadline_ms = 5 * 1000;
  int64_t min_backoff_ms = 30;
  int64_t max_backoff_ms = 5 * 1000;
  bool retry_on_http_429 = false;
};

struct MetadataConfig {
  bool send = true;
  int64_t send_interval_ms = 60 * 1000;
  int64_t max_samples_per_send = 500;
};

struct SigV4Config {
  std::string region;
  std::string access_key;
  std::string secret_key;
  std::string profile;
  std::string role_arn;
};

struct RemoteWriteConfig {
  std::string url;
  int64_t remote_timeout_ms = 30 * 1000;
  std::map<std::string, std::string> headers;
  std::vector<relabel::Config> write_relabel_configs;  // compiled
  std::string name;
  bool send_exemplars = false;
  bool send_native_histograms = false;
  HTTPClientConfig http_client;
  QueueConfig queue_config;
  MetadataConfig metadata_config;
  std::optional<SigV4Config> sigv4;
};

struct RemoteReadConfig {
  std::string url;
  int64_t remote_timeout_ms = 60 * 1000;
  std::map<std::string, std::string> headers;
  bool read_recent = false;
  std::string name;
  HTTPClientConfig http_client;
  labels::Labels required_matchers;  // equality matchers a query must have to be sent
  bool filter_external_labels = true;
};

// Read one remote_write / remote_read entry. Errors: InvalidArgument "file:line:col: message"
// with Prometheus's message ("url for remote_write is empty", "x is a reserved header. It must
// not be changed", "at most one of basic_auth, authorization, oauth2, & sigv4 must be
// configured", unknown keys, the HTTP client and relabel checks).
absl::StatusOr<RemoteWriteConfig> ParseRemoteWriteConfig(const YamlDoc& doc,
                                                         const YAML::Node& node);
absl::StatusOr<RemoteReadConfig> ParseRemoteReadConfig(const YamlDoc& doc, const YAML::Node& node);

}  // namespace argus::config
