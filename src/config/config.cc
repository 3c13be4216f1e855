#include "config/config.h"

#include <filesystem>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/status.h"
#include "base/yaml.h"
#include "config/internal/fields.h"

namespace argus::config {
namespace {

using internal::JoinDir;

// Prometheus's rule file pattern: a '*' glob is allowed only in the last path element.
bool ValidRuleFilePath(absl::string_view path) {
  size_t star = path.find('*');
  return star == absl::string_view::npos || path.find('/', star) == absl::string_view::npos;
}

absl::StatusOr<StorageConfig> ParseStorageConfig(const YamlDoc& doc, const YAML::Node& node) {
  RETURN_IF_ERROR(internal::CheckFields(doc, node, {"tsdb", "exemplars"}, "config.StorageConfig"));
  StorageConfig s;
  const YAML::Node tsdb = internal::Child(node, "tsdb");
  RETURN_IF_ERROR(internal::CheckFields(doc, tsdb, {"out_of_order_time_window"}, "config.plain"));
  RETURN_IF_ERROR(internal::ReadDuration(doc, tsdb, "out_of_order_time_window",
                                         &s.out_of_order_time_window_ms));
  const YAML::Node exemplars = internal::Child(node, "exemplars");
  RETURN_IF_ERROR(
      internal::CheckFields(doc, exemplars, {"max_exemplars"}, "config.ExemplarsConfig"));
  RETURN_IF_ERROR(doc.Read(exemplars, "max_exemplars", &s.max_exemplars));
  return s;
}

absl::StatusOr<TracingConfig> ParseTracingConfig(const YamlDoc& doc, const YAML::Node& node) {
  RETURN_IF_ERROR(internal::CheckFields(doc, node,
                                        {"client_type", "endpoint", "sampling_fraction", "insecure",
                                         "tls_config", "headers", "compression", "timeout"},
                                        "config.plain"));
  TracingConfig t;
  RETURN_IF_ERROR(doc.Read(node, "client_type", &t.client_type));
  if (t.client_type != "http" && t.client_type != "grpc") {
    return doc.Error(internal::Child(node, "client_type"),
                     absl::StrCat("expected tracing client type to be to be http or grpc, but got ",
                                  t.client_type));
  }
  RETURN_IF_ERROR(doc.Read(node, "endpoint", &t.endpoint));
  RETURN_IF_ERROR(doc.Read(node, "sampling_fraction", &t.sampling_fraction));
  RETURN_IF_ERROR(doc.Read(node, "insecure", &t.insecure));
  ASSIGN_OR_RETURN(t.tls_config, ParseTLSConfig(doc, internal::Child(node, "tls_config")));
  RETURN_IF_ERROR(internal::ReadStringMap(doc, node, "headers", &t.headers));
  RETURN_IF_ERROR(doc.Read(node, "compression", &t.compression));
  RETURN_IF_ERROR(internal::ReadDuration(doc, node, "timeout", &t.timeout_ms));
  for (const auto& [name, value] : t.headers) {
    if (absl::AsciiStrToLower(name) == "authorization") {
      return doc.Error(internal::Child(node, "headers"),
                       "custom authorization header configuration is not yet supported");
    }
  }
  if (t.endpoint.empty()) return doc.Error(node, "tracing endpoint must be set");
  if (!t.compression.empty() && t.compression != "gzip") {
    return doc.Error(
        internal::Child(node, "compression"),
        absl::StrCat("invalid compression type ", t.compression, " provided, valid options: gzip"));
  }
  return t;
}

absl::Status ParseRuleFiles(const YamlDoc& doc, const YAML::Node& root, Config* c) {
  RETURN_IF_ERROR(doc.Read(root, "rule_files", &c->rule_files));
  for (const std::string& rf : c->rule_files) {
    if (!ValidRuleFilePath(rf)) {
      return doc.Error(internal::Child(root, "rule_files"),
                       absl::StrCat("invalid rule file path \"", rf, "\""));
    }
  }
  return absl::OkStatus();
}

absl::Status ParseScrapeConfigs(const YamlDoc& doc, const YAML::Node& root, Config* c) {
  ASSIGN_OR_RETURN(std::vector<YAML::Node> items, internal::ReadList(doc, root, "scrape_configs"));
  std::set<std::string> job_names;
  for (const YAML::Node& item : items) {
    if (item.IsNull()) return doc.Error(item, "empty or null scrape config section");
    ASSIGN_OR_RETURN(ScrapeConfig sc, ParseScrapeConfig(doc, item, c->global));
    if (!job_names.insert(sc.job_name).second) {
      return doc.Error(
          item, absl::StrCat("found multiple scrape configs with job name \"", sc.job_name, "\""));
    }
    c->scrape_configs.push_back(std::move(sc));
  }
  return absl::OkStatus();
}

// Parses the remote_write or remote_read list; names must be unique when set.
template <typename T, typename F>
absl::Status ParseRemote(const YamlDoc& doc, const YAML::Node& root, absl::string_view key,
                         absl::string_view what, F parse, std::vector<T>* out) {
  ASSIGN_OR_RETURN(std::vector<YAML::Node> items, internal::ReadList(doc, root, key));
  std::set<std::string> names;
  for (const YAML::Node& item : items) {
    if (item.IsNull()) {
      return doc.Error(item, absl::StrCat("empty or null ", what, " config section"));
    }
    ASSIGN_OR_RETURN(T rc, parse(doc, item));
    if (!rc.name.empty() && !names.insert(rc.name).second) {
      return doc.Error(
          item, absl::StrCat("found multiple ", what, " configs with job name \"", rc.name, "\""));
    }
    out->push_back(std::move(rc));
  }
  return absl::OkStatus();
}

// The whole document, paths as written.
absl::StatusOr<Config> ParseDoc(const YamlDoc& doc) {
  const YAML::Node& root = doc.root();
  RETURN_IF_ERROR(internal::CheckFields(doc, root,
                                        {"global", "alerting", "rule_files", "scrape_configs",
                                         "storage", "tracing", "remote_write", "remote_read"},
                                        "config.plain"));
  Config c;
  ASSIGN_OR_RETURN(c.global, ParseGlobalConfig(doc, internal::Child(root, "global")));
  ASSIGN_OR_RETURN(c.alerting, ParseAlertingConfig(doc, internal::Child(root, "alerting")));
  RETURN_IF_ERROR(ParseRuleFiles(doc, root, &c));
  RETURN_IF_ERROR(ParseScrapeConfigs(doc, root, &c));
  ASSIGN_OR_RETURN(c.storage, ParseStorageConfig(doc, internal::Child(root, "storage")));
  const YAML::Node tracing = internal::Child(root, "tracing");
  if (tracing.IsDefined() && !tracing.IsNull()) {
    ASSIGN_OR_RETURN(c.tracing, ParseTracingConfig(doc, tracing));
  }
  RETURN_IF_ERROR(ParseRemote(doc, root, "remote_write", "remote write", ParseRemoteWriteConfig,
                              &c.remote_write));
  RETURN_IF_ERROR(
      ParseRemote(doc, root, "remote_read", "remote read", ParseRemoteReadConfig, &c.remote_read));
  return c;
}

}  // namespace

void Config::SetDirectory(const std::string& dir) {
  global.query_log_file = JoinDir(dir, global.query_log_file);
  for (AlertmanagerConfig& am : alerting.alertmanagers) am.SetDirectory(dir);
  if (tracing) tracing->tls_config.SetDirectory(dir);
  for (std::string& rf : rule_files) rf = JoinDir(dir, rf);
  for (ScrapeConfig& sc : scrape_configs) sc.SetDirectory(dir);
  for (RemoteWriteConfig& rw : remote_write) rw.http_client.SetDirectory(dir);
  for (RemoteReadConfig& rr : remote_read) rr.http_client.SetDirectory(dir);
}

absl::StatusOr<Config> Parse(absl::string_view text, const std::string& source) {
  ASSIGN_OR_RETURN(YamlDoc doc, YamlDoc::Parse(text, source));
  return ParseDoc(doc);
}

absl::StatusOr<Config> LoadFile(const std::string& path) {
  ASSIGN_OR_RETURN(YamlDoc doc, YamlDoc::LoadFile(path));
  ASSIGN_OR_RETURN(Config c, ParseDoc(doc));
  c.SetDirectory(std::filesystem::path(path).parent_path().string());
  return c;
}

}  // namespace argus::config
