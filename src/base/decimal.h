// Fast decimal digits of unsigned integers, for the formatters on hot paths (JSON sample values
// and timestamps): eight digits at a time from a table of digit pairs, with no serial
// divide-by-100 chain over the whole number.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>

namespace argus {
namespace decimal_internal {

inline constexpr char kPairs[] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

inline constexpr uint64_t kPow10[20] = {1,
                                        10,
                                        100,
                                        1000,
                                        10000,
                                        100000,
                                        1000000,
                                        10000000,
                                        100000000,
                                        1000000000,
                                        10000000000ULL,
                                        100000000000ULL,
                                        1000000000000ULL,
                                        10000000000000ULL,
                                        100000000000000ULL,
                                        1000000000000000ULL,
                                        10000000000000000ULL,
                                        100000000000000000ULL,
                                        1000000000000000000ULL,
                                        10000000000000000000ULL};

// Writes v (< 10^8) as exactly eight digits, zero-padded.
inline void Write8(uint32_t v, char* p) {
  const uint32_t hi = v / 10000, lo = v % 10000;
  std::memcpy(p, kPairs + 2 * (hi / 100), 2);
  std::memcpy(p + 2, kPairs + 2 * (hi % 100), 2);
  std::memcpy(p + 4, kPairs + 2 * (lo / 100), 2);
  std::memcpy(p + 6, kPairs + 2 * (lo % 100), 2);
}

}  // namespace decimal_internal

// The number of decimal digits of v (1 for 0).
inline int DecimalDigits(uint64_t v) {
  // t = floor(bit_width * log10(2)): v has t or t + 1 digits; one comparison settles it (v | 1
  // makes 0 count as 1, and changes no other answer: the powers of ten it is compared with are
  // even or 1).
  const uint64_t x = v | 1;
  const int t = (std::bit_width(x) * 1233) >> 12;
  return t + 1 - (x < decimal_internal::kPow10[t] ? 1 : 0);
}

// Writes v as exactly `width` decimal digits, zero-padded on the left; returns the end.
// REQUIRES: v < 10^width, width <= 20. Every digit is stored once, in place (a staging buffer
// would be read back across small stores, which stalls store forwarding).
inline char* WriteDecimalPadded(uint64_t v, int width, char* p) {
  using decimal_internal::kPairs;
  char* const end = p + width;
  char* q = end;
  while (q - p > 8) {  // whole groups of eight from the right
    q -= 8;
    decimal_internal::Write8(static_cast<uint32_t>(v % 100000000), q);
    v /= 100000000;
  }
  auto u = static_cast<uint32_t>(v);  // the leading one to eight digits
  while (q - p >= 2) {
    q -= 2;
    std::memcpy(q, kPairs + 2 * (u % 100), 2);
    u /= 100;
  }
  if (q > p) *p = static_cast<char>('0' + u);
  return end;
}

// Writes v in decimal, without leading zeros ("0" for 0); returns the end. At most 20 chars.
inline char* WriteDecimal(uint64_t v, char* p) {
  return WriteDecimalPadded(v, DecimalDigits(v), p);
}

namespace decimal_internal {
struct QuotientRemainder {
  uint64_t quotient, remainder;
};
template <uint64_t kDivisor>
QuotientRemainder DivideBy(uint64_t v) {
  return {v / kDivisor, v % kDivisor};
}
template <size_t... k>
constexpr auto Dividers(std::index_sequence<k...>) {
  return std::array<QuotientRemainder (*)(uint64_t), sizeof...(k)>{&DivideBy<kPow10[k]>...};
}
}  // namespace decimal_internal

// v / 10^k and v % 10^k, by multiplication (a division by a constant) rather than by a
// variable 64-bit division, which costs tens of cycles. REQUIRES: 0 <= k <= 19.
inline decimal_internal::QuotientRemainder DivModPowerOfTen(uint64_t v, int k) {
  static constexpr auto kDividers = decimal_internal::Dividers(std::make_index_sequence<20>());
  return kDividers[k](v);
}

}  // namespace argus
