#include "objstore/providers/s3/config.h"

#include "gtest/gtest.h"

namespace argus::objstore::s3 {
namespace {

absl::StatusOr<S3Config> Parse(const std::string& yaml) {
  absl::StatusOr<YamlDoc> doc = YamlDoc::Parse(yaml, "bucket.yml");
  if (!doc.ok()) return doc.status();
  return ParseConfig(*doc, doc->root());
}

TEST(S3ConfigTest, EveryKeyThanosDocuments) {
  absl::StatusOr<S3Config> c = Parse(R"(
bucket: b
endpoint: s3.eu-west-1.amazonaws.com
region: eu-west-1
disable_dualstack: true
aws_sdk_auth: false
access_key: AK
secret_key: SK
session_token: ST
insecure: false
signature_version2: false
put_user_metadata: {team: obs}
sts_endpoint: sts.amazonaws.com
trace: {enable: true}
http_config:
  idle_conn_timeout: 1m
  response_header_timeout: 30s
  insecure_skip_verify: false
  tls_handshake_timeout: 5s
  expect_continue_timeout: 2s
  max_idle_conns: 10
  max_idle_conns_per_host: 5
  max_conns_per_host: 7
  disable_compression: true
  tls_config: {ca_file: /ca.pem, cert_file: /c.pem, key_file: /k.pem, server_name: s3, insecure_skip_verify: true}
list_objects_version: v1
bucket_lookup_type: path
send_content_md5: false
disable_multipart: true
part_size: 134217728
sse_config: {type: SSE-KMS, kms_key_id: key-1, kms_encryption_context: {a: b}}
max_retries: 3
)");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->bucket, "b");
  EXPECT_EQ(c->put_user_metadata.at("team"), "obs");
  EXPECT_TRUE(c->trace_enable);
  EXPECT_EQ(c->http_config.idle_conn_timeout_ms, 60000);
  EXPECT_EQ(c->http_config.response_header_timeout_ms, 30000);
  EXPECT_EQ(c->http_config.max_conns_per_host, 7);
  EXPECT_EQ(c->http_config.tls_config.ca_file, "/ca.pem");
  EXPECT_TRUE(c->http_config.tls_config.insecure_skip_verify);
  EXPECT_TRUE(c->list_objects_v1);
  EXPECT_EQ(c->bucket_lookup_type, BucketLookup::kPath);
  EXPECT_FALSE(c->send_content_md5);
  EXPECT_EQ(c->part_size, 128u << 20);
  EXPECT_EQ(c->sse_config.type, SseType::kKms);
  EXPECT_EQ(c->sse_config.kms_encryption_context.at("a"), "b");
  EXPECT_EQ(c->max_retries, 3);
}

TEST(S3ConfigTest, Defaults) {
  absl::StatusOr<S3Config> c = Parse("bucket: b\nendpoint: minio:9000\n");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_TRUE(c->send_content_md5);
  EXPECT_EQ(c->part_size, 64u << 20);
  EXPECT_EQ(c->http_config.idle_conn_timeout_ms, 90000);
  EXPECT_EQ(c->http_config.response_header_timeout_ms, 120000);
  EXPECT_EQ(c->bucket_lookup_type, BucketLookup::kAuto);
  EXPECT_EQ(c->sse_config.type, SseType::kNone);
}

TEST(S3ConfigTest, BadConfigsNameTheProblem) {
  const std::string base = "bucket: b\nendpoint: e:1\n";
  const std::pair<std::string, std::string> cases[] = {
      {base + "colour: blue\n", "bucket.yml:3:1: field colour not found in type s3.Config"},
      {base + "http_config: {idle: 1s}\n", "field idle not found in type exthttp.HTTPConfig"},
      {base + "sse_config: {type: SSE-KMS}\n", "kms_key_id must be set"},
      {base + "sse_config: {type: SSE-C}\n", "encryption_key must be set"},
      {base + "sse_config: {type: AES}\n", "Unsupported sse_config.type: AES"},
      {base + "access_key: a\n", "no s3 secret_key specified while access_key is present"},
      {base + "secret_key: s\n", "no s3 access_key specified while secret_key is present"},
      {base + "access_key: a\nsecret_key: s\naws_sdk_auth: true\n", "mutually exclusive"},
      {"endpoint: e:1\n", "missing bucket"},
      {"bucket: b\n", "no s3 endpoint"},
      {"bucket: b\nendpoint: http://e:1\n", "without a scheme"},
      {base + "http_config: {idle_conn_timeout: 5x}\n", "not a valid duration"},
      {base + "bucket_lookup_type: dns\n", "unsupported bucket_lookup_type: dns"},
      {base + "list_objects_version: v3\n", "unsupported list_objects_version: v3"},
      {base + "part_size: 1000\n", "part_size must be at least 5 MiB"},
      {base + "insecure: maybe\n", "insecure"},
  };
  for (const auto& [yaml, want] : cases) {
    absl::StatusOr<S3Config> c = Parse(yaml);
    EXPECT_TRUE(absl::IsInvalidArgument(c.status())) << yaml;
    EXPECT_NE(c.status().message().find(want), std::string::npos) << yaml << "\n" << c.status();
  }
}

}  // namespace
}  // namespace argus::objstore::s3
