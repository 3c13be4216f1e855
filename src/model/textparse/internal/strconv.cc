#include "model/textparse/internal/strconv.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstring>
#include <limits>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "base/go_strconv.h"

namespace argus::textparse::internal {
namespace {

// 10^0 .. 10^22: every one is exact in a double, so m * 10^e and m / 10^e round once.
constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                             1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

absl::Status FloatError(absl::string_view s, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("strconv.ParseFloat: parsing ", GoQuote(s), ": ", what));
}

bool EqualFoldAscii(absl::string_view a, absl::string_view lower) {
  if (a.size() != lower.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const char c = (a[i] >= 'A' && a[i] <= 'Z') ? static_cast<char>(a[i] - 'A' + 'a') : a[i];
    if (c != lower[i]) return false;
  }
  return true;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Eight ASCII digits at once (SWAR, little-endian loads): whether all of v's bytes are digits,
// and their value.
bool AreEightDigits(uint64_t v) {
  return ((v & 0xf0f0f0f0f0f0f0f0) | (((v + 0x0606060606060606) & 0xf0f0f0f0f0f0f0f0) >> 4)) ==
         0x3333333333333333;
}
uint64_t EightDigitsValue(uint64_t v) {
  v -= 0x3030303030303030;
  v = v * 10 + (v >> 8);  // pairs
  return (((v & 0x000000ff000000ff) * (100 + (1000000ULL << 32))) +
          (((v >> 16) & 0x000000ff000000ff) * (1 + (10000ULL << 32)))) >>
         32;
}

// Accumulates the digits at p into *mant (wrapping past 2^64: callers count digits) and
// returns where they end.
const char* AccumulateDigits(const char* p, const char* end, uint64_t* mant) {
  uint64_t m = *mant;
  if constexpr (std::endian::native == std::endian::little) {
    while (end - p >= 8) {
      uint64_t v;
      std::memcpy(&v, p, 8);
      if (!AreEightDigits(v)) break;
      m = m * 100000000 + EightDigitsValue(v);
      p += 8;
    }
  }
  for (unsigned d; p < end && (d = static_cast<unsigned char>(*p) - '0') <= 9; ++p) {
    m = m * 10 + d;
  }
  *mant = m;
  return p;
}

// The decimal syntax Go's readFloat accepts once '_' and hex (which needs 'p') are ruled out:
// digits with at most one '.', at least one digit, then optionally e|E [+-] digits.
// `*magnitude` gets the sign of the decimal exponent of the leading significant digit
// (> 0 large, < 0 small, 0 for a zero mantissa), which tells overflow from underflow.
bool ValidDecimal(absl::string_view s, int* magnitude) {
  size_t i = 0;
  int64_t int_digits = 0;  // significant digits before the point
  int64_t lead_zeros = 0;  // zeros after the point before the first significant digit
  bool saw_digit = false, saw_dot = false, nonzero = false;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '.') {
      if (saw_dot) break;
      saw_dot = true;
    } else if (IsDigit(c)) {
      saw_digit = true;
      if (c != '0') nonzero = true;
      if (!saw_dot) {
        if (nonzero) ++int_digits;
      } else if (!nonzero) {
        ++lead_zeros;
      }
    } else {
      break;
    }
  }
  if (!saw_digit) return false;
  int64_t exp = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool neg = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) neg = s[i++] == '-';
    if (i >= s.size() || !IsDigit(s[i])) return false;
    for (; i < s.size() && IsDigit(s[i]); ++i) {
      if (exp < 100000000) exp = exp * 10 + (s[i] - '0');
    }
    if (neg) exp = -exp;
  }
  if (i != s.size()) return false;
  const int64_t lead = int_digits > 0 ? int_digits - 1 + exp : exp - lead_zeros - 1;
  *magnitude = !nonzero ? 0 : (lead >= 0 ? 1 : -1);
  return true;
}

absl::StatusOr<double> ParseFloatSlow(absl::string_view s) {
  if (s.find_first_of("pP_") != absl::string_view::npos) {
    return absl::InvalidArgumentError("unsupported character in float");
  }
  absl::string_view body = s;
  bool neg = false;
  if (!body.empty() && (body[0] == '+' || body[0] == '-')) {
    neg = body[0] == '-';
    body.remove_prefix(1);
  }
  // Go's special(): [+-]inf, [+-]infinity, nan (no sign), any case.
  if (EqualFoldAscii(body, "inf") || EqualFoldAscii(body, "infinity")) {
    return neg ? -std::numeric_limits<double>::infinity() : std::numeric_limits<double>::infinity();
  }
  if (body.size() == s.size() && EqualFoldAscii(body, "nan")) return NormalNaN();

  int magnitude = 0;
  if (!ValidDecimal(body, &magnitude)) return FloatError(s, "invalid syntax");
  double v = 0;
  const auto r = std::from_chars(body.data(), body.data() + body.size(), v);
  if (r.ec == std::errc::result_out_of_range) {
    if (magnitude > 0) return FloatError(s, "value out of range");
    v = 0;  // underflow: Go returns (signed) zero without an error
  } else if (r.ec != std::errc() || r.ptr != body.data() + body.size()) {
    return FloatError(s, "invalid syntax");
  }
  return neg ? -v : v;
}

}  // namespace

absl::StatusOr<double> ParseFloat(absl::string_view s) {
  // One scan of the common syntax, [+-]digits[.digits][(e|E)[+-]digits]; anything else
  // (specials, bad syntax, p P _) is left to the slow path, which words the errors.
  const char* p = s.data();
  const char* const end = p + s.size();
  bool neg = false;
  if (p < end && (*p == '+' || *p == '-')) {
    neg = *p == '-';
    ++p;
  }
  const char* const digits_begin = p;
  // Digits accumulate into mant (leading zeros do no harm); more than 19 of them could
  // overflow it, and those rare values take from_chars below.
  uint64_t mant = 0;
  p = AccumulateDigits(p, end, &mant);
  size_t digits = static_cast<size_t>(p - digits_begin);
  int frac = 0;
  if (p < end && *p == '.') {
    const char* const frac_begin = ++p;
    p = AccumulateDigits(p, end, &mant);
    digits += static_cast<size_t>(p - frac_begin);
    frac = static_cast<int>(std::min<ptrdiff_t>(p - frac_begin, 100000));  // keeps exp in range
  }
  if (digits == 0) return ParseFloatSlow(s);  // "", ".", "+", "inf", "nan", ...
  int exp = 0;
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    bool exp_neg = false;
    if (p < end && (*p == '+' || *p == '-')) exp_neg = *p++ == '-';
    const char* const exp_begin = p;
    for (; p < end && IsDigit(*p); ++p) {
      if (exp < 100000) exp = exp * 10 + (*p - '0');
    }
    if (p == exp_begin) return ParseFloatSlow(s);
    if (exp_neg) exp = -exp;
  }
  if (p != end) return ParseFloatSlow(s);
  // Clinger's fast path: a mantissa of at most 2^53 and a decimal exponent within +-22 are
  // both exact doubles, so one multiplication or division rounds correctly.
  exp -= frac;
  if (digits <= 19 && mant <= (uint64_t{1} << 53) && exp >= -22 && exp <= 22) {
    double v = static_cast<double>(mant);
    if (exp < 0) {
      v /= kPow10[-exp];
    } else if (exp > 0) {
      v *= kPow10[exp];
    }
    return neg ? -v : v;
  }
  // Valid syntax, harder digits: from_chars rounds correctly; overflow and underflow go to
  // the slow path, which tells them apart.
  double v = 0;
  const auto r = std::from_chars(digits_begin, end, v);
  if (r.ec != std::errc() || r.ptr != end) return ParseFloatSlow(s);
  return neg ? -v : v;
}

absl::StatusOr<int64_t> ParseDigitsInt64(absl::string_view s) {
  int64_t v = 0;
  const auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec == std::errc() && r.ptr == s.data() + s.size()) return v;
  if (r.ec == std::errc::result_out_of_range) {
    return absl::InvalidArgumentError(
        absl::StrCat("strconv.ParseInt: parsing ", GoQuote(s), ": value out of range"));
  }
  return absl::InvalidArgumentError(
      absl::StrCat("strconv.ParseInt: parsing ", GoQuote(s), ": invalid syntax"));
}

int64_t GoFloatToInt64(double x) {
  // 2^63 is exact as a double; anything at or past it (or below -2^63) does not convert.
  if (x >= -9223372036854775808.0 && x < 9223372036854775808.0) return static_cast<int64_t>(x);
  return std::numeric_limits<int64_t>::min();
}

}  // namespace argus::textparse::internal
