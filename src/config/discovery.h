// Service discovery sections of a scrape or Alertmanager config. Argus supports static_configs,
// file_sd_configs and kubernetes_sd_configs (Prometheus v2.42's discovery/file and
// discovery/kubernetes SDConfig, with their defaults and checks). Every other *_sd_configs key
// Prometheus knows (consul_sd_configs, ec2_sd_configs, dns_sd_configs, ...) is rejected with
// "<key> is not supported by Argus yet" rather than silently ignored.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/yaml.h"
#include "config/http_client.h"
#include "config/internal/fields.h"
#include "model/labels/labels.h"
#include "yaml-cpp/yaml.h"

namespace argus::config {

// One static_configs entry (targetgroup.Group): addresses plus labels for all of them.
struct TargetGroup {
  std::vector<std::string> targets;  // each becomes the target's __address__
  labels::Labels labels;
};

struct FileSDConfig {
  std::vector<std::string> files;  // paths; the last element may hold a '*' glob
  int64_t refresh_interval_ms = 5 * 60 * 1000;
};

struct KubernetesSelector {
  std::string role;
  std::string label;
  std::string field;
};

struct KubernetesSDConfig {
  std::string api_server;       // URL; empty means in-cluster or kubeconfig_file
  std::string role;             // endpoints, endpointslice, service, pod, node or ingress
  std::string kubeconfig_file;  // resolved against the config's directory
  HTTPClientConfig http_client;
  bool own_namespace = false;           // namespaces.own_namespace
  std::vector<std::string> namespaces;  // namespaces.names; empty means all
  std::vector<KubernetesSelector> selectors;
  bool attach_metadata_node = false;  // attach_metadata.node
};

struct ServiceDiscoveryConfigs {
  std::vector<TargetGroup> static_configs;
  std::vector<FileSDConfig> file_sd_configs;
  std::vector<KubernetesSDConfig> kubernetes_sd_configs;

  // Resolves the file_sd paths, kubeconfig files and HTTP client files against `dir`.
  void SetDirectory(const std::string& dir);
};

// The discovery keys Argus reads, for the sections that hold them.
const internal::KeyList& ServiceDiscoveryKeys();

// Reads the discovery keys of `map` (a scrape or Alertmanager config; other keys are the
// caller's to check). Errors: InvalidArgument "file:line:col: message": "<key> is not supported
// by Argus yet" for any other *_sd_configs key, and Prometheus's messages, e.g. "empty or null
// section in static_configs", "path name \"x\" is not valid for file discovery", "unknown
// Kubernetes SD role \"x\"".
absl::StatusOr<ServiceDiscoveryConfigs> ParseServiceDiscovery(const YamlDoc& doc,
                                                              const YAML::Node& map);

// Prometheus's check for URLs written as static targets, which it makes when a section has no
// relabel_configs: a target containing '/' fails with "\"x\" is not a valid hostname",
// positioned at map's static_configs.
absl::Status CheckStaticTargets(const YamlDoc& doc, const YAML::Node& map,
                                const ServiceDiscoveryConfigs& sd);

}  // namespace argus::config
