// The S3 section of a Thanos objstore configuration (`type: S3`, `config: {...}`), parsed as
// strictly as Thanos's yaml.UnmarshalStrict does, with its defaults and validation.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "base/yaml.h"
#include "yaml-cpp/yaml.h"

namespace argus::objstore::s3 {

struct TlsConfig {
  std::string ca_file;
  std::string cert_file;
  std::string key_file;
  std::string server_name;
  bool insecure_skip_verify = false;
};

// Durations in milliseconds, with Thanos's defaults.
struct HttpConfig {
  int64_t idle_conn_timeout_ms = 90'000;
  int64_t response_header_timeout_ms = 120'000;
  bool insecure_skip_verify = false;
  int64_t tls_handshake_timeout_ms = 10'000;
  int64_t expect_continue_timeout_ms = 1'000;
  int64_t max_idle_conns = 100;
  int64_t max_idle_conns_per_host = 100;
  int64_t max_conns_per_host = 0;
  bool disable_compression = false;
  TlsConfig tls_config;
};

enum class SseType { kNone, kS3, kKms, kC };

struct SseConfig {
  SseType type = SseType::kNone;
  std::string kms_key_id;
  std::map<std::string, std::string> kms_encryption_context;
  std::string encryption_key_file;  // SSE-C: path of a file holding the 32-byte key
};

enum class BucketLookup { kAuto, kVirtualHosted, kPath };

struct S3Config {
  std::string bucket;
  std::string endpoint;  // host[:port], no scheme
  std::string region;
  bool disable_dualstack = false;
  bool aws_sdk_auth = false;
  std::string access_key;
  std::string secret_key;
  std::string session_token;
  bool insecure = false;  // plain HTTP
  bool signature_version2 = false;
  std::map<std::string, std::string> put_user_metadata;
  std::string sts_endpoint;
  bool trace_enable = false;
  HttpConfig http_config;
  bool list_objects_v1 = false;  // list_objects_version: "v1"
  BucketLookup bucket_lookup_type = BucketLookup::kAuto;
  bool send_content_md5 = true;
  bool disable_multipart = false;
  uint64_t part_size = 64ull << 20;
  SseConfig sse_config;
  int64_t max_retries = 0;  // 0: the client's default
};

// Parses `config` (the mapping under the top-level `config:` key of `doc`; null or absent reads
// as empty). Errors: InvalidArgument "file:line:col: ..." for an unknown or repeated key, a
// wrongly typed value, a bad duration, bucket_lookup_type other than auto, virtual-hosted or
// path, list_objects_version other than "", "v1" or "v2"; and, as Thanos validates (some only
// when it makes its client), a missing bucket or endpoint, an endpoint with a scheme or a path,
// access_key without secret_key or the reverse, access_key together with aws_sdk_auth, an
// unknown sse_config.type, SSE-KMS without kms_key_id, SSE-C without encryption_key, a TLS
// cert_file without key_file or the reverse, part_size outside S3's 5 MiB to 5 GiB.
absl::StatusOr<S3Config> ParseConfig(const YamlDoc& doc, const YAML::Node& config);

}  // namespace argus::objstore::s3
