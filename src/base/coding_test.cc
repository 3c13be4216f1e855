#include "base/coding.h"

#include <cstdint>
#include <limits>
#include <string>

#include "gtest/gtest.h"

namespace argus {
namespace {

TEST(CodingTest, UvarintRoundTripAndLength) {
  const uint64_t values[] = {0,
                             1,
                             127,
                             128,
                             255,
                             300,
                             16383,
                             16384,
                             (1ull << 32) - 1,
                             1ull << 32,
                             (1ull << 63) - 1,
                             1ull << 63,
                             std::numeric_limits<uint64_t>::max()};
  for (uint64_t v : values) {
    std::string buf;
    PutUvarint(&buf, v);
    EXPECT_EQ(static_cast<int>(buf.size()), UvarintLength(v)) << v;
    Decoder d(buf);
    EXPECT_EQ(d.Uvarint(), v);
    EXPECT_TRUE(d.ok());
    EXPECT_EQ(d.remaining(), 0u);
  }
  std::string max;
  PutUvarint(&max, std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(max.size(), 10u);
}

TEST(CodingTest, GoCompatibleEncodings) {
  // Values checked against Go's encoding/binary.
  std::string buf;
  PutUvarint(&buf, 300);
  EXPECT_EQ(buf, std::string("\xac\x02", 2));
  buf.clear();
  PutVarint(&buf, -1);
  EXPECT_EQ(buf, std::string("\x01", 1));
  buf.clear();
  PutVarint(&buf, 1);
  EXPECT_EQ(buf, std::string("\x02", 1));
  buf.clear();
  PutVarint(&buf, -65);
  EXPECT_EQ(buf, std::string("\x81\x01", 2));
}

TEST(CodingTest, VarintRoundTripExtremes) {
  const int64_t values[] = {
      0, -1, 1, -64, 64, std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()};
  for (int64_t v : values) {
    std::string buf;
    PutVarint(&buf, v);
    Decoder d(buf);
    EXPECT_EQ(d.Varint(), v);
    EXPECT_TRUE(d.ok());
  }
}

TEST(CodingTest, TruncatedVarintIsDataLoss) {
  std::string buf;
  PutUvarint(&buf, 1ull << 40);
  buf.pop_back();
  Decoder d(buf);
  EXPECT_EQ(d.Uvarint(), 0u);
  EXPECT_FALSE(d.ok());
  absl::Status s = d.status("series entry");
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(s.message().find("series entry"), absl::string_view::npos);
}

TEST(CodingTest, OverlongVarintRejected) {
  // 10th byte above 1 overflows 64 bits; 11 continuation bytes are too long.
  std::string overflow(9, '\xff');
  overflow.push_back('\x02');
  Decoder d1(overflow);
  d1.Uvarint();
  EXPECT_FALSE(d1.ok());
  std::string too_long(11, '\x80');
  too_long.push_back('\x00');
  Decoder d2(too_long);
  d2.Uvarint();
  EXPECT_FALSE(d2.ok());
}

TEST(CodingTest, BigEndianAndStickyErrors) {
  std::string buf;
  PutBE16(&buf, 0x0102);
  PutBE32(&buf, 0xBAAAD700);
  PutBE64(&buf, 0x0102030405060708ull);
  EXPECT_EQ(static_cast<uint8_t>(buf[2]), 0xBA);
  Decoder d(buf);
  EXPECT_EQ(d.BE16(), 0x0102);
  EXPECT_EQ(d.BE32(), 0xBAAAD700u);
  EXPECT_EQ(d.BE64(), 0x0102030405060708ull);
  EXPECT_TRUE(d.ok());
  EXPECT_EQ(d.Byte(), 0);  // past the end
  EXPECT_FALSE(d.ok());
  EXPECT_EQ(d.BE32(), 0u);  // stays failed
  EXPECT_EQ(d.Bytes(0), "");
}

TEST(CodingTest, UvarintBytesRejectsHugeLength) {
  std::string buf;
  PutUvarint(&buf, 1ull << 62);
  buf += "abc";
  Decoder d(buf);
  EXPECT_EQ(d.UvarintBytes(), "");
  EXPECT_FALSE(d.ok());
}

}  // namespace
}  // namespace argus
