#include "config/alerting.h"

#include "absl/strings/str_cat.h"
#include "base/status.h"
#include "config/internal/fields.h"

namespace argus::config {
namespace {

absl::StatusOr<AlertmanagerConfig> ParseAlertmanagerConfig(const YamlDoc& doc,
                                                           const YAML::Node& node) {
  AlertmanagerConfig c;
  // Before the key check, so an unsupported discovery key is named as such.
  ASSIGN_OR_RETURN(c.discovery, ParseServiceDiscovery(doc, node));
  RETURN_IF_ERROR(internal::CheckFields(
      doc, node,
      internal::Concat(
          internal::Concat({"scheme", "path_prefix", "timeout", "api_version", "relabel_configs"},
                           HTTPClientKeys()),
          ServiceDiscoveryKeys()),
      "config.AlertmanagerConfig"));
  RETURN_IF_ERROR(doc.Read(node, "scheme", &c.scheme));
  RETURN_IF_ERROR(doc.Read(node, "path_prefix", &c.path_prefix));
  RETURN_IF_ERROR(internal::ReadDuration(doc, node, "timeout", &c.timeout_ms));
  RETURN_IF_ERROR(doc.Read(node, "api_version", &c.api_version));
  if (c.api_version != "v1" && c.api_version != "v2") {
    return doc.Error(internal::Child(node, "api_version"),
                     absl::StrCat("expected Alertmanager api version to be one of [v1 v2] but got ",
                                  c.api_version));
  }
  ASSIGN_OR_RETURN(c.http_client, ParseHTTPClientConfig(doc, node));
  ASSIGN_OR_RETURN(c.relabel_configs,
                   relabel::ParseConfigs(doc, internal::Child(node, "relabel_configs"),
                                         "Alertmanager target relabeling rule"));
  if (c.relabel_configs.empty()) RETURN_IF_ERROR(CheckStaticTargets(doc, node, c.discovery));
  return c;
}

}  // namespace

void AlertmanagerConfig::SetDirectory(const std::string& dir) {
  discovery.SetDirectory(dir);
  http_client.SetDirectory(dir);
}

absl::StatusOr<AlertingConfig> ParseAlertingConfig(const YamlDoc& doc, const YAML::Node& node) {
  RETURN_IF_ERROR(
      internal::CheckFields(doc, node, {"alert_relabel_configs", "alertmanagers"}, "config.plain"));
  AlertingConfig a;
  ASSIGN_OR_RETURN(a.alert_relabel_configs,
                   relabel::ParseConfigs(doc, internal::Child(node, "alert_relabel_configs"),
                                         "alert relabeling rule"));
  ASSIGN_OR_RETURN(std::vector<YAML::Node> items, internal::ReadList(doc, node, "alertmanagers"));
  for (const YAML::Node& item : items) {
    ASSIGN_OR_RETURN(AlertmanagerConfig am, ParseAlertmanagerConfig(doc, item));
    a.alertmanagers.push_back(std::move(am));
  }
  return a;
}

}  // namespace argus::config
