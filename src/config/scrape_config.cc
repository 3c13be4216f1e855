#include "config/scrape_config.h"

#include "absl/strings/str_cat.h"
#include "base/status.h"
#include "base/units.h"
#include "config/internal/fields.h"

namespace argus::config {
namespace {

constexpr int64_t kDefaultScrapeTimeoutMs = 10 * 1000;

absl::Status ReadLimits(const YamlDoc& doc, const YAML::Node& node, ScrapeConfig* c) {
  std::optional<std::string> body;
  ASSIGN_OR_RETURN(body, doc.Get<std::string>(node, "body_size_limit"));
  if (body.has_value()) {
    absl::StatusOr<int64_t> bytes = ParseBytes(*body);
    if (!bytes.ok()) {
      return doc.Error(internal::Child(node, "body_size_limit"),
                       absl::StrCat("field body_size_limit: ", bytes.status().message()));
    }
    c->body_size_limit_bytes = *bytes;
  }
  RETURN_IF_ERROR(doc.Read(node, "sample_limit", &c->sample_limit));
  RETURN_IF_ERROR(doc.Read(node, "target_limit", &c->target_limit));
  RETURN_IF_ERROR(doc.Read(node, "label_limit", &c->label_limit));
  RETURN_IF_ERROR(doc.Read(node, "label_name_length_limit", &c->label_name_length_limit));
  return doc.Read(node, "label_value_length_limit", &c->label_value_length_limit);
}

}  // namespace

absl::StatusOr<GlobalConfig> ParseGlobalConfig(const YamlDoc& doc, const YAML::Node& node) {
  RETURN_IF_ERROR(internal::CheckFields(doc, node,
                                        {"scrape_interval", "scrape_timeout", "evaluation_interval",
                                         "query_log_file", "external_labels"},
                                        "config.plain"));
  GlobalConfig g;
  int64_t interval = 0, timeout = 0, eval = 0;
  RETURN_IF_ERROR(internal::ReadDuration(doc, node, "scrape_interval", &interval));
  RETURN_IF_ERROR(internal::ReadDuration(doc, node, "scrape_timeout", &timeout));
  RETURN_IF_ERROR(internal::ReadDuration(doc, node, "evaluation_interval", &eval));
  RETURN_IF_ERROR(doc.Read(node, "query_log_file", &g.query_log_file));
  ASSIGN_OR_RETURN(g.external_labels, internal::ReadLabelSet(doc, node, "external_labels"));
  if (interval != 0) g.scrape_interval_ms = interval;
  if (timeout > g.scrape_interval_ms) {
    return doc.Error(node, "global scrape timeout greater than scrape interval");
  }
  g.scrape_timeout_ms =
      timeout != 0 ? timeout : std::min(kDefaultScrapeTimeoutMs, g.scrape_interval_ms);
  if (eval != 0) g.evaluation_interval_ms = eval;
  return g;
}

void ScrapeConfig::SetDirectory(const std::string& dir) {
  discovery.SetDirectory(dir);
  http_client.SetDirectory(dir);
}

absl::StatusOr<ScrapeConfig> ParseScrapeConfig(const YamlDoc& doc, const YAML::Node& node,
                                               const GlobalConfig& global) {
  ScrapeConfig c;
  // Before the key check, so an unsupported discovery key is named as such.
  ASSIGN_OR_RETURN(c.discovery, ParseServiceDiscovery(doc, node));
  RETURN_IF_ERROR(internal::CheckFields(
      doc, node,
      internal::Concat(
          internal::Concat(
              {"job_name", "honor_labels", "honor_timestamps", "params", "scrape_interval",
               "scrape_timeout", "metrics_path", "scheme", "body_size_limit", "sample_limit",
               "target_limit", "label_limit", "label_name_length_limit", "label_value_length_limit",
               "relabel_configs", "metric_relabel_configs"},
              HTTPClientKeys()),
          ServiceDiscoveryKeys()),
      "config.ScrapeConfig"));
  RETURN_IF_ERROR(doc.Read(node, "job_name", &c.job_name));
  RETURN_IF_ERROR(doc.Read(node, "honor_labels", &c.honor_labels));
  RETURN_IF_ERROR(doc.Read(node, "honor_timestamps", &c.honor_timestamps));
  RETURN_IF_ERROR(internal::ReadStringListMap(doc, node, "params", &c.params));
  RETURN_IF_ERROR(internal::ReadDuration(doc, node, "scrape_interval", &c.scrape_interval_ms));
  RETURN_IF_ERROR(internal::ReadDuration(doc, node, "scrape_timeout", &c.scrape_timeout_ms));
  RETURN_IF_ERROR(doc.Read(node, "metrics_path", &c.metrics_path));
  RETURN_IF_ERROR(doc.Read(node, "scheme", &c.scheme));
  RETURN_IF_ERROR(ReadLimits(doc, node, &c));
  if (c.job_name.empty()) return doc.Error(node, "job_name is empty");
  ASSIGN_OR_RETURN(c.http_client, ParseHTTPClientConfig(doc, node));
  ASSIGN_OR_RETURN(c.relabel_configs,
                   relabel::ParseConfigs(doc, internal::Child(node, "relabel_configs"),
                                         "target relabeling rule in scrape config"));
  if (c.relabel_configs.empty()) RETURN_IF_ERROR(CheckStaticTargets(doc, node, c.discovery));
  ASSIGN_OR_RETURN(c.metric_relabel_configs,
                   relabel::ParseConfigs(doc, internal::Child(node, "metric_relabel_configs"),
                                         "metric relabeling rule in scrape config"));
  if (c.scheme != "http" && c.scheme != "https") {
    return doc.Error(internal::Child(node, "scheme"),
                     absl::StrCat("invalid scheme: \"", c.scheme, "\""));
  }

  if (c.scrape_interval_ms == 0) c.scrape_interval_ms = global.scrape_interval_ms;
  if (c.scrape_timeout_ms > c.scrape_interval_ms) {
    return doc.Error(node, absl::StrCat("scrape timeout greater than scrape interval for scrape "
                                        "config with job name \"",
                                        c.job_name, "\""));
  }
  if (c.scrape_timeout_ms == 0) {
    c.scrape_timeout_ms = std::min(global.scrape_timeout_ms, c.scrape_interval_ms);
  }
  return c;
}

}  // namespace argus::config
