#include "config/remote.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/status.h"
#include "config/internal/fields.h"

namespace argus::config {
namespace {

// Headers Prometheus sets itself; "authorization" is checked on its own.
constexpr absl::string_view kReservedHeaders[] = {
    "host",
    "content-encoding",
    "content-length",
    "content-type",
    "user-agent",
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "www-authenticate",
    "accept-encoding",
    "x-prometheus-remote-write-version",
    "x-prometheus-remote-read-version",
    "x-amz-date",
    "x-amz-security-token",
    "x-amz-content-sha256",
};

absl::Status CheckHeaders(const YamlDoc& doc, const YAML::Node& node,
                          const std::map<std::string, std::string>& headers) {
  for (const auto& [name, value] : headers) {
    const std::string lower = absl::AsciiStrToLower(name);
    if (lower == "authorization") {
      return doc.Error(internal::Child(node, "headers"),
                       "authorization header must be changed via the basic_auth, authorization, "
                       "oauth2, or sigv4 parameter");
    }
    for (absl::string_view r : kReservedHeaders) {
      if (lower == r) {
        return doc.Error(internal::Child(node, "headers"),
                         absl::StrCat(name, " is a reserved header. It must not be changed"));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<QueueConfig> ParseQueueConfig(const YamlDoc& doc, const YAML::Node& node) {
  RETURN_IF_ERROR(internal::CheckFields(
      doc, node,
      {"capacity", "max_shards", "min_shards", "max_samples_per_send", "batch_send_deadline",
       "min_backoff", "max_backoff", "retry_on_http_429"},
      "config.QueueConfig"));
  QueueConfig q;
  RETURN_IF_ERROR(doc.Read(node, "capacity", &q.capacity));
  RETURN_IF_ERROR(doc.Read(node, "max_shards", &q.max_shards));
  RETURN_IF_ERROR(doc.Read(node, "min_shards", &q.min_shards));
  RETURN_IF_ERROR(doc.Read(node, "max_samples_per_send", &q.max_samples_per_send));
  RETURN_IF_ERROR(
      internal::ReadDuration(doc, node, "batch_send_deadline", &q.batch_send_deadline_ms));
  RETURN_IF_ERROR(internal::ReadDuration(doc, node, "min_backoff", &q.min_backoff_ms));
  RETURN_IF_ERROR(internal::ReadDuration(doc, node, "max_backoff", &q.max_backoff_ms));
  RETURN_IF_ERROR(doc.Read(node, "retry_on_http_429", &q.retry_on_http_429));
  return q;
}

absl::StatusOr<MetadataConfig> ParseMetadataConfig(const YamlDoc& doc, const YAML::Node& node) {
  RETURN_IF_ERROR(internal::CheckFields(
      doc, node, {"send", "send_interval", "max_samples_per_send"}, "config.MetadataConfig"));
  MetadataConfig m;
  RETURN_IF_ERROR(doc.Read(node, "send", &m.send));
  RETURN_IF_ERROR(internal::ReadDuration(doc, node, "send_interval", &m.send_interval_ms));
  RETURN_IF_ERROR(doc.Read(node, "max_samples_per_send", &m.max_samples_per_send));
  return m;
}

absl::StatusOr<SigV4Config> ParseSigV4Config(const YamlDoc& doc, const YAML::Node& node) {
  RETURN_IF_ERROR(internal::CheckFields(
      doc, node, {"region", "access_key", "secret_key", "profile", "role_arn"}, "sigv4.plain"));
  SigV4Config s;
  RETURN_IF_ERROR(doc.Read(node, "region", &s.region));
  RETURN_IF_ERROR(doc.Read(node, "access_key", &s.access_key));
  RETURN_IF_ERROR(doc.Read(node, "secret_key", &s.secret_key));
  RETURN_IF_ERROR(doc.Read(node, "profile", &s.profile));
  RETURN_IF_ERROR(doc.Read(node, "role_arn", &s.role_arn));
  if (s.access_key.empty() != s.secret_key.empty()) {
    return doc.Error(node,
                     "must provide a AWS SigV4 Access key and Secret Key if credentials "
                     "are specified in the SigV4 config");
  }
  return s;
}

// The url key: required (absent or null is an error; an empty string is not, as url.Parse("")
// succeeds in Go).
absl::Status ReadURL(const YamlDoc& doc, const YAML::Node& node, absl::string_view section,
                     std::string* url) {
  std::optional<std::string> u;
  ASSIGN_OR_RETURN(u, doc.Get<std::string>(node, "url"));
  if (!u.has_value()) return doc.Error(node, absl::StrCat("url for ", section, " is empty"));
  *url = std::move(*u);
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<RemoteWriteConfig> ParseRemoteWriteConfig(const YamlDoc& doc,
                                                         const YAML::Node& node) {
  RETURN_IF_ERROR(internal::CheckFields(
      doc, node,
      internal::Concat(
          {"url", "remote_timeout", "headers", "write_relabel_configs", "name", "send_exemplars",
           "send_native_histograms", "queue_config", "metadata_config", "sigv4"},
          HTTPClientKeys()),
      "config.plain"));
  RemoteWriteConfig c;
  RETURN_IF_ERROR(ReadURL(doc, node, "remote_write", &c.url));
  RETURN_IF_ERROR(internal::ReadDuration(doc, node, "remote_timeout", &c.remote_timeout_ms));
  RETURN_IF_ERROR(internal::ReadStringMap(doc, node, "headers", &c.headers));
  RETURN_IF_ERROR(doc.Read(node, "name", &c.name));
  RETURN_IF_ERROR(doc.Read(node, "send_exemplars", &c.send_exemplars));
  RETURN_IF_ERROR(doc.Read(node, "send_native_histograms", &c.send_native_histograms));
  ASSIGN_OR_RETURN(c.queue_config, ParseQueueConfig(doc, internal::Child(node, "queue_config")));
  ASSIGN_OR_RETURN(c.metadata_config,
                   ParseMetadataConfig(doc, internal::Child(node, "metadata_config")));
  const YAML::Node sigv4 = internal::Child(node, "sigv4");
  if (sigv4.IsDefined() && !sigv4.IsNull()) {
    ASSIGN_OR_RETURN(c.sigv4, ParseSigV4Config(doc, sigv4));
  }
  ASSIGN_OR_RETURN(c.write_relabel_configs,
                   relabel::ParseConfigs(doc, internal::Child(node, "write_relabel_configs"),
                                         "relabeling rule in remote write config"));
  RETURN_IF_ERROR(CheckHeaders(doc, node, c.headers));
  ASSIGN_OR_RETURN(c.http_client, ParseHTTPClientConfig(doc, node));
  const HTTPClientConfig& h = c.http_client;
  if ((h.basic_auth || h.authorization || h.oauth2) && c.sigv4) {
    return doc.Error(
        node, "at most one of basic_auth, authorization, oauth2, & sigv4 must be configured");
  }
  return c;
}

absl::StatusOr<RemoteReadConfig> ParseRemoteReadConfig(const YamlDoc& doc, const YAML::Node& node) {
  RETURN_IF_ERROR(internal::CheckFields(
      doc, node,
      internal::Concat({"url", "remote_timeout", "headers", "read_recent", "name",
                        "required_matchers", "filter_external_labels"},
                       HTTPClientKeys()),
      "config.plain"));
  RemoteReadConfig c;
  RETURN_IF_ERROR(ReadURL(doc, node, "remote_read", &c.url));
  RETURN_IF_ERROR(internal::ReadDuration(doc, node, "remote_timeout", &c.remote_timeout_ms));
  RETURN_IF_ERROR(internal::ReadStringMap(doc, node, "headers", &c.headers));
  RETURN_IF_ERROR(doc.Read(node, "read_recent", &c.read_recent));
  RETURN_IF_ERROR(doc.Read(node, "name", &c.name));
  ASSIGN_OR_RETURN(c.required_matchers, internal::ReadLabelSet(doc, node, "required_matchers"));
  RETURN_IF_ERROR(doc.Read(node, "filter_external_labels", &c.filter_external_labels));
  RETURN_IF_ERROR(CheckHeaders(doc, node, c.headers));
  ASSIGN_OR_RETURN(c.http_client, ParseHTTPClientConfig(doc, node));
  return c;
}

}  // namespace argus::config
