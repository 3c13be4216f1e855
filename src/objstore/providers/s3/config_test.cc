#include "objstore/providers/s3/config.h"

#include <string>
#include <utility>

#include "gtest/gtest.h"

namespace argus::objstore::s3 {
namespace {

// Parses `yaml` as the whole S3 `config:` mapping.
absl::StatusOr<S3Config> Parse(const std::string& yaml) {
  absl::StatusOr<YamlDoc> doc = YamlDoc::Parse(yaml, "bucket.yml");
  if (!doc.ok()) return doc.status();
  return ParseConfig(*doc, doc->root());
}

// Parses a whole objstore file: `type: S3` and the mapping under `config:`.
absl::StatusOr<S3Config> ParseObjstoreFile(const std::string& yaml) {
  absl::StatusOr<YamlDoc> doc = YamlDoc::Parse(yaml, "bucket.yml");
  if (!doc.ok()) return doc.status();
  return ParseConfig(*doc, doc->root()["config"]);
}

TEST(S3ConfigTest, EveryKey) {
  absl::StatusOr<S3Config> c = Parse(R"(
bucket: thanos
endpoint: s3.eu-west-1.amazonaws.com
region: eu-west-1
disable_dualstack: true
aws_sdk_auth: false
access_key: AKIAIOSFODNN7EXAMPLE
secret_key: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
session_token: FwoGZXIvYXdzEBY
insecure: true
signature_version2: true
put_user_metadata:
  X-Amz-Storage-Class: STANDARD_IA
  team: obs
sts_endpoint: https://sts.eu-west-1.amazonaws.com
trace:
  enable: true
http_config:
  idle_conn_timeout: 1m30s
  response_header_timeout: 30s
  insecure_skip_verify: true
  tls_handshake_timeout: 5s
  expect_continue_timeout: 500ms
  max_idle_conns: 10
  max_idle_conns_per_host: 5
  max_conns_per_host: 7
  disable_compression: true
  tls_config:
    ca_file: /etc/ca.pem
    cert_file: /etc/client.pem
    key_file: /etc/client.key
    server_name: s3.internal
    insecure_skip_verify: true
list_objects_version: v1
bucket_lookup_type: virtual-hosted
send_content_md5: false
disable_multipart: true
part_size: 134217728
sse_config:
  type: SSE-KMS
  kms_key_id: arn:aws:kms:eu-west-1:123456789012:key/abcd
  kms_encryption_context: {purpose: blocks, env: prod}
  encryption_key: /unused
max_retries: 3
)");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->bucket, "thanos");
  EXPECT_EQ(c->endpoint, "s3.eu-west-1.amazonaws.com");
  EXPECT_EQ(c->region, "eu-west-1");
  EXPECT_TRUE(c->disable_dualstack);
  EXPECT_FALSE(c->aws_sdk_auth);
  EXPECT_EQ(c->access_key, "AKIAIOSFODNN7EXAMPLE");
  EXPECT_EQ(c->secret_key, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
  EXPECT_EQ(c->session_token, "FwoGZXIvYXdzEBY");
  EXPECT_TRUE(c->insecure);
  EXPECT_TRUE(c->signature_version2);
  EXPECT_EQ(c->put_user_metadata, (std::map<std::string, std::string>{
                                      {"X-Amz-Storage-Class", "STANDARD_IA"}, {"team", "obs"}}));
  EXPECT_EQ(c->sts_endpoint, "https://sts.eu-west-1.amazonaws.com");
  EXPECT_TRUE(c->trace_enable);
  const HttpConfig& h = c->http_config;
  EXPECT_EQ(h.idle_conn_timeout_ms, 90'000);
  EXPECT_EQ(h.response_header_timeout_ms, 30'000);
  EXPECT_TRUE(h.insecure_skip_verify);
  EXPECT_EQ(h.tls_handshake_timeout_ms, 5'000);
  EXPECT_EQ(h.expect_continue_timeout_ms, 500);
  EXPECT_EQ(h.max_idle_conns, 10);
  EXPECT_EQ(h.max_idle_conns_per_host, 5);
  EXPECT_EQ(h.max_conns_per_host, 7);
  EXPECT_TRUE(h.disable_compression);
  EXPECT_EQ(h.tls_config.ca_file, "/etc/ca.pem");
  EXPECT_EQ(h.tls_config.cert_file, "/etc/client.pem");
  EXPECT_EQ(h.tls_config.key_file, "/etc/client.key");
  EXPECT_EQ(h.tls_config.server_name, "s3.internal");
  EXPECT_TRUE(h.tls_config.insecure_skip_verify);
  EXPECT_TRUE(c->list_objects_v1);
  EXPECT_EQ(c->bucket_lookup_type, BucketLookup::kVirtualHosted);
  EXPECT_FALSE(c->send_content_md5);
  EXPECT_TRUE(c->disable_multipart);
  EXPECT_EQ(c->part_size, 128u << 20);
  EXPECT_EQ(c->sse_config.type, SseType::kKms);
  EXPECT_EQ(c->sse_config.kms_key_id, "arn:aws:kms:eu-west-1:123456789012:key/abcd");
  EXPECT_EQ(c->sse_config.kms_encryption_context,
            (std::map<std::string, std::string>{{"env", "prod"}, {"purpose", "blocks"}}));
  EXPECT_EQ(c->sse_config.encryption_key_file, "/unused");
  EXPECT_EQ(c->max_retries, 3);
}

TEST(S3ConfigTest, Defaults) {
  absl::StatusOr<S3Config> c = Parse("bucket: b\nendpoint: minio:9000\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->region, "");
  EXPECT_FALSE(c->aws_sdk_auth);
  EXPECT_FALSE(c->insecure);
  EXPECT_FALSE(c->signature_version2);
  EXPECT_TRUE(c->put_user_metadata.empty());
  EXPECT_FALSE(c->trace_enable);
  const HttpConfig& h = c->http_config;
  EXPECT_EQ(h.idle_conn_timeout_ms, 90'000);
  EXPECT_EQ(h.response_header_timeout_ms, 120'000);
  EXPECT_EQ(h.tls_handshake_timeout_ms, 10'000);
  EXPECT_EQ(h.expect_continue_timeout_ms, 1'000);
  EXPECT_EQ(h.max_idle_conns, 100);
  EXPECT_EQ(h.max_idle_conns_per_host, 100);
  EXPECT_EQ(h.max_conns_per_host, 0);
  EXPECT_FALSE(h.insecure_skip_verify);
  EXPECT_FALSE(h.disable_compression);
  EXPECT_EQ(h.tls_config.ca_file, "");
  EXPECT_FALSE(c->list_objects_v1);
  EXPECT_EQ(c->bucket_lookup_type, BucketLookup::kAuto);
  EXPECT_TRUE(c->send_content_md5);
  EXPECT_FALSE(c->disable_multipart);
  EXPECT_EQ(c->part_size, 64u << 20);
  EXPECT_EQ(c->sse_config.type, SseType::kNone);
  EXPECT_EQ(c->max_retries, 0);
}

TEST(S3ConfigTest, EmptySectionsAndOtherAcceptedValues) {
  absl::StatusOr<S3Config> c = Parse(R"(
bucket: b
endpoint: "[::1]:9000"
trace:
http_config: {}
put_user_metadata: {empty: }
sse_config: {type: SSE-C, encryption_key: /etc/sse-c.key}
list_objects_version: v2
bucket_lookup_type: auto
part_size: 5242880
)");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->endpoint, "[::1]:9000");
  EXPECT_EQ(c->put_user_metadata.at("empty"), "");
  EXPECT_EQ(c->sse_config.type, SseType::kC);
  EXPECT_EQ(c->sse_config.encryption_key_file, "/etc/sse-c.key");
  EXPECT_FALSE(c->list_objects_v1);
  EXPECT_EQ(c->bucket_lookup_type, BucketLookup::kAuto);

  c = Parse("bucket: b\nendpoint: e\nsse_config: {type: SSE-S3}\nbucket_lookup_type: path\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->sse_config.type, SseType::kS3);
  EXPECT_EQ(c->bucket_lookup_type, BucketLookup::kPath);

  // Thanos ignores a session token without static keys (the credentials come from elsewhere).
  c = Parse("bucket: b\nendpoint: e\naws_sdk_auth: true\nsession_token: t\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->aws_sdk_auth);
}

TEST(S3ConfigTest, ObjstoreFileErrorsNameFileLineAndColumn) {
  absl::StatusOr<S3Config> c =
      ParseObjstoreFile("type: S3\nconfig:\n  bucket: b\n  endpoint: e:1\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->endpoint, "e:1");

  c = ParseObjstoreFile("type: S3\nconfig:\n  bucket: b\n  endpoint: e:1\n  colour: blue\n");
  EXPECT_TRUE(absl::IsInvalidArgument(c.status()));
  EXPECT_EQ(c.status().message(), "bucket.yml:5:3: field colour not found in type s3.Config");

  c = ParseObjstoreFile("type: S3\nconfig:\n");
  EXPECT_TRUE(absl::IsInvalidArgument(c.status()));
  EXPECT_NE(c.status().message().find("missing bucket: no s3 bucket in config file"),
            std::string::npos)
      << c.status();
}

TEST(S3ConfigTest, BadConfigsNameTheProblem) {
  const std::string base = "bucket: b\nendpoint: e:1\n";
  const std::pair<std::string, std::string> cases[] = {
      // Strictness.
      {base + "colour: blue\n", "bucket.yml:3:1: field colour not found in type s3.Config"},
      {base + "bucket: c\n", "bucket.yml:3:1: field bucket already set in type s3.Config"},
      {base + "http_config: {idle: 1s}\n",
       "bucket.yml:3:15: field idle not found in type exthttp.HTTPConfig"},
      {base + "http_config: {transport: x}\n",
       "field transport not found in type exthttp.HTTPConfig"},
      {base + "http_config: {tls_config: {ca: x}}\n",
       "field ca not found in type exthttp.TLSConfig"},
      {base + "sse_config: {kms_key: x}\n", "field kms_key not found in type s3.SSEConfig"},
      {base + "trace: {enabled: true}\n", "field enabled not found in type s3.TraceConfig"},
      {base + "trace: true\n", "expected a mapping for s3.TraceConfig"},
      {"- bucket: b\n", "expected a mapping for s3.Config"},
      {base + "put_user_metadata: {a: 1, a: 2}\n", "key \"a\" already set in map"},
      {base + "put_user_metadata: [a]\n", "field put_user_metadata: expected a mapping"},
      {base + "put_user_metadata: {a: [b]}\n", "keys and values must be strings"},
      // Types.
      {base + "insecure: maybe\n", "bucket.yml:3:11: field insecure: cannot read \"maybe\""},
      {base + "max_retries: many\n", "field max_retries: cannot read \"many\""},
      {base + "part_size: -1\n", "field part_size: cannot read \"-1\""},
      {base + "region: [a, b]\n", "field region: cannot read"},
      {base + "http_config: {max_idle_conns: 1.5}\n", "field max_idle_conns: cannot read"},
      {base + "http_config: {idle_conn_timeout: 5x}\n",
       "field idle_conn_timeout: not a valid duration string: \"5x\""},
      {base + "http_config: {response_header_timeout: 90}\n",
       "field response_header_timeout: not a valid duration string"},
      {base + "bucket_lookup_type: dns\n",
       "bucket.yml:3:21: unsupported bucket_lookup_type \"dns\""},
      {base + "list_objects_version: v3\n",
       "Unsupported list_objects_version \"v3\" was provided. Supported values are v1, v2"},
      // SSE.
      {base + "sse_config: {type: SSE-KMS}\n",
       "kms_key_id must be set if sse_config.type is set to 'SSE-KMS'"},
      {base + "sse_config: {type: SSE-C, kms_key_id: k}\n",
       "encryption_key must be set if sse_config.type is set to 'SSE-C'"},
      {base + "sse_config: {type: AES256}\n", "Unsupported sse_config.type \"AES256\""},
      {base + "sse_config: {type: sse-s3}\n", "Unsupported sse_config.type \"sse-s3\""},
      // Credentials.
      {base + "access_key: a\n",
       "bucket.yml:3:13: no s3 secret_key specified while access_key is present"},
      {base + "secret_key: s\n", "no s3 access_key specified while secret_key is present"},
      {base + "access_key: a\nsecret_key: s\naws_sdk_auth: true\n",
       "aws_sdk_auth and access_key are mutually exclusive"},
      {base + "http_config: {tls_config: {cert_file: c.pem}}\n",
       "client cert file \"c.pem\" specified without client key file"},
      {base + "http_config: {tls_config: {key_file: c.key}}\n",
       "client key file \"c.key\" specified without client cert file"},
      // Required keys and their values.
      {"endpoint: e:1\n", "missing bucket"},
      {"bucket: \"\"\nendpoint: e:1\n", "missing bucket"},
      {"bucket: b\n", "missing endpoint: no s3 endpoint in config file"},
      {"bucket: b\nendpoint: http://minio:9000\n",
       "bucket.yml:2:11: field endpoint: \"http://minio:9000\" must be host[:port] without a "
       "scheme"},
      {"bucket: b\nendpoint: https://s3.amazonaws.com\n", "without a scheme"},
      {"bucket: b\nendpoint: minio:9000/b\n", "without a path"},
      {base + "part_size: 1000\n", "field part_size: 1000 is not between 5 MiB (5242880)"},
      {base + "part_size: 5368709121\n", "and 5 GiB (5368709120)"},
  };
  for (const auto& [yaml, want] : cases) {
    absl::StatusOr<S3Config> c = Parse(yaml);
    EXPECT_TRUE(absl::IsInvalidArgument(c.status())) << yaml << "\n" << c.status();
    EXPECT_NE(c.status().message().find(want), std::string::npos)
        << yaml << "\nwant: " << want << "\ngot:  " << c.status();
  }
}

}  // namespace
}  // namespace argus::objstore::s3
