// Loading and validating Prometheus v2.42 configuration files (prometheus.yml) as users write
// them: the same keys, defaults, inheritance (scrape intervals and timeouts from `global`) and
// error messages as config.LoadFile, each error prefixed with "file:line:col: ".
//
// Supported as Prometheus does: global, rule_files, scrape_configs (HTTP client settings,
// static_configs, file_sd_configs, kubernetes_sd_configs, relabel_configs,
// metric_relabel_configs), alerting, remote_write, remote_read, storage and tracing.
// Not supported yet: every other service discovery mechanism (consul_sd_configs,
// ec2_sd_configs, dns_sd_configs, ...); such a key fails with "<key> is not supported by Argus
// yet" instead of being ignored. Differences: a scrape scheme other than http/https fails at
// load time (Prometheus fails each target instead), Kubernetes label selectors are not
// checked, and URLs (api_server, proxy_url, remote url) are kept as written, unchecked.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "config/alerting.h"
#include "config/http_client.h"
#include "config/remote.h"
#include "config/scrape_config.h"

namespace argus::config {

struct StorageConfig {
  int64_t out_of_order_time_window_ms = 0;  // tsdb.out_of_order_time_window
  int64_t max_exemplars = 100000;           // exemplars.max_exemplars; <= 0 disables
};

struct TracingConfig {
  std::string client_type = "grpc";  // "grpc" or "http"
  std::string endpoint;
  double sampling_fraction = 0;
  bool insecure = false;
  TLSConfig tls_config;
  std::map<std::string, std::string> headers;
  std::string compression;  // "" or "gzip"
  int64_t timeout_ms = 0;
};

struct Config {
  GlobalConfig global;
  AlertingConfig alerting;
  std::vector<std::string> rule_files;  // paths or globs
  std::vector<ScrapeConfig> scrape_configs;
  StorageConfig storage;
  std::optional<TracingConfig> tracing;  // set when the section is present
  std::vector<RemoteWriteConfig> remote_write;
  std::vector<RemoteReadConfig> remote_read;

  // Resolves every relative file path (rule files, query log, TLS, credential and password
  // files, file_sd files, kubeconfig files) against `dir`, as Prometheus's SetDirectory.
  void SetDirectory(const std::string& dir);
};

// Parses a configuration; `source` names it in errors. Relative paths stay as written. An empty
// document gives the defaults. Errors: InvalidArgument "source:line:col: message" carrying
// Prometheus's message, e.g. "field foo not found in type config.plain", "found multiple scrape
// configs with job name \"x\"", "invalid rule file path \"x\"".
absl::StatusOr<Config> Parse(absl::string_view text, const std::string& source);

// Reads and parses `path`, then resolves relative paths against its directory. Errors: those of
// Parse, and NotFound / PermissionDenied for the file.
absl::StatusOr<Config> LoadFile(const std::string& path);

}  // namespace argus::config
