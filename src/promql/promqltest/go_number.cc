#include "promql/promqltest/go_number.h"

#include <cstdint>
#include <limits>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/go_strconv.h"

namespace argus::promql::promqltest {
namespace {

int DigitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'z') return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
  return 99;
}

// Go's underscoreOK for the digits after the sign: every '_' sits between two digits, or
// between the base prefix and a digit.
bool UnderscoresOk(absl::string_view s, bool base_prefix) {
  char prev = base_prefix ? '0' : '^';  // '0': a digit or the prefix; '_'; '^': the start
  for (char c : s) {
    if (c == '_') {
      if (prev != '0') return false;
      prev = '_';
    } else {
      prev = '0';
    }
  }
  return prev != '_';
}

// strconv.ParseInt(s, 0, 64); nullopt on a syntax or range error.
std::optional<int64_t> GoParseInt(absl::string_view s) {
  bool negative = false;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  int base = 10;
  bool prefix = false;
  if (s[0] == '0') {
    char second = s.size() >= 3 ? absl::ascii_tolower(static_cast<unsigned char>(s[1])) : 0;
    if (second == 'b' || second == 'o' || second == 'x') {
      base = second == 'b' ? 2 : second == 'o' ? 8 : 16;
      s.remove_prefix(2);
      prefix = true;
    } else {
      base = 8;
      s.remove_prefix(1);
    }
  }
  uint64_t n = 0;
  const uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
  bool underscores = false;
  for (char c : s) {
    if (c == '_') {
      underscores = true;
      continue;
    }
    int d = DigitValue(c);
    if (d >= base) return std::nullopt;
    if (n > (limit - static_cast<uint64_t>(d)) / static_cast<uint64_t>(base)) {
      return std::nullopt;
    }
    n = n * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
  }
  if (underscores && !UnderscoresOk(s, prefix || base == 8)) return std::nullopt;
  if (negative)
    return n == (uint64_t{1} << 63) ? std::numeric_limits<int64_t>::min()
                                    : -static_cast<int64_t>(n);
  return static_cast<int64_t>(n);
}

}  // namespace

absl::StatusOr<double> ParseGoNumber(absl::string_view s) {
  if (std::optional<int64_t> n = GoParseInt(s)) return static_cast<double>(*n);
  absl::StatusOr<double> f = GoParseFloat(s);
  if (!f.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("error parsing number: ", f.status().message()));
  }
  return *f;
}

}  // namespace argus::promql::promqltest
