#include "base/units.h"

#include <iterator>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace argus {
namespace {

struct Unit {
  const char* name;
  int64_t ms;
  // As model.Duration prints: only when it divides the rest exactly ("15d", not "2w1d").
  bool exact_only;
};
constexpr Unit kUnits[] = {{"y", 365LL * 24 * 3600 * 1000, true},
                           {"w", 7LL * 24 * 3600 * 1000, true},
                           {"d", 24LL * 3600 * 1000, false},
                           {"h", 3600LL * 1000, false},
                           {"m", 60LL * 1000, false},
                           {"s", 1000, false},
                           {"ms", 1, false}};

}  // namespace

absl::StatusOr<int64_t> ParsePromDuration(absl::string_view text) {
  auto bad = [&] {
    return absl::InvalidArgumentError(absl::StrCat("not a valid duration string: \"", text, "\""));
  };
  if (text == "0") return 0;
  if (text.empty()) return bad();
  int64_t total = 0;
  size_t next_unit = 0;  // units must come in kUnits order, each once
  absl::string_view rest = text;
  while (!rest.empty()) {
    size_t digits = 0;
    while (digits < rest.size() && absl::ascii_isdigit(rest[digits])) ++digits;
    if (digits == 0 || digits > 18) return bad();
    int64_t n;
    if (!absl::SimpleAtoi(rest.substr(0, digits), &n)) return bad();
    rest.remove_prefix(digits);
    size_t u = next_unit;
    // "ms" before "m": try the longer unit name first where both match.
    for (; u < std::size(kUnits); ++u) {
      const absl::string_view name = kUnits[u].name;
      if (rest.substr(0, name.size()) != name) continue;
      if (name == "m" && rest.substr(0, 2) == "ms") continue;
      break;
    }
    if (u == std::size(kUnits)) return bad();
    if (n > INT64_MAX / kUnits[u].ms || total > INT64_MAX - n * kUnits[u].ms) return bad();
    total += n * kUnits[u].ms;
    rest.remove_prefix(absl::string_view(kUnits[u].name).size());
    next_unit = u + 1;
  }
  return total;
}

std::string FormatPromDuration(int64_t ms) {
  if (ms == 0) return "0s";
  std::string out;
  for (const Unit& u : kUnits) {
    if (u.exact_only && ms % u.ms != 0) continue;
    if (ms >= u.ms) {
      absl::StrAppend(&out, ms / u.ms, u.name);
      ms %= u.ms;
    }
  }
  return out;
}

absl::StatusOr<int64_t> ParseBytes(absl::string_view text) {
  size_t digits = 0;
  while (digits < text.size() && absl::ascii_isdigit(text[digits])) ++digits;
  int64_t n;
  if (digits == 0 || !absl::SimpleAtoi(text.substr(0, digits), &n)) {
    return absl::InvalidArgumentError(absl::StrCat("invalid size \"", text, "\""));
  }
  std::string unit = absl::AsciiStrToUpper(text.substr(digits));
  if (unit.size() == 3 && unit[1] == 'I') unit.erase(1, 1);  // KiB -> KB
  static const char* kNames[] = {"B", "KB", "MB", "GB", "TB", "PB", "EB"};
  for (int i = 0; i < 7; ++i) {
    if (unit != kNames[i]) continue;
    const int shift = 10 * i;
    if (shift > 0 && n > (INT64_MAX >> shift)) break;
    return n << shift;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("invalid size \"", text, "\": units are B, KB, MB, GB, TB, PB, EB"));
}

std::string FormatBytes(int64_t n) {
  // units.ToString(n, 1024, "iB", "B"): base-1024 digits from the least significant, the zero
  // ones left out (all but a lone 0).
  static constexpr const char* kPrefixes[] = {"", "K", "M", "G", "T", "P", "E"};
  std::string digits[std::size(kPrefixes)];
  for (size_t i = 0; i < std::size(kPrefixes); ++i) {
    if (n % 1024 != 0 || (i == 0 && n == 0)) {
      digits[i] = absl::StrCat(n % 1024, kPrefixes[i], i == 0 ? "B" : "iB");
    }
    n /= 1024;
    if (n == 0) break;
  }
  std::string out;
  for (size_t i = std::size(kPrefixes); i-- > 0;) out += digits[i];
  return out;
}

absl::StatusOr<TimeOrDuration> TimeOrDuration::Parse(absl::string_view text) {
  TimeOrDuration out;
  const bool negative = absl::ConsumePrefix(&text, "-");
  if (absl::StatusOr<int64_t> d = ParsePromDuration(text); d.ok()) {
    out.relative_ = true;
    out.ms_ = negative ? -*d : *d;
    return out;
  }
  absl::Time t;
  std::string err;
  if (negative || !absl::ParseTime(absl::RFC3339_full, std::string(text), &t, &err)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "\"", negative ? "-" : "", text, "\" is neither an RFC 3339 time nor a duration"));
  }
  out.ms_ = absl::ToUnixMillis(t);
  return out;
}

int64_t TimeOrDuration::UnixMillis(absl::Time now) const {
  return relative_ ? absl::ToUnixMillis(now) + ms_ : ms_;
}

}  // namespace argus
