#include "query/dns.h"

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace argus::query {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// --- ParseEndpointAddress ---

void ExpectParsed(absl::string_view value, AddressKind kind, absl::string_view name) {
  absl::StatusOr<EndpointAddress> a = ParseEndpointAddress(value);
  ASSERT_TRUE(a.ok()) << value << ": " << a.status();
  EXPECT_EQ(a->kind, kind) << value;
  EXPECT_EQ(a->name, name) << value;
}

TEST(ParseEndpointAddressTest, EveryForm) {
  ExpectParsed("localhost:10901", AddressKind::kStatic, "localhost:10901");
  ExpectParsed("10.0.0.1:10901", AddressKind::kStatic, "10.0.0.1:10901");
  ExpectParsed("[::1]:10901", AddressKind::kStatic, "[::1]:10901");
  ExpectParsed("dns+thanos-store.monitoring.svc:10901", AddressKind::kDns,
               "thanos-store.monitoring.svc:10901");
  ExpectParsed("dns+[fe80::1]:10901", AddressKind::kDns, "[fe80::1]:10901");
  ExpectParsed("dnssrv+_grpc._tcp.thanos-store.monitoring.svc", AddressKind::kDnsSrv,
               "_grpc._tcp.thanos-store.monitoring.svc");
  ExpectParsed("dnssrv+_grpc._tcp.store:10905", AddressKind::kDnsSrv, "_grpc._tcp.store:10905");
  ExpectParsed("dnssrvnoa+_grpc._tcp.thanos-store", AddressKind::kDnsSrvNoA,
               "_grpc._tcp.thanos-store");
}

void ExpectInvalid(absl::string_view value, absl::string_view why) {
  absl::StatusOr<EndpointAddress> a = ParseEndpointAddress(value);
  ASSERT_FALSE(a.ok()) << value;
  EXPECT_EQ(a.status().code(), absl::StatusCode::kInvalidArgument) << value;
  EXPECT_THAT(a.status().message(), HasSubstr(absl::StrCat("\"", value, "\""))) << value;
  EXPECT_THAT(a.status().message(), HasSubstr(why)) << value;
}

TEST(ParseEndpointAddressTest, Errors) {
  ExpectInvalid("", "empty");
  ExpectInvalid("foo+bar:10901", "unknown lookup prefix \"foo+\"");
  ExpectInvalid("DNS+bar:10901", "unknown lookup prefix \"DNS+\"");
  ExpectInvalid("+bar:10901", "unknown lookup prefix \"+\"");
  ExpectInvalid("localhost", "missing port in address");
  ExpectInvalid("dns+localhost", "missing port in address");
  ExpectInvalid("localhost:", "missing port in address");
  ExpectInvalid("[::1]", "missing port in address");
  ExpectInvalid("[::1]80", "missing port in address");
  ExpectInvalid("[::1]:", "missing port in address");
  ExpectInvalid("[::1:80", "missing ']' in address");
  ExpectInvalid("::1:80", "too many colons in address");
  ExpectInvalid("[::1]::80", "too many colons in address");
  ExpectInvalid("localhost:http", "invalid port \"http\"");
  ExpectInvalid("localhost:65536", "invalid port \"65536\"");
  ExpectInvalid("localhost:-1", "invalid port \"-1\"");
  ExpectInvalid(":10901", "empty host");
  ExpectInvalid("[]:10901", "empty host");
  ExpectInvalid("dns+:10901", "empty host");
  ExpectInvalid("dns+", "empty host");
  ExpectInvalid("dnssrv+", "empty host");
  ExpectInvalid("dnssrvnoa+", "empty host");
  ExpectInvalid("dnssrv+:10901", "empty host");
  ExpectInvalid("dnssrv+_grpc._tcp.store:grpc", "invalid port \"grpc\"");
}

// --- ParseSrvAnswer ---

// Builds DNS messages byte by byte.
class Packet {
 public:
  Packet& U8(unsigned v) {
    bytes_.push_back(static_cast<unsigned char>(v));
    return *this;
  }
  Packet& U16(unsigned v) { return U8(v >> 8).U8(v & 0xff); }
  Packet& U32(uint32_t v) { return U16(v >> 16).U16(v & 0xffff); }
  Packet& Label(absl::string_view l) {
    U8(l.size());
    bytes_.insert(bytes_.end(), l.begin(), l.end());
    return *this;
  }
  Packet& Pointer(size_t offset) { return U16(0xc000 | offset); }
  size_t size() const { return bytes_.size(); }
  std::vector<unsigned char>& bytes() { return bytes_; }

 private:
  std::vector<unsigned char> bytes_;
};

constexpr unsigned kSrv = 33, kCname = 5, kIn = 1;

// A response header and the question "_grpc._tcp.example.com SRV IN"; returns the offset of
// "example.com" in it through `example`.
Packet Question(unsigned answers, size_t* example) {
  Packet p;
  p.U16(0x1234).U16(0x8180).U16(1).U16(answers).U16(0).U16(0);
  p.Label("_grpc").Label("_tcp");
  *example = p.size();
  p.Label("example").Label("com").U8(0);
  p.U16(kSrv).U16(kIn);
  return p;
}

// An SRV answer for the question's name (offset 12) with target `label` + pointer to `suffix`.
void SrvAnswer(Packet& p, unsigned priority, unsigned weight, unsigned port,
               absl::string_view label, size_t suffix) {
  p.Pointer(12).U16(kSrv).U16(kIn).U32(300);
  p.U16(6 + 1 + label.size() + 2);
  p.U16(priority).U16(weight).U16(port).Label(label).Pointer(suffix);
}

std::vector<unsigned char> TwoSrvRecords() {
  size_t example = 0;
  Packet p = Question(2, &example);
  SrvAnswer(p, 10, 5, 10901, "store-0", example);
  SrvAnswer(p, 20, 0, 10902, "store-1", example);
  return p.bytes();
}

absl::StatusOr<std::vector<SrvRecord>> Parse(const std::vector<unsigned char>& m) {
  return ParseSrvAnswer(m.data(), m.size());
}

TEST(ParseSrvAnswerTest, TwoCompressedRecords) {
  absl::StatusOr<std::vector<SrvRecord>> r = Parse(TwoSrvRecords());
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].target, "store-0.example.com");
  EXPECT_EQ((*r)[0].port, 10901);
  EXPECT_EQ((*r)[0].priority, 10);
  EXPECT_EQ((*r)[0].weight, 5);
  EXPECT_EQ((*r)[1].target, "store-1.example.com");
  EXPECT_EQ((*r)[1].port, 10902);
  EXPECT_EQ((*r)[1].priority, 20);
  EXPECT_EQ((*r)[1].weight, 0);
}

TEST(ParseSrvAnswerTest, SkipsOtherRecordsAndKeepsRootTarget) {
  size_t example = 0;
  Packet p = Question(3, &example);
  // A CNAME for the question's name pointing at example.com.
  p.Pointer(12).U16(kCname).U16(kIn).U32(300).U16(2).Pointer(example);
  // An SRV with the uncompressed root target "." (no service).
  p.Pointer(12).U16(kSrv).U16(kIn).U32(300).U16(7).U16(0).U16(0).U16(0).U8(0);
  SrvAnswer(p, 1, 2, 3, "s", example);
  absl::StatusOr<std::vector<SrvRecord>> r = Parse(p.bytes());
  ASSERT_TRUE(r.ok()) << r.status();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].target, ".");
  EXPECT_EQ((*r)[1].target, "s.example.com");
  EXPECT_EQ((*r)[1].port, 3);
}

TEST(ParseSrvAnswerTest, NoAnswers) {
  size_t example = 0;
  Packet p = Question(0, &example);
  absl::StatusOr<std::vector<SrvRecord>> r = Parse(p.bytes());
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(*r, IsEmpty());
}

TEST(ParseSrvAnswerTest, EveryTruncationIsAnError) {
  std::vector<unsigned char> full = TwoSrvRecords();
  for (size_t len = 0; len < full.size(); ++len) {
    absl::StatusOr<std::vector<SrvRecord>> r = ParseSrvAnswer(full.data(), len);
    ASSERT_FALSE(r.ok()) << "length " << len;
    EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss) << "length " << len;
  }
  EXPECT_EQ(ParseSrvAnswer(nullptr, 0).status().code(), absl::StatusCode::kDataLoss);
}

void ExpectDataLoss(const std::vector<unsigned char>& m, absl::string_view why) {
  absl::StatusOr<std::vector<SrvRecord>> r = Parse(m);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss) << r.status();
  EXPECT_THAT(r.status().message(), HasSubstr(why));
}

TEST(ParseSrvAnswerTest, MalformedPackets) {
  size_t example = 0;
  {  // The header promises three answers; there are two.
    std::vector<unsigned char> m = TwoSrvRecords();
    m[7] = 3;
    ExpectDataLoss(m, "sections do not match its length");
  }
  {  // Trailing bytes after the last record.
    std::vector<unsigned char> m = TwoSrvRecords();
    m.push_back(0);
    ExpectDataLoss(m, "sections do not match its length");
  }
  {  // SRV data too short for priority, weight, port and a target.
    Packet p = Question(1, &example);
    p.Pointer(12).U16(kSrv).U16(kIn).U32(300).U16(3).U8(0).U8(0).U8(0);
    ExpectDataLoss(p.bytes(), "want at least 7");
  }
  {  // A target whose compression pointer points at itself.
    Packet p = Question(1, &example);
    p.Pointer(12).U16(kSrv).U16(kIn).U32(300).U16(8).U16(0).U16(0).U16(1);
    p.Pointer(p.size());
    ExpectDataLoss(p.bytes(), "invalid target name");
  }
  {  // A target pointer past the end of the message.
    Packet p = Question(1, &example);
    p.Pointer(12).U16(kSrv).U16(kIn).U32(300).U16(8).U16(0).U16(0).U16(1).Pointer(0x3fff);
    ExpectDataLoss(p.bytes(), "invalid target name");
  }
  {  // A target that ends before the record's data does.
    Packet p = Question(1, &example);
    p.Pointer(12).U16(kSrv).U16(kIn).U32(300).U16(9).U16(0).U16(0).U16(1).U8(0).U16(0);
    ExpectDataLoss(p.bytes(), "invalid target name");
  }
  {  // A label running past the end of the record into nothing.
    Packet p = Question(1, &example);
    p.Pointer(12).U16(kSrv).U16(kIn).U32(300).U16(8).U16(0).U16(0).U16(1).U8(60).U8('a');
    ExpectDataLoss(p.bytes(), "");
  }
  std::vector<unsigned char> big(65536);
  EXPECT_EQ(ParseSrvAnswer(big.data(), big.size()).status().code(),
            absl::StatusCode::kInvalidArgument);
}

// Random corruptions of a valid answer never crash (the sanitizers watch) and never give an
// empty target.
TEST(ParseSrvAnswerTest, RandomCorruptionsAreHandled) {
  const std::vector<unsigned char> full = TwoSrvRecords();
  std::mt19937 rng(42);
  for (int i = 0; i < 20000; ++i) {
    std::vector<unsigned char> m = full;
    int flips = 1 + static_cast<int>(rng() % 4);
    for (int f = 0; f < flips; ++f) m[rng() % m.size()] = static_cast<unsigned char>(rng());
    m.resize(m.size() - rng() % 3);
    absl::StatusOr<std::vector<SrvRecord>> r = Parse(m);
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss) << r.status();
      continue;
    }
    for (const SrvRecord& s : *r) EXPECT_FALSE(s.target.empty());
  }
}

// --- The system resolver ---

absl::StatusOr<std::vector<std::string>> Resolve(absl::string_view value) {
  absl::StatusOr<EndpointAddress> a = ParseEndpointAddress(value);
  if (!a.ok()) return a.status();
  return NewSystemResolver()->Resolve(*a);
}

TEST(SystemResolverTest, StaticAddressIsKeptWithoutLookup) {
  absl::StatusOr<std::vector<std::string>> r = Resolve("store.does-not-exist.invalid:10901");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(*r, ElementsAre("store.does-not-exist.invalid:10901"));
}

TEST(SystemResolverTest, DnsLocalhost) {
  absl::StatusOr<std::vector<std::string>> r = Resolve("dns+localhost:19091");
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_THAT(*r, Contains("127.0.0.1:19091"));
  EXPECT_TRUE(std::is_sorted(r->begin(), r->end()));
  EXPECT_EQ(std::adjacent_find(r->begin(), r->end()), r->end());
  for (const std::string& s : *r) EXPECT_TRUE(s == "127.0.0.1:19091" || s == "[::1]:19091") << s;
}

TEST(SystemResolverTest, DnsNumericAddresses) {
  absl::StatusOr<std::vector<std::string>> v4 = Resolve("dns+127.0.0.1:9090");
  ASSERT_TRUE(v4.ok()) << v4.status();
  EXPECT_THAT(*v4, ElementsAre("127.0.0.1:9090"));
  absl::StatusOr<std::vector<std::string>> v6 = Resolve("dns+[::1]:9090");
  ASSERT_TRUE(v6.ok()) << v6.status();
  EXPECT_THAT(*v6, ElementsAre("[::1]:9090"));
}

// Whether a DNS server answers here is not known: either no records or Unavailable naming the
// address, never another error.
void ExpectNothingOrUnavailable(absl::string_view value) {
  absl::StatusOr<std::vector<std::string>> r = Resolve(value);
  if (r.ok()) {
    EXPECT_THAT(*r, IsEmpty()) << value;
    return;
  }
  EXPECT_EQ(r.status().code(), absl::StatusCode::kUnavailable) << r.status();
  EXPECT_THAT(r.status().message(), HasSubstr(value)) << r.status();
}

TEST(SystemResolverTest, NamesThatDoNotExist) {
  ExpectNothingOrUnavailable("dns+store.does-not-exist.invalid:10901");
  ExpectNothingOrUnavailable("dnssrv+_grpc._tcp.does-not-exist.invalid");
  ExpectNothingOrUnavailable("dnssrvnoa+_grpc._tcp.does-not-exist.invalid");
}

TEST(SystemResolverTest, UnparsedAddressIsRefused) {
  absl::StatusOr<std::vector<std::string>> r =
      NewSystemResolver()->Resolve({AddressKind::kDns, "localhost"});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(r.status().message(), HasSubstr("dns+localhost"));
}

}  // namespace
}  // namespace argus::query
