// SigV4 against AWS's published S3 examples, and SigV4 and SigV2 against botocore (Debian's
// python3-botocore) for the requests the client sends. (s3rver checks SigV2 signatures for real
// in the bucket suite; it does not check V4 ones, which is why these tests exist.)
#include "objstore/providers/s3/sign.h"

#include "absl/strings/match.h"
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

// "Examples: Signature Calculations" in the S3 API reference (SigV4, single-chunk payloads).
TEST(SignV4Test, AwsPublishedExamples) {
  SignRequest get{"GET", "examplebucket.s3.amazonaws.com", "/test.txt",
                  {},    {{"Range", "bytes=0-9"}},         kEmptySha};
  HeaderList h = SignV4(get, kAws, "us-east-1", kAwsTime);
  EXPECT_EQ(Signature(h), "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  EXPECT_EQ(Header(h, "Authorization"),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/"
            "aws4_request,SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,Signature="
            "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  EXPECT_EQ(Header(h, "x-amz-date"), "20130524T000000Z");

  SignRequest put{
      "PUT",
      "examplebucket.s3.amazonaws.com",
      "/" + UriEncode("test$file.text", true),
      {},
      {{"Date", "Fri, 24 May 2013 00:00:00 GMT"}, {"x-amz-storage-class", "REDUCED_REDUNDANCY"}},
      Sha256Hex("Welcome to Amazon S3.")};
  EXPECT_EQ(put.payload_sha256_hex,
            "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  EXPECT_EQ(Signature(SignV4(put, kAws, "us-east-1", kAwsTime)),
            "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");

  SignRequest lifecycle{"GET",    "examplebucket.s3.amazonaws.com", "/", {{"lifecycle", ""}}, {},
                        kEmptySha};
  EXPECT_EQ(Signature(SignV4(lifecycle, kAws, "us-east-1", kAwsTime)),
            "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");

  SignRequest list{"GET", "examplebucket.s3.amazonaws.com",
                   "/",   {{"prefix", "J"}, {"max-keys", "2"}},
                   {},    kEmptySha};
  EXPECT_EQ(Signature(SignV4(list, kAws, "us-east-1", kAwsTime)),
            "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(SignTest, EncodingAndDigests) {
  EXPECT_EQ(UriEncode("a b/c+d=e~f_g.h-ü", true), "a%20b/c%2Bd%3De~f_g.h-%C3%BC");
  EXPECT_EQ(UriEncode("a/b", false), "a%2Fb");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Md5Base64(""), "1B2M2Y8AsgTpgAmY7PhCfg==");
}

struct Case {
  int version;
  bool https;
  std::string method;
  std::string host;
  std::string key;  // "" for the bucket
  HeaderList query;
  HeaderList headers;
  std::string body;
  std::string token;
};

// The requests Argus's S3 client makes, with awkward keys, queries and headers.
std::vector<Case> Cases() {
  const HeaderList sse = {{"x-amz-server-side-encryption", "aws:kms"},
                          {"x-amz-server-side-encryption-aws-kms-key-id", "arn:aws:kms:key/1"}};
  return {
      {4,
       false,
       "PUT",
       "127.0.0.1:9000",
       "b/01ABC/chunks/000001",
       {},
       {{"Content-Type", "application/octet-stream"}, {"Content-MD5", Md5Base64("data")}},
       "data",
       ""},
      {4,
       true,
       "GET",
       "s3.eu-west-1.amazonaws.com",
       "b/key with spaces+plus=eq~t",
       {},
       {{"Range", "bytes=10-99"}},
       "",
       ""},
      {4,
       false,
       "GET",
       "127.0.0.1:9000",
       "b",
       {{"list-type", "2"},
        {"prefix", "dir/sub dir/"},
        {"delimiter", "/"},
        {"continuation-token", "1/a+b=c=="}},
       {},
       "",
       ""},
      {4, false, "POST", "127.0.0.1:9000", "b/big", {{"uploads", ""}}, sse, "", "SESSIONTOKEN"},
      {4,
       false,
       "PUT",
       "127.0.0.1:9000",
       "b/big",
       {{"partNumber", "3"}, {"uploadId", "u/1+2"}},
       {{"Content-MD5", Md5Base64("part")}},
       "part",
       ""},
      {4, true, "HEAD", "bucket.s3.amazonaws.com", "ünï/cødé", {}, {}, "", "TOKEN"},
      {4, false, "DELETE", "localhost:4568", "b/x", {}, {}, "", ""},
      {2,
       false,
       "PUT",
       "127.0.0.1:9000",
       "b/01ABC/meta.json",
       {},
       {{"Content-Type", "application/octet-stream"},
        {"Content-MD5", Md5Base64("{}")},
        {"x-amz-meta-team", "obs"}},
       "{}",
       ""},
      {2,
       false,
       "POST",
       "127.0.0.1:9000",
       "b/big",
       {{"uploadId", "abc"}},
       {{"Content-Type", "application/xml"}},
       "<x/>",
       "TOKEN"},
      {2, false, "GET", "127.0.0.1:9000", "b", {{"prefix", "a/"}, {"marker", "a/b"}}, {}, "", ""},
      {2,
       false,
       "PUT",
       "127.0.0.1:9000",
       "b/big",
       {{"partNumber", "1"}, {"uploadId", "u1"}},
       sse,
       "x",
       ""},
  };
}

TEST(SignTest, SameAsBotocore) {
  const absl::Time now = absl::FromUnixSeconds(1764300000);
  nlohmann::json requests = nlohmann::json::array();
  std::vector<std::string> ours;
  for (const Case& c : Cases()) {
    SignRequest r;
    r.method = c.method;
    r.host = c.host;
    r.path = "/" + UriEncode(c.key, true);
    r.query = c.query;
    r.headers = c.headers;
    r.payload_sha256_hex = c.https ? "UNSIGNED-PAYLOAD" : Sha256Hex(c.body);
    const Credentials creds{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", c.token};
    HeaderList added = c.version == 4 ? SignV4(r, creds, "eu-west-1", now) : SignV2(r, creds, now);
    ours.push_back(Header(added, "Authorization"));
    std::string url = absl::StrCat(c.https ? "https://" : "http://", c.host, r.path);
    const char* sep = "?";
    for (const auto& [k, v] : c.query) {
      absl::StrAppend(&url, sep, UriEncode(k, false), "=", UriEncode(v, false));
      sep = "&";
    }
    nlohmann::json headers = nlohmann::json::array();
    for (const auto& [k, v] : c.headers) headers.push_back({k, v});
    // Botocore adds its own date and hash headers for V4; V2's x-amz-date is given as sent.
    if (c.version == 2) headers.push_back({"x-amz-date", Header(added, "x-amz-date")});
    requests.push_back({{"version", c.version},
                        {"method", c.method},
                        {"url", url},
                        {"headers", headers},
                        {"body", c.body},
                        {"access", creds.access_key},
                        {"secret", creds.secret_key},
                        {"token", c.token},
                        {"region", "eu-west-1"},
                        {"time", absl::ToUnixSeconds(now)}});
  }
  const testing::CommandResult r = testing::RunCommand(
      {"/usr/bin/python3", std::string(ARGUS_S3_TESTDATA) + "/botocore_sign.py"}, requests.dump());
  ASSERT_EQ(r.exit_code, 0) << "botocore_sign.py failed (is python3-botocore installed? "
                               "scripts/deps.sh installs it):\n"
                            << r.output;
  const nlohmann::json theirs = nlohmann::json::parse(r.output);
  ASSERT_EQ(theirs.size(), ours.size());
  for (size_t i = 0; i < ours.size(); ++i) {
    EXPECT_EQ(ours[i], theirs[i].get<std::string>())
        << "request " << i << ": " << requests[i].dump();
  }
}

}  // namespace
}  // namespace argus::objstore::s3
