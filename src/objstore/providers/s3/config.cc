#include "objstore/providers/s3/config.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status.h"
#include "base/units.h"

namespace argus::objstore::s3 {
namespace {

// map[key], or a null node when `map` is not a mapping or lacks `key` (yaml-cpp's own lookup
// gives an invalid node there, which throws when used).
YAML::Node Sub(const YAML::Node& map, absl::string_view key) {
  if (!map.IsDefined() || !map.IsMap()) return YAML::Node();
  const YAML::Node n = map[std::string(key)];
  return n.IsDefined() ? n : YAML::Node();
}

// map[key] as a mapping of strings, when present.
absl::Status ReadStringMap(const YamlDoc& doc, const YAML::Node& map, absl::string_view key,
                           std::map<std::string, std::string>* out) {
  const YAML::Node node = Sub(map, key);
  if (node.IsNull()) return absl::OkStatus();
  if (!node.IsMap()) return doc.Error(node, absl::StrCat("field ", key, ": expected a mapping"));
  for (const auto& kv : node) {
    if (!kv.second.IsScalar()) {
      return doc.Error(kv.second, absl::StrCat("field ", key, ": values must be strings"));
    }
    (*out)[kv.first.Scalar()] = kv.second.Scalar();
  }
  return absl::OkStatus();
}

// map[key], a Prometheus duration ("90s"), into *ms when present.
absl::Status ReadDuration(const YamlDoc& doc, const YAML::Node& map, absl::string_view key,
                          int64_t* ms) {
  ASSIGN_OR_RETURN(std::optional<std::string> text, doc.Get<std::string>(map, key));
  if (!text.has_value()) return absl::OkStatus();
  absl::StatusOr<int64_t> v = ParsePromDuration(*text);
  if (!v.ok()) {
    return doc.Error(Sub(map, key),
                     absl::StrCat("field ", key, ": not a valid duration string: \"", *text, "\""));
  }
  *ms = *v;
  return absl::OkStatus();
}

absl::Status ParseTls(const YamlDoc& doc, const YAML::Node& node, TlsConfig* tls) {
  RETURN_IF_ERROR(doc.CheckKeys(
      node, {"ca_file", "cert_file", "key_file", "server_name", "insecure_skip_verify"},
      "exthttp.TLSConfig"));
  RETURN_IF_ERROR(doc.Read(node, "ca_file", &tls->ca_file));
  RETURN_IF_ERROR(doc.Read(node, "cert_file", &tls->cert_file));
  RETURN_IF_ERROR(doc.Read(node, "key_file", &tls->key_file));
  RETURN_IF_ERROR(doc.Read(node, "server_name", &tls->server_name));
  return doc.Read(node, "insecure_skip_verify", &tls->insecure_skip_verify);
}

absl::Status ParseHttp(const YamlDoc& doc, const YAML::Node& node, HttpConfig* h) {
  RETURN_IF_ERROR(
      doc.CheckKeys(node,
                    {"idle_conn_timeout", "response_header_timeout", "insecure_skip_verify",
                     "tls_handshake_timeout", "expect_continue_timeout", "max_idle_conns",
                     "max_idle_conns_per_host", "max_conns_per_host", "disable_compression",
                     "tls_config", "transport"},
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
  if (!Sub(node, "transport").IsNull()) {
    return doc.Error(Sub(node, "transport"),
                     "field transport: a custom transport is not supported");
  }
  return ParseTls(doc, Sub(node, "tls_config"), &h->tls_config);
}

absl::Status ParseSse(const YamlDoc& doc, const YAML::Node& node, SseConfig* sse) {
  RETURN_IF_ERROR(doc.CheckKeys(
      node, {"type", "kms_key_id", "kms_encryption_context", "encryption_key"}, "s3.SSEConfig"));
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
      return doc.Error(node, "sse_config: kms_key_id must be set when type is SSE-KMS");
    }
  } else if (type == "SSE-C") {
    sse->type = SseType::kC;
    if (sse->encryption_key_file.empty()) {
      return doc.Error(node, "sse_config: encryption_key must be set when type is SSE-C");
    }
  } else {
    return doc.Error(Sub(node, "type"), absl::StrCat("Unsupported sse_config.type: ", type,
                                                     " (SSE-S3, SSE-KMS or SSE-C)"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<S3Config> ParseConfig(const YamlDoc& doc, const YAML::Node& node) {
  RETURN_IF_ERROR(doc.CheckKeys(node,
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
  const YAML::Node trace = Sub(node, "trace");
  RETURN_IF_ERROR(doc.CheckKeys(trace, {"enable"}, "s3.TraceConfig"));
  RETURN_IF_ERROR(doc.Read(trace, "enable", &c.trace_enable));
  RETURN_IF_ERROR(ParseHttp(doc, Sub(node, "http_config"), &c.http_config));
  RETURN_IF_ERROR(ParseSse(doc, Sub(node, "sse_config"), &c.sse_config));

  std::string list_version, lookup;
  RETURN_IF_ERROR(doc.Read(node, "list_objects_version", &list_version));
  if (list_version == "v1") {
    c.list_objects_v1 = true;
  } else if (!list_version.empty() && list_version != "v2") {
    return doc.Error(
        Sub(node, "list_objects_version"),
        absl::StrCat("unsupported list_objects_version: ", list_version, " (\"v1\" or \"v2\")"));
  }
  RETURN_IF_ERROR(doc.Read(node, "bucket_lookup_type", &lookup));
  if (lookup == "virtual-hosted") {
    c.bucket_lookup_type = BucketLookup::kVirtualHosted;
  } else if (lookup == "path") {
    c.bucket_lookup_type = BucketLookup::kPath;
  } else if (!lookup.empty() && lookup != "auto") {
    return doc.Error(Sub(node, "bucket_lookup_type"),
                     absl::StrCat("unsupported bucket_lookup_type: ", lookup,
                                  " (auto, virtual-hosted or path)"));
  }

  // The checks of Thanos's s3.validate, worded to name the key.
  if (c.bucket.empty()) return doc.Error(node, "s3 config: missing bucket");
  if (c.endpoint.empty()) return doc.Error(node, "s3 config: no s3 endpoint in config file");
  if (absl::StrContains(c.endpoint, "://")) {
    return doc.Error(Sub(node, "endpoint"),
                     "s3 config: endpoint must be host[:port] without a scheme (use insecure: "
                     "true for plain HTTP)");
  }
  if (c.access_key.empty() && !c.secret_key.empty()) {
    return doc.Error(node,
                     "s3 config: no s3 access_key specified while secret_key is present "
                     "in config file; either both should be present in config or "
                     "envvars/IAM should be used.");
  }
  if (!c.access_key.empty() && c.secret_key.empty()) {
    return doc.Error(node,
                     "s3 config: no s3 secret_key specified while access_key is present "
                     "in config file; either both should be present in config or "
                     "envvars/IAM should be used.");
  }
  if (c.aws_sdk_auth && !c.access_key.empty()) {
    return doc.Error(node, "s3 config: aws_sdk_auth and access_key are mutually exclusive");
  }
  if (!c.session_token.empty() && c.access_key.empty()) {
    return doc.Error(node, "s3 config: session_token needs access_key and secret_key");
  }
  if (c.part_size < (5u << 20)) {
    return doc.Error(Sub(node, "part_size"),
                     "s3 config: part_size must be at least 5 MiB (5242880)");
  }
  return c;
}

}  // namespace argus::objstore::s3
