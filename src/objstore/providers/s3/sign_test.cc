// SigV4 and SigV2 against AWS's published S3 examples, and against botocore (Debian's
// python3-botocore, run by testdata/botocore_sign.py) for the requests the client sends.
// (s3rver checks SigV2 signatures for real in the bucket suite; it does not check V4 ones.)
#include "objstore/providers/s3/sign.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "util/process.h"

namespace argus::objstore::s3 {
namespace {

const Credentials kAws = {"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", ""};
const absl::Time kAwsTime = absl::FromUnixSeconds(1369353600);  // 20130524T000000Z
const std::string kEmptySha = Sha256Hex("");

std::string Header(const HeaderList& h, absl::string_view name) {
  for (const auto& [k, v] : h) {
    if (k == name) return v;
  }
  return "";
}

std::string Signature(const HeaderList& h) {
  const std::string auth = Header(h, "Authorization");
  return auth.substr(auth.rfind('=') + 1);
}

// "Signature Calculations for the Authorization Header: Transferring Payload in a Single Chunk"
// in the S3 API reference.
TEST(SignV4Test, AwsPublishedExamples) {
  const SignRequest get{.method = "GET",
                        .host = "examplebucket.s3.amazonaws.com",
                        .path = "/test.txt",
                        .headers = {{"Range", "bytes=0-9"}},
                        .payload_sha256_hex = kEmptySha};
  const HeaderList h = SignV4(get, kAws, "us-east-1", kAwsTime);
  EXPECT_EQ(Header(h, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
            "aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature="
            "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  EXPECT_EQ(Header(h, "x-amz-date"), "20130524T000000Z");
  EXPECT_EQ(Header(h, "x-amz-content-sha256"), kEmptySha);
  EXPECT_EQ(Header(h, "x-amz-security-token"), "");
  EXPECT_EQ(SignV4(get, kAws, "", kAwsTime), h) << "no region means us-east-1";

  // The example signs its Date header too, which is why SignV4 signs `date`.
  const SignRequest put{.method = "PUT",
                        .host = "examplebucket.s3.amazonaws.com",
                        .path = "/" + UriEncode("test$file.text", true),
                        .headers = {{"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                                    {"x-amz-storage-class", "REDUCED_REDUNDANCY"}},
                        .payload_sha256_hex = Sha256Hex("Welcome to Amazon S3.")};
  EXPECT_EQ(put.path, "/test%24file.text");
  EXPECT_EQ(put.payload_sha256_hex,
            "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  EXPECT_EQ(Header(SignV4(put, kAws, "us-east-1", kAwsTime), "Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
            "aws4_request,SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;"
            "x-amz-storage-class,Signature="
            "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");

  const SignRequest lifecycle{.method = "GET",
                              .host = "examplebucket.s3.amazonaws.com",
                              .path = "/",
                              .query = {{"lifecycle", ""}},
                              .payload_sha256_hex = kEmptySha};
  EXPECT_EQ(Signature(SignV4(lifecycle, kAws, "us-east-1", kAwsTime)),
            "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");

  const SignRequest list{.method = "GET",
                         .host = "examplebucket.s3.amazonaws.com",
                         .path = "/",
                         .query = {{"prefix", "J"}, {"max-keys", "2"}},
                         .payload_sha256_hex = kEmptySha};
  EXPECT_EQ(Signature(SignV4(list, kAws, "us-east-1", kAwsTime)),
            "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

// "Authentication examples" in the S3 guide's "Signing and authenticating REST requests"
// (SigV2, path-style resources). Fetch and Upload are from the guide's editions that used bucket
// johnsmith; its Delete example is left out: its string to sign and signature disagree.
TEST(SignV2Test, AwsPublishedExamples) {
  auto auth = [](std::string method, std::string path, HeaderList query, HeaderList headers) {
    const SignRequest r{.method = std::move(method),
                        .path = std::move(path),
                        .query = std::move(query),
                        .headers = std::move(headers)};
    const HeaderList h = SignV2(r, kAws, kAwsTime);
    EXPECT_EQ(Header(h, "x-amz-date"), "") << "the request's Date is signed instead";
    return Header(h, "Authorization");
  };
  EXPECT_EQ(auth("GET", "/awsexamplebucket1/photos/puppy.jpg", {},
                 {{"Date", "Tue, 27 Mar 2007 19:36:42 +0000"}}),
            "AWS AKIAIOSFODNN7EXAMPLE:qgk2+6Sv9/oM7G3qLEjTH1a1l1g=");
  EXPECT_EQ(auth("PUT", "/awsexamplebucket1/photos/puppy.jpg", {},
                 {{"Content-Type", "image/jpeg"},
                  {"Content-Length", "94328"},
                  {"Date", "Tue, 27 Mar 2007 21:15:45 +0000"}}),
            "AWS AKIAIOSFODNN7EXAMPLE:iqRzw+ileNPu1fhspnRs8nOjjIA=");
  EXPECT_EQ(auth("GET", "/awsexamplebucket1/",
                 {{"prefix", "photos"}, {"max-keys", "50"}, {"marker", "puppy"}},
                 {{"User-Agent", "Mozilla/5.0"}, {"Date", "Tue, 27 Mar 2007 19:42:41 +0000"}}),
            "AWS AKIAIOSFODNN7EXAMPLE:m0WP8eCtspQl5Ahe6L1SozdX9YA=");
  EXPECT_EQ(
      auth("GET", "/johnsmith/", {{"acl", ""}}, {{"Date", "Tue, 27 Mar 2007 19:44:46 +0000"}}),
      "AWS AKIAIOSFODNN7EXAMPLE:c2WLPFtWHVgbEmeEG93a4cG37dM=");
  EXPECT_EQ(auth("PUT", "/static.johnsmith.net/db-backup.dat.gz", {},
                 {{"User-Agent", "curl/7.15.5"},
                  {"Date", "Tue, 27 Mar 2007 21:06:08 +0000"},
                  {"x-amz-acl", "public-read"},
                  {"content-type", "application/x-download"},
                  {"Content-MD5", "4gJE4saaMU4BqNR0kLY+lw=="},
                  {"X-Amz-Meta-ReviewedBy", "joe@johnsmith.net"},
                  {"X-Amz-Meta-ReviewedBy", "jane@johnsmith.net"},
                  {"X-Amz-Meta-FileChecksum", "0x02661779"},
                  {"X-Amz-Meta-ChecksumAlgorithm", "crc32"},
                  {"Content-Disposition", "attachment; filename=database.dat"},
                  {"Content-Encoding", "gzip"},
                  {"Content-Length", "5913339"}}),
            "AWS AKIAIOSFODNN7EXAMPLE:ilyl83RwaSoYIEdixDQcA4OnAnc=");
}

TEST(SignV2Test, SendsTheTimeAsXAmzDate) {
  const SignRequest r{.method = "GET", .path = "/b/k"};
  EXPECT_EQ(Header(SignV2(r, kAws, kAwsTime), "x-amz-date"), "Fri, 24 May 2013 00:00:00 GMT");
  EXPECT_EQ(Header(SignV2(r, {"a", "s", "TOKEN"}, kAwsTime), "x-amz-security-token"), "TOKEN");
}

TEST(SignTest, EncodingAndDigests) {
  EXPECT_EQ(UriEncode("a b/c+d=e~f_g.h-ü*", true), "a%20b/c%2Bd%3De~f_g.h-%C3%BC%2A");
  EXPECT_EQ(UriEncode("a/b", false), "a%2Fb");
  EXPECT_EQ(UriEncode("", false), "");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Md5Base64(""), "1B2M2Y8AsgTpgAmY7PhCfg==");
  EXPECT_EQ(Md5Base64("The quick brown fox jumps over the lazy dog"), "nhB9nTcrtoJr2B01QqQZ1g==");
}

// One request for the botocore comparison. Only headers both sides sign are given: botocore
// signs every header but user-agent, expect and x-amzn-trace-id, and swaps a Date header for its
// own time, so Date, User-Agent, Content-Length and the like are left out.
struct Case {
  int version = 4;
  bool https = false;  // V4 over TLS sends UNSIGNED-PAYLOAD, as the client does
  std::string method;
  std::string host = "127.0.0.1:9000";
  std::string key;  // bucket and key, unencoded
  HeaderList query;
  HeaderList headers;
  std::string body;
  std::string token;
  std::string region = "eu-west-1";
};

// The requests Argus's S3 client makes, with awkward keys, queries and header values.
std::vector<Case> Cases() {
  const HeaderList kms = {{"x-amz-server-side-encryption", "aws:kms"},
                          {"x-amz-server-side-encryption-aws-kms-key-id", "arn:aws:kms:key/1"}};
  return {
      {.method = "PUT",
       .key = "b/01ABC/chunks/000001",
       .headers = {{"Content-Type", "application/octet-stream"},
                   {"Content-MD5", Md5Base64("data")}},
       .body = "data"},
      {.https = true,
       .method = "GET",
       .host = "s3.eu-west-1.amazonaws.com",
       .key = "b/key with spaces+plus=eq~t",
       .headers = {{"Range", "bytes=10-99"}}},
      {.method = "GET",
       .key = "b",
       .query = {{"list-type", "2"},
                 {"prefix", "dir/sub dir/"},
                 {"delimiter", "/"},
                 {"continuation-token", "1/a+b=c==&x"}}},
      {.method = "POST",
       .key = "b/big",
       .query = {{"uploads", ""}},
       .headers = kms,
       .token = "SESSION/TOKEN+="},
      {.method = "PUT",
       .key = "b/big",
       .query = {{"partNumber", "3"}, {"uploadId", "u/1+2"}},
       .headers = {{"Content-MD5", Md5Base64("part")}},
       .body = "part"},
      {.https = true,
       .method = "HEAD",
       .host = "bucket.s3.amazonaws.com",
       .key = "ünï/cødé/日本",
       .token = "TOKEN"},
      {.method = "DELETE", .host = "localhost:4568", .key = "b/a/b/c/d.json", .region = ""},
      // A key that is a prefix of another sorts first (by key, not by the "k=v" text).
      {.method = "GET", .key = "b", .query = {{"a-b", "1"}, {"a", "2"}, {"a", "1"}}},
      {.https = true,
       .method = "PUT",
       .host = "b.s3.amazonaws.com:8443",
       .key = "k",
       .headers = {{"Content-Type", "  text/plain;  charset=utf-8 "},
                   {"x-amz-meta-note", "one"},
                   {"X-Amz-Meta-Note", "two   spaced"},
                   {"x-amz-server-side-encryption-customer-algorithm", "AES256"},
                   {"x-amz-server-side-encryption-customer-key-md5", Md5Base64("key")}},
       .body = "x"},
      {.version = 2,
       .method = "PUT",
       .key = "b/01ABC/meta.json",
       .headers = {{"Content-Type", "application/json"},
                   {"Content-MD5", Md5Base64("{}")},
                   {"x-amz-meta-team", " obs  team "}},
       .body = "{}"},
      {.version = 2,
       .method = "POST",
       .key = "b/big key+ü",
       .query = {{"uploadId", "abc"}},
       .headers = {{"Content-Type", "application/xml"}},
       .body = "<x/>",
       .token = "TOKEN"},
      {.version = 2, .method = "POST", .key = "b/big", .query = {{"uploads", ""}}, .headers = kms},
      {.version = 2, .method = "GET", .key = "b", .query = {{"prefix", "a/"}, {"marker", "a/b"}}},
      {.version = 2,
       .method = "PUT",
       .key = "b/big",
       .query = {{"uploadId", "u/1+2 x~"}, {"partNumber", "1"}},
       .body = "x"},
      {.version = 2,
       .method = "POST",
       .key = "b",
       .query = {{"delete", ""}},
       .headers = {{"Content-MD5", Md5Base64("<Delete/>")}},
       .body = "<Delete/>"},
  };
}

TEST(SignTest, SameAsBotocore) {
  const absl::Time now = absl::FromUnixSeconds(1764300000);
  const char* kSigned[] = {"Authorization", "x-amz-date", "x-amz-content-sha256",
                           "x-amz-security-token"};
  nlohmann::json requests = nlohmann::json::array();
  std::vector<HeaderList> ours;
  for (const Case& c : Cases()) {
    SignRequest r{.method = c.method,
                  .host = c.host,
                  .path = "/" + UriEncode(c.key, true),
                  .query = c.query,
                  .headers = c.headers};
    r.payload_sha256_hex = c.https ? "UNSIGNED-PAYLOAD" : Sha256Hex(c.body);
    const Credentials creds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", c.token};
    ours.push_back(c.version == 4 ? SignV4(r, creds, c.region, now) : SignV2(r, creds, now));
    // "uploads" without "=": botocore's SigV2 resource keeps the query text as written.
    std::string url = absl::StrCat(c.https ? "https://" : "http://", c.host, r.path);
    const char* sep = "?";
    for (const auto& [k, v] : c.query) {
      absl::StrAppend(&url, sep, UriEncode(k, false), v.empty() ? "" : "=", UriEncode(v, false));
      sep = "&";
    }
    requests.push_back({{"version", c.version},
                        {"method", c.method},
                        {"url", url},
                        {"headers", c.headers},
                        {"body", c.body},
                        {"access", creds.access_key},
                        {"secret", creds.secret_key},
                        {"token", c.token},
                        {"region", c.region.empty() ? "us-east-1" : c.region},
                        {"time", absl::ToUnixSeconds(now)}});
  }
  const testing::CommandResult r = testing::RunCommand(
      {"/usr/bin/python3", std::string(ARGUS_S3_TESTDATA) + "/botocore_sign.py"}, requests.dump());
  ASSERT_EQ(r.exit_code, 0) << "botocore_sign.py failed (is python3-botocore installed for "
                               "/usr/bin/python3? scripts/deps.sh installs it):\n"
                            << r.output;
  const nlohmann::json theirs = nlohmann::json::parse(r.output, nullptr, false);
  ASSERT_TRUE(theirs.is_array()) << r.output;
  ASSERT_EQ(theirs.size(), ours.size());
  for (size_t i = 0; i < ours.size(); ++i) {
    for (const char* name : kSigned) {
      EXPECT_EQ(Header(ours[i], name), theirs[i][name].get<std::string>())
          << name << " of request " << i << ": " << requests[i].dump();
    }
  }
}

}  // namespace
}  // namespace argus::objstore::s3
