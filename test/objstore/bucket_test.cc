// The bucket acceptance suite: the same cases against the FILESYSTEM provider and against S3
// served by a real S3-compatible server (s3rver), signed with SigV4 and SigV2, listed with
// ListObjects V2 and V1, with and without a prefix; then S3 through a proxy that injects 5xx
// answers, stalls, resets and truncated bodies.
#include "objstore/bucket.h"

#include <algorithm>
#include <fstream>
#include <functional>
#include <random>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "metrics/registry.h"
#include "objstore/factory.h"
#include "util/process.h"
#include "util/s3_peer.h"

namespace argus::objstore {
namespace {

using ::argus::testing::FaultProxy;
using ::argus::testing::S3Peer;
using ::argus::testing::TestDir;

constexpr char kBucket[] = "argus-suite";

std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 gen(seed);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(gen());
  return out;
}

std::string S3Yaml(const std::string& endpoint, absl::string_view extra) {
  return absl::StrFormat(
      "type: s3\nconfig:\n  bucket: %s\n  endpoint: %s\n  insecure: true\n"
      "  access_key: %s\n  secret_key: %s\n  part_size: 5242880\n%s",
      kBucket, endpoint, ::argus::testing::kS3rverAccessKey, ::argus::testing::kS3rverSecretKey,
      extra);
}

// One way of reaching a bucket: a config text made from the running S3 server's endpoint.
struct Backend {
  std::string name;
  std::function<std::string(const std::string& s3_endpoint, const std::string& dir)> yaml;
  friend void PrintTo(const Backend& b, std::ostream* os) { *os << b.name; }
};

// s3rver, shared by every test of the binary.
S3Peer* Peer() {
  static std::unique_ptr<S3Peer> peer = S3Peer::Start(TestDir("s3rver"), kBucket);
  return peer.get();
}

std::unique_ptr<Bucket> Open(const std::string& yaml, BucketMetrics* metrics = nullptr,
                             const s3::ClientOptions& options = {}) {
  absl::StatusOr<BucketConfig> cfg = ParseBucketConfig(yaml, "test.yaml");
  EXPECT_TRUE(cfg.ok()) << cfg.status() << "\n" << yaml;
  if (!cfg.ok()) return nullptr;
  absl::StatusOr<std::unique_ptr<Bucket>> b = NewBucket(*cfg, metrics, options);
  EXPECT_TRUE(b.ok()) << b.status();
  return b.ok() ? *std::move(b) : nullptr;
}

class BucketSuite : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    ASSERT_NE(Peer(), nullptr);
    dir_ = TestDir("fs_bucket");
    bucket_ = Open(GetParam().yaml(Peer()->endpoint(), dir_), &metrics_);
    ASSERT_NE(bucket_, nullptr);
    // Each test owns a top-level "directory", so tests never see each other's objects.
    root_ = absl::StrCat(GetParam().name, "-",
                         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::replace(root_.begin(), root_.end(), '/', '-');
  }

  std::string Key(absl::string_view rel) const { return absl::StrCat(root_, "/", rel); }

  void Put(absl::string_view rel, absl::string_view data) {
    StringSource src(data);
    ASSERT_TRUE(bucket_->Upload(Key(rel), src).ok()) << rel;
  }

  std::vector<std::string> List(absl::string_view dir, bool recursive) {
    std::vector<std::string> out;
    absl::Status st = bucket_->Iter(dir, recursive, [&out](const std::string& n) {
      out.push_back(n);
      return absl::OkStatus();
    });
    EXPECT_TRUE(st.ok()) << st;
    return out;
  }

  absl::StatusOr<std::string> Range(absl::string_view rel, int64_t off, int64_t len) {
    std::string out;
    absl::Status st = bucket_->GetRange(Key(rel), off, len, [&out](absl::string_view p) {
      out.append(p.data(), p.size());
      return absl::OkStatus();
    });
    if (!st.ok()) return st;
    return out;
  }

  metrics::Registry registry_;
  BucketMetrics metrics_{registry_};
  std::string dir_;
  std::string root_;
  std::unique_ptr<Bucket> bucket_;
};

TEST_P(BucketSuite, SmallObjectRoundTrip) {
  const absl::Time before = absl::Now() - absl::Seconds(2);
  Put("a/small", "hello, bucket");
  EXPECT_EQ(*bucket_->Get(Key("a/small")), "hello, bucket");
  absl::StatusOr<ObjectAttributes> attrs = bucket_->Attributes(Key("a/small"));
  ASSERT_TRUE(attrs.ok()) << attrs.status();
  EXPECT_EQ(attrs->size, 13);
  EXPECT_GE(attrs->last_modified, before);
  EXPECT_LE(attrs->last_modified, absl::Now() + absl::Seconds(2));
  EXPECT_TRUE(*bucket_->Exists(Key("a/small")));
  Put("a/empty", "");
  EXPECT_EQ(*bucket_->Get(Key("a/empty")), "");
  Put("a/small", "replaced");
  EXPECT_EQ(*bucket_->Get(Key("a/small")), "replaced");
}

TEST_P(BucketSuite, MultipartObjectRoundTrip) {
  // Above the 5 MiB part size: three parts, the last one short.
  const std::string data = RandomBytes((11 << 20) + 17, 1);
  Put("big", data);
  EXPECT_EQ(bucket_->Attributes(Key("big"))->size, static_cast<int64_t>(data.size()));
  absl::StatusOr<std::string> got = bucket_->Get(Key("big"));
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(*got == data) << "multipart object differs";
  // A range across the first part boundary.
  EXPECT_TRUE(*Range("big", (5 << 20) - 100, 200) == data.substr((5 << 20) - 100, 200));
}

TEST_P(BucketSuite, RangedReadsAtEdges) {
  const std::string data = RandomBytes(1000, 2);
  Put("r", data);
  EXPECT_EQ(*Range("r", 0, 1), data.substr(0, 1));
  EXPECT_EQ(*Range("r", 0, -1), data);
  EXPECT_EQ(*Range("r", 0, 1000), data);
  EXPECT_EQ(*Range("r", 999, 1), data.substr(999));
  EXPECT_EQ(*Range("r", 999, 50), data.substr(999));  // cut at the end
  EXPECT_EQ(*Range("r", 500, -1), data.substr(500));
  EXPECT_EQ(*Range("r", 123, 456), data.substr(123, 456));
  EXPECT_EQ(*Range("r", 10, 0), "");
  EXPECT_EQ(*Range("r", 1000, 10), "");  // starts at the end
  EXPECT_TRUE(absl::IsNotFound(Range("missing", 0, 10).status()));
}

TEST_P(BucketSuite, ListingWithPrefixesAndDelimiters) {
  // (s3rver leaves out a common prefix that holds only deeper "directories", so each
  // "directory" here holds an object itself.)
  for (const char* k : {"dir/a", "dir/b/c", "dir/b/d", "dir/e/f", "dir/e/g/h", "dira", "z"}) {
    Put(k, k);
  }
  const std::vector<std::string> flat = {Key("dir/a"), Key("dir/b/"), Key("dir/e/")};
  EXPECT_EQ(List(Key("dir"), false), flat);
  EXPECT_EQ(List(Key("dir/"), false), flat);
  EXPECT_EQ(List(Key("dir"), true),
            (std::vector<std::string>{Key("dir/a"), Key("dir/b/c"), Key("dir/b/d"), Key("dir/e/f"),
                                      Key("dir/e/g/h")}));
  EXPECT_EQ(List(root_, false), (std::vector<std::string>{Key("dir/"), Key("dira"), Key("z")}));
  EXPECT_EQ(List(Key("dir/b"), false), (std::vector<std::string>{Key("dir/b/c"), Key("dir/b/d")}));
  EXPECT_TRUE(List(Key("nothing"), false).empty());
  EXPECT_TRUE(List(Key("nothing"), true).empty());
  const std::vector<std::string> top = List("", false);
  EXPECT_NE(std::find(top.begin(), top.end(), root_ + "/"), top.end());
}

TEST_P(BucketSuite, ListingPastOnePage) {
  // S3 answers at most 1000 keys a page: this needs the continuation (V2) or marker (V1).
  std::set<std::string> want;
  for (int i = 0; i < 1005; ++i) {
    const std::string rel = absl::StrFormat("many/%04d", i);
    Put(rel, "x");
    want.insert(Key(rel));
  }
  for (int i = 0; i < 3; ++i) Put(absl::StrCat("many/sub", i, "/x"), "y");
  std::vector<std::string> got = List(Key("many"), false);
  ASSERT_EQ(got.size(), 1008u);
  EXPECT_TRUE(std::is_sorted(got.begin(), got.end()));
  EXPECT_EQ(got.back(), Key("many/sub2/"));
  got = List(Key("many"), true);
  EXPECT_EQ(got.size(), 1008u);
  EXPECT_EQ(std::set<std::string>(got.begin(), got.begin() + 1005), want);
}

TEST_P(BucketSuite, DeleteAndNotFound) {
  Put("d/x/y", "gone soon");
  ASSERT_TRUE(bucket_->Delete(Key("d/x/y")).ok());
  EXPECT_FALSE(*bucket_->Exists(Key("d/x/y")));
  EXPECT_TRUE(absl::IsNotFound(bucket_->Get(Key("d/x/y")).status()));
  EXPECT_TRUE(absl::IsNotFound(bucket_->Attributes(Key("d/x/y")).status()));
  EXPECT_TRUE(List(Key("d"), false).empty());  // no empty "directory" left behind
  EXPECT_TRUE(bucket_->Delete(Key("d/never")).ok());
}

TEST_P(BucketSuite, KeysEscapingTheBucketAreRefused) {
  for (const char* bad : {"../x", "a/../../x", "./x", "a//b", ""}) {
    StringSource src("evil");
    EXPECT_TRUE(absl::IsInvalidArgument(bucket_->Upload(bad, src))) << bad;
    EXPECT_TRUE(absl::IsInvalidArgument(bucket_->Get(bad).status())) << bad;
  }
}

TEST_P(BucketSuite, KeysWithSpecialCharacters) {
  for (const char* k : {"sp ace", "plus+sign", "eq=ual&amp", "unicodé/ключ", "tilde~"}) {
    Put(k, k);
    EXPECT_EQ(*bucket_->Get(Key(k)), k) << k;
  }
  EXPECT_EQ(List(Key("unicodé"), false), std::vector<std::string>{Key("unicodé/ключ")});
}

TEST_P(BucketSuite, OperationsAreCountedAsThanosNamesThem) {
  Put("m", "1");
  EXPECT_FALSE(*bucket_->Exists(Key("m-missing")));
  const std::string text = registry_.ExpositionText();
  const std::string name = bucket_->Name();
  EXPECT_NE(text.find(absl::StrCat("objstore_bucket_operations_total{bucket=\"", name,
                                   "\",operation=\"upload\"} 1")),
            std::string::npos)
      << text;
  EXPECT_NE(text.find(absl::StrCat("objstore_bucket_operations_total{bucket=\"", name,
                                   "\",operation=\"exists\"} 1")),
            std::string::npos);
  // A missing object is an expected answer to exists, not a failure.
  EXPECT_EQ(text.find("objstore_bucket_operation_failures_total{"), std::string::npos) << text;
}

INSTANTIATE_TEST_SUITE_P(
    Providers, BucketSuite,
    ::testing::Values(Backend{"filesystem",
                              [](const std::string&, const std::string& dir) {
                                return absl::StrCat("type: FILESYSTEM\nconfig:\n  directory: ", dir,
                                                    "\n");
                              }},
                      Backend{"s3_v4", [](const std::string& ep,
                                          const std::string&) { return S3Yaml(ep, ""); }},
                      Backend{"s3_v2",
                              [](const std::string& ep, const std::string&) {
                                return S3Yaml(ep, "  signature_version2: true\n");
                              }},
                      Backend{"s3_list_v1",
                              [](const std::string& ep, const std::string&) {
                                return S3Yaml(ep, "  list_objects_version: v1\n");
                              }},
                      Backend{"s3_prefixed",
                              [](const std::string& ep, const std::string&) {
                                return S3Yaml(ep, "prefix: /tenant/a/\n");
                              }}),
    [](const ::testing::TestParamInfo<Backend>& info) { return info.param.name; });

// --- S3 behind a fault-injecting proxy.

s3::ClientOptions FastRetries() {
  s3::ClientOptions o;
  o.min_backoff = absl::Milliseconds(20);
  o.max_backoff = absl::Milliseconds(200);
  return o;
}

// Every third request fails in one of five ways; every operation still succeeds.
TEST(S3Faults, RetriesRideOutErrorsStallsAndTruncatedBodies) {
  ASSERT_NE(Peer(), nullptr);
  const std::string dir = TestDir("s3_faults");
  std::unique_ptr<FaultProxy> proxy =
      FaultProxy::Start(dir, Peer()->port(), 3, "500,slowdown,stall,reset,truncate", 3);
  ASSERT_NE(proxy, nullptr);
  std::unique_ptr<Bucket> b =
      Open(S3Yaml(proxy->endpoint(), "  http_config:\n    response_header_timeout: 1s\n"), nullptr,
           FastRetries());
  ASSERT_NE(b, nullptr);
  const std::string big = RandomBytes((12 << 20) + 5, 3);
  StringSource big_src(big);
  ASSERT_TRUE(b->Upload("faults/big", big_src).ok());
  for (int i = 0; i < 10; ++i) {
    const std::string data = RandomBytes(3000 + i, 10 + i);
    StringSource src(data);
    ASSERT_TRUE(b->Upload(absl::StrCat("faults/small/", i), src).ok()) << i;
    absl::StatusOr<std::string> got = b->Get(absl::StrCat("faults/small/", i));
    ASSERT_TRUE(got.ok()) << got.status();
    EXPECT_TRUE(*got == data) << i;
  }
  absl::StatusOr<std::string> got = b->Get("faults/big");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_TRUE(*got == big);
  std::vector<std::string> names;
  ASSERT_TRUE(b->Iter("faults/small", false, [&names](const std::string& n) {
                 names.push_back(n);
                 return absl::OkStatus();
               }).ok());
  EXPECT_EQ(names.size(), 10u);
  EXPECT_GE(proxy->faults_injected(), 10);
}

// When every request fails, an upload gives up with Unavailable and leaves no object behind.
TEST(S3Faults, UploadThatCannotCompleteLeavesNothing) {
  ASSERT_NE(Peer(), nullptr);
  const std::string dir = TestDir("s3_down");
  std::unique_ptr<FaultProxy> proxy = FaultProxy::Start(dir, Peer()->port(), 1, "500", 0);
  ASSERT_NE(proxy, nullptr);
  std::unique_ptr<Bucket> b =
      Open(S3Yaml(proxy->endpoint(), "  max_retries: 2\n"), nullptr, FastRetries());
  ASSERT_NE(b, nullptr);
  StringSource src("never stored");
  const absl::Status st = b->Upload("down/x", src);
  EXPECT_TRUE(absl::IsUnavailable(st)) << st;
  EXPECT_EQ(proxy->faults_injected(), 3);  // the first attempt and two retries
  std::unique_ptr<Bucket> direct = Open(S3Yaml(Peer()->endpoint(), ""));
  EXPECT_FALSE(*direct->Exists("down/x"));
}

// s3rver checks SigV2 signatures and V4 access key ids (not V4 signatures: those are checked
// against botocore in sign_test).
TEST(S3Errors, WrongCredentialsAreAccessDenied) {
  ASSERT_NE(Peer(), nullptr);
  for (const char* creds :
       {"  access_key: S3RVER\n  secret_key: wrong\n  signature_version2: true\n",
        "  access_key: NOBODY\n  secret_key: S3RVER\n"}) {
    std::unique_ptr<Bucket> b = Open(
        absl::StrFormat("type: S3\nconfig:\n  bucket: %s\n  endpoint: %s\n  insecure: true\n%s",
                        kBucket, Peer()->endpoint(), creds));
    ASSERT_NE(b, nullptr);
    StringSource src("x");
    const absl::Status st = b->Upload("denied", src);
    EXPECT_TRUE(absl::IsPermissionDenied(st)) << st;
  }
}

// HTTPS with the server's certificate given as ca_file, or with verification off; an
// unverifiable certificate is a permanent error, not retried.
TEST(S3Tls, CaFileAndInsecureSkipVerify) {
  std::unique_ptr<S3Peer> tls = S3Peer::Start(TestDir("s3rver_tls"), kBucket, /*tls=*/true);
  ASSERT_NE(tls, nullptr);
  const std::string base = absl::StrFormat(
      "type: S3\nconfig:\n  bucket: %s\n  endpoint: 127.0.0.1:%d\n  access_key: S3RVER\n"
      "  secret_key: S3RVER\n",
      kBucket, tls->port());
  for (const std::string& tls_config :
       {"  http_config:\n    tls_config:\n      ca_file: " + tls->ca_file() + "\n",
        std::string("  http_config:\n    insecure_skip_verify: true\n")}) {
    std::unique_ptr<Bucket> b = Open(base + tls_config);
    ASSERT_NE(b, nullptr);
    StringSource src("over tls");
    ASSERT_TRUE(b->Upload("tls/x", src).ok()) << tls_config;
    EXPECT_EQ(*b->Get("tls/x"), "over tls");
  }
  std::unique_ptr<Bucket> untrusted = Open(base);
  ASSERT_NE(untrusted, nullptr);
  StringSource src("x");
  const absl::Status st = untrusted->Upload("tls/y", src);
  EXPECT_TRUE(absl::IsFailedPrecondition(st)) << st;
}

// SSE-S3 headers are accepted; SSE-C needs a 32-byte key file.
TEST(S3Sse, HeadersAndKeyFile) {
  ASSERT_NE(Peer(), nullptr);
  std::unique_ptr<Bucket> b = Open(S3Yaml(Peer()->endpoint(), "  sse_config:\n    type: SSE-S3\n"));
  ASSERT_NE(b, nullptr);
  StringSource src("encrypted at rest");
  ASSERT_TRUE(b->Upload("sse/x", src).ok());
  EXPECT_EQ(*b->Get("sse/x"), "encrypted at rest");
  const std::string key = TestDir("sse") + "/short.key";
  std::ofstream(key) << "too short";
  absl::StatusOr<BucketConfig> cfg =
      ParseBucketConfig(S3Yaml(Peer()->endpoint(),
                               "  sse_config:\n    type: SSE-C\n    encryption_key: " + key + "\n"),
                        "sse.yaml");
  ASSERT_TRUE(cfg.ok()) << cfg.status();
  absl::StatusOr<std::unique_ptr<Bucket>> sse_c = NewBucket(*cfg, nullptr);
  EXPECT_TRUE(absl::IsInvalidArgument(sse_c.status())) << sse_c.status();
  EXPECT_NE(sse_c.status().message().find("32 bytes"), std::string::npos);
}

TEST(S3Errors, MissingBucketIsNotFound) {
  ASSERT_NE(Peer(), nullptr);
  std::unique_ptr<Bucket> b = Open(absl::StrFormat(
      "type: S3\nconfig:\n  bucket: no-such-bucket\n  endpoint: %s\n  insecure: true\n"
      "  access_key: S3RVER\n  secret_key: S3RVER\n",
      Peer()->endpoint()));
  ASSERT_NE(b, nullptr);
  EXPECT_TRUE(absl::IsNotFound(b->Get("x").status()));
}

}  // namespace
}  // namespace argus::objstore
