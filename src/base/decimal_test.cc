#include "base/decimal.h"

#include <charconv>
#include <cstdint>
#include <string>

#include "gtest/gtest.h"

namespace argus {
namespace {

std::string Ours(uint64_t v) {
  char buf[20];
  return std::string(buf, WriteDecimal(v, buf));
}

std::string Theirs(uint64_t v) {
  char buf[20];
  return std::string(buf, std::to_chars(buf, buf + sizeof buf, v).ptr);
}

TEST(DecimalTest, EveryLengthAndEdge) {
  EXPECT_EQ(Ours(0), "0");
  EXPECT_EQ(Ours(UINT64_MAX), "18446744073709551615");
  for (uint64_t p = 1; p <= 1000000000000000000ULL; p *= 10) {
    for (uint64_t v : {p - 1, p, p + 1, 2 * p - 1, 5 * p, 9 * p + (p - 1)}) {
      EXPECT_EQ(Ours(v), Theirs(v)) << v;
      EXPECT_EQ(DecimalDigits(v), static_cast<int>(Theirs(v).size())) << v;
    }
  }
}

TEST(DecimalTest, RandomValuesOfEveryWidth) {
  uint64_t state = 42;
  for (int i = 0; i < 100000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const uint64_t v = state >> (i % 64);
    ASSERT_EQ(Ours(v), Theirs(v)) << v;
  }
}

TEST(DecimalTest, DivModPowerOfTen) {
  uint64_t state = 9;
  for (int i = 0; i < 20000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    uint64_t p = 1;
    for (int k = 0; k < 20; ++k, p *= 10) {
      const auto [q, r] = DivModPowerOfTen(state, k);
      ASSERT_EQ(q, state / p) << state << " / 10^" << k;
      ASSERT_EQ(r, state % p) << state << " % 10^" << k;
    }
  }
}

}  // namespace
}  // namespace argus
