#include "base/crc32c.h"

#include <string>

#include "gtest/gtest.h"

namespace argus {
namespace {

// Test vectors from RFC 3720 (iSCSI), appendix B.4, and the classic "123456789" check value.
TEST(Crc32cTest, KnownVectors) {
  EXPECT_EQ(Crc32c("123456789"), 0xE3069283u);
  EXPECT_EQ(Crc32c(std::string(32, '\0')), 0x8A9136AAu);
  EXPECT_EQ(Crc32c(std::string(32, '\xff')), 0x62A8AB43u);
  std::string ascending, descending;
  for (int i = 0; i < 32; ++i) {
    ascending.push_back(static_cast<char>(i));
    descending.push_back(static_cast<char>(31 - i));
  }
  EXPECT_EQ(Crc32c(ascending), 0x46DD794Eu);
  EXPECT_EQ(Crc32c(descending), 0x113FDB5Cu);
  EXPECT_EQ(Crc32c(""), 0u);
}

TEST(Crc32cTest, ExtendEqualsWhole) {
  std::string data;
  for (int i = 0; i < 1000; ++i) data.push_back(static_cast<char>(i * 7 + 3));
  for (size_t split : {0ul, 1ul, 7ul, 8ul, 9ul, 500ul, 999ul, 1000ul}) {
    uint32_t first = Crc32c(absl::string_view(data).substr(0, split));
    uint32_t whole = Crc32cExtend(first, data.data() + split, data.size() - split);
    EXPECT_EQ(whole, Crc32c(data)) << "split at " << split;
  }
}

TEST(Crc32cTest, PortableAndHardwareAgree) {
  std::string data;
  uint32_t x = 12345;
  for (int len = 0; len < 300; ++len) {
    EXPECT_EQ(internal::Crc32cExtendPortable(0, data.data(), data.size()), Crc32c(data))
        << "length " << len;
    x = x * 1103515245 + 12345;
    data.push_back(static_cast<char>(x >> 16));
  }
}

}  // namespace
}  // namespace argus
