#include "objstore/providers/s3/config.h"

#include <initializer_list>
#include <optional>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status.h"
#include "base/units.h"

namespace argus::objstore::s3 {
namespace {

// S3's bounds on the size of a multipart upload's parts (but the last).
constexpr uint64_t kMinPartSize = 5ull << 20;
constexpr uint64_t kMaxPartSize = 5ull << 30;

// map[key], or a null node when `map` is not a mapping or lacks `key` (yaml-cpp's own lookup
// gives an invalid node there, which throws when used).
YAML::Node Child(const YAML::Node& map, absl::string_view key) {
  if (!map.IsDefined() || !map.IsMap()) return YAML::Node();
  const YAML::Node n = map[std::string(key)];
  return n.IsDefined() ? n : YAML::Node();
}

// YamlDoc::CheckKeys, and fails on a key given twice as Go's strict decoder does.
absl::Status CheckFields(const YamlDoc& doc, const YAML::Node& map,
                         std::initializer_list<absl::string_view> allowed,
                         absl::string_view type_name) {
  RETURN_IF_ERROR(doc.CheckKeys(map, allowed, type_name));
  if (!map.IsDefined() || !map.IsMap()) return absl::OkStatus();
  std::set<std::string> seen;
  for (const auto& kv : map) {
    if (!seen.insert(kv.first.Scalar()).second) {
      return doc.Error(
          kv.first, absl::StrCat("field ", kv.first.Scalar(), " already set in type ", type_name));
    }
  }
  return absl::OkStatus();
}

// map[key], a mapping of strings to strings, into *out when present. A null value is "".
absl::Status ReadStringMap(const YamlDoc& doc, const YAML::Node& map, absl::string_view key,
                           std::map<std::string, std::string>* out) {
  const YAML::Node node = Child(map, key);
  if (node.IsNull()) return absl::OkStatus();
  if (!node.IsMap()) return doc.Error(node, absl::StrCat("field ", key, ": expected a mapping"));
  for (const auto& kv : node) {
    if (!kv.first.IsScalar() || !(kv.second.IsScalar() || kv.second.IsNull())) {
      return doc.Error(kv.first, absl::StrCat("field ", key, ": keys and values must be strings"));
    }
    if (!out->emplace(kv.first.Scalar(), kv.second.IsNull() ? "" : kv.second.Scalar()).second) {
      return doc.Error(kv.first, absl::StrCat("field ", key, ": key \"", kv.first.Scalar(),
                                              "\" already set in map"));
    }
  }
  return absl::OkStatus();
}

// map[key], a Prometheus duration ("90s"), into *ms when present.
absl::Status ReadDuration(const YamlDoc& doc, const YAML::Node& map, absl::string_view key,
                          int64_t* ms) {
  ASSIGN_OR_RETURN(std::optional<std::string> text, doc.Get<std::string>(map, key));
  if (!text.has_value()) return absl::OkStatus();
  absl::StatusOr<int64_t> v = ParsePromDuration(*text);
  if (!v.ok())
    return doc.Error(Child(map, key), absl::StrCat("field ", key, ": ", v.status().message()));
  *ms = *v;
  return absl::OkStatus();
}

absl::Status ParseTls(const YamlDoc& doc, const YAML::Node& node, TlsConfig* tls) {
  RETURN_IF_ERROR(CheckFields(
      doc, node, {"ca_file", "cert_file", "key_file", "server_name", "insecure_skip_verify"},
      "exthttp.TLSConfig"));
  RETURN_IF_ERROR(doc.Read(node, "ca_file", &tls->ca_file));
  RETURN_IF_ERROR(doc.Read(node, "cert_file", &tls->cert_file));
  RETURN_IF_ERROR(doc.Read(node, "key_file", &tls->key_file));
  RETURN_IF_ERROR(doc.Read(node, "server_name", &tls->server_name));
  RETURN_IF_ERROR(doc.Read(node, "insecure_skip_verify", &tls->insecure_skip_verify));
  if (!tls->cert_file.empty() && tls->key_file.empty()) {
    return doc.Error(Child(node, "cert_file"),
                     absl::StrCat("tls_config: client cert file \"", tls->cert_file,
                                  "\" specified without client key file (key_file)"));
  }
  if (tls->cert_file.empty() && !tls->key_file.empty()) {
    return doc.Error(Child(node, "key_file"),
                     absl::StrCat("tls_config: client key file \"", tls->key_file,
                                  "\" specified without client cert file (cert_file)"));
  }
  return absl::OkStatus();
}

// exthttp.HTTPConfig. (Its Go-only `transport` field has no YAML key.)
absl::Status ParseHttp(const YamlDoc& doc, const YAML::Node& node, HttpConfig* h) {
  RETURN_IF_ERROR(CheckFields(
      doc, node,
      {"idle_conn_timeout", "response_header_timeout", "insecure_skip_verify",
       "tls_handshake_timeout", "expect_continue_timeout", "max_idle_conns",
       "max_idle_conns_per_host", "max_conns_per_host", "disable_compression", "tls_config"},
      "exthttp.HTTPConfig"));
  RETURN_IF_ERROR(ReadDuration(doc, node, "idle_conn_timeout", &h->idle_conn_timeout_ms));
  RETURN_IF_ERROR(
      ReadDuration(doc, node, "response_header_timeout", &h->response_header_timeout_ms));
  RETURN_IF_ERROR(ReadDuration(doc, node, "tls_handshake_timeout", &h->tls_handshake_timeout_ms));
  RETURN_IF_ERROR(
      ReadDuration(doc, node, "expect_continue_timeout", &h->expect_continue_timeout_ms));
  RETURN_IF_ERROR(doc.Read(node, "insecure_skip_verify", &h->insecure_skip_verify));
  RETURN_IF_ERROR(doc.Read(node, "max_idle_conns", &h->max_idle_conns));
  RETURN_IF_ERROR(doc.Read(node, "max_idle_conns_per_host", &h->max_idle_conns_per_host));
  RETURN_IF_ERROR(doc.Read(node, "max_conns_per_host", &h->max_conns_per_host));
  RETURN_IF_ERROR(doc.Read(node, "disable_compression", &h->disable_compression));
  return ParseTls(doc, Child(node, "tls_config"), &h->tls_config);
}

absl::Status ParseSse(const YamlDoc& doc, const YAML::Node& node, SseConfig* sse) {
  RETURN_IF_ERROR(CheckFields(doc, node,
                              {"type", "kms_key_id", "kms_encryption_context", "encryption_key"},
                              "s3.SSEConfig"));
  std::string type;
  RETURN_IF_ERROR(doc.Read(node, "type", &type));
  RETURN_IF_ERROR(doc.Read(node, "kms_key_id", &sse->kms_key_id));
  RETURN_IF_ERROR(ReadStringMap(doc, node, "kms_encryption_context", &sse->kms_encryption_context));
  RETURN_IF_ERROR(doc.Read(node, "encryption_key", &sse->encryption_key_file));
  if (type.empty()) {
    sse->type = SseType::kNone;
  } else if (type == "SSE-S3") {
    sse->type = SseType::kS3;
  } else if (type == "SSE-KMS") {
    sse->type = SseType::kKms;
    if (sse->kms_key_id.empty()) {
      return doc.Error(Child(node, "type"),
                       "kms_key_id must be set if sse_config.type is set to 'SSE-KMS'");
    }
  } else if (type == "SSE-C") {
    sse->type = SseType::kC;
    if (sse->encryption_key_file.empty()) {
      return doc.Error(Child(node, "type"),
                       "encryption_key must be set if sse_config.type is set to 'SSE-C'");
    }
  } else {
    return doc.Error(Child(node, "type"),
                     absl::StrCat("Unsupported sse_config.type \"", type,
                                  "\" was provided. Supported types are SSE-S3, SSE-KMS, SSE-C"));
  }
  return absl::OkStatus();
}

absl::Status ParseEnums(const YamlDoc& doc, const YAML::Node& node, S3Config* c) {
  std::string version, lookup;
  RETURN_IF_ERROR(doc.Read(node, "list_objects_version", &version));
  if (!version.empty() && version != "v1" && version != "v2") {
    return doc.Error(Child(node, "list_objects_version"),
                     absl::StrCat("Unsupported list_objects_version \"", version,
                                  "\" was provided. Supported values are v1, v2"));
  }
  c->list_objects_v1 = version == "v1";
  RETURN_IF_ERROR(doc.Read(node, "bucket_lookup_type", &lookup));
  if (lookup == "virtual-hosted") {
    c->bucket_lookup_type = BucketLookup::kVirtualHosted;
  } else if (lookup == "path") {
    c->bucket_lookup_type = BucketLookup::kPath;
  } else if (!lookup.empty() && lookup != "auto") {
    return doc.Error(Child(node, "bucket_lookup_type"),
                     absl::StrCat("unsupported bucket_lookup_type \"", lookup,
                                  "\"; supported values are auto, virtual-hosted, path"));
  }
  return absl::OkStatus();
}

// Thanos's s3.validate, and the endpoint and part size checks minio-go makes later.
absl::Status Validate(const YamlDoc& doc, const YAML::Node& node, const S3Config& c) {
  if (c.bucket.empty()) return doc.Error(node, "missing bucket: no s3 bucket in config file");
  if (c.endpoint.empty()) return doc.Error(node, "missing endpoint: no s3 endpoint in config file");
  if (absl::StrContains(c.endpoint, "://")) {
    return doc.Error(Child(node, "endpoint"),
                     absl::StrCat("field endpoint: \"", c.endpoint,
                                  "\" must be host[:port] without a scheme (insecure: true "
                                  "selects plain HTTP)"));
  }
  if (absl::StrContains(c.endpoint, '/')) {
    return doc.Error(
        Child(node, "endpoint"),
        absl::StrCat("field endpoint: \"", c.endpoint, "\" must be host[:port] without a path"));
  }
  if (c.aws_sdk_auth && !c.access_key.empty()) {
    return doc.Error(Child(node, "aws_sdk_auth"),
                     "aws_sdk_auth and access_key are mutually exclusive configurations");
  }
  if (c.access_key.empty() && !c.secret_key.empty()) {
    return doc.Error(Child(node, "secret_key"),
                     "no s3 access_key specified while secret_key is present in config file; "
                     "either both should be present in config or envvars/IAM should be used.");
  }
  if (!c.access_key.empty() && c.secret_key.empty()) {
    return doc.Error(Child(node, "access_key"),
                     "no s3 secret_key specified while access_key is present in config file; "
                     "either both should be present in config or envvars/IAM should be used.");
  }
  if (c.part_size < kMinPartSize || c.part_size > kMaxPartSize) {
    return doc.Error(Child(node, "part_size"),
                     absl::StrCat("field part_size: ", c.part_size, " is not between 5 MiB (",
                                  kMinPartSize, ") and 5 GiB (", kMaxPartSize, ")"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<S3Config> ParseConfig(const YamlDoc& doc, const YAML::Node& node) {
  RETURN_IF_ERROR(CheckFields(doc, node,
                              {"bucket",
                               "endpoint",
                               "region",
                               "disable_dualstack",
                               "aws_sdk_auth",
                               "access_key",
                               "secret_key",
                               "session_token",
                               "insecure",
                               "signature_version2",
                               "put_user_metadata",
                               "sts_endpoint",
                               "trace",
                               "http_config",
                               "list_objects_version",
                               "bucket_lookup_type",
                               "send_content_md5",
                               "disable_multipart",
                               "part_size",
                               "sse_config",
                               "max_retries"},
                              "s3.Config"));
  S3Config c;
  for (auto [key, out] : {std::pair<const char*, std::string*>{"bucket", &c.bucket},
                          {"endpoint", &c.endpoint},
                          {"region", &c.region},
                          {"access_key", &c.access_key},
                          {"secret_key", &c.secret_key},
                          {"session_token", &c.session_token},
                          {"sts_endpoint", &c.sts_endpoint}}) {
    RETURN_IF_ERROR(doc.Read(node, key, out));
  }
  for (auto [key, out] : {std::pair<const char*, bool*>{"disable_dualstack", &c.disable_dualstack},
                          {"aws_sdk_auth", &c.aws_sdk_auth},
                          {"insecure", &c.insecure},
                          {"signature_version2", &c.signature_version2},
                          {"send_content_md5", &c.send_content_md5},
                          {"disable_multipart", &c.disable_multipart}}) {
    RETURN_IF_ERROR(doc.Read(node, key, out));
  }
  RETURN_IF_ERROR(ReadStringMap(doc, node, "put_user_metadata", &c.put_user_metadata));
  RETURN_IF_ERROR(doc.Read(node, "part_size", &c.part_size));
  RETURN_IF_ERROR(doc.Read(node, "max_retries", &c.max_retries));
  const YAML::Node trace = Child(node, "trace");
  RETURN_IF_ERROR(CheckFields(doc, trace, {"enable"}, "s3.TraceConfig"));
  RETURN_IF_ERROR(doc.Read(trace, "enable", &c.trace_enable));
  RETURN_IF_ERROR(ParseHttp(doc, Child(node, "http_config"), &c.http_config));
  RETURN_IF_ERROR(ParseSse(doc, Child(node, "sse_config"), &c.sse_config));
  RETURN_IF_ERROR(ParseEnums(doc, node, &c));
  RETURN_IF_ERROR(Validate(doc, node, c));
  return c;
}

}  // namespace argus::objstore::s3
