#include "http/api/v1/params.h"

#include <cmath>
#include <limits>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/go_strconv.h"
#include "base/units.h"

namespace argus::http::api {
namespace {

// `n` decimal digits at s[*pos], advancing; false when they are not all digits.
bool Digits(absl::string_view s, size_t* pos, size_t n, int* out) {
  if (*pos + n > s.size()) return false;
  int v = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = s[*pos + i];
    if (!absl::ascii_isdigit(c)) return false;
    v = v * 10 + (c - '0');
  }
  *pos += n;
  *out = v;
  return true;
}

bool Expect(absl::string_view s, size_t* pos, char c) {
  if (*pos >= s.size() || s[*pos] != c) return false;
  ++*pos;
  return true;
}

// time.Parse(time.RFC3339Nano, s): 2006-01-02T15:04:05[.frac](Z|+07:00), in ms (the fraction
// truncated, as timestamp.FromTime does).
bool ParseRfc3339(absl::string_view s, int64_t* ms) {
  size_t p = 0;
  int year, month, day, hour, minute, second;
  if (!Digits(s, &p, 4, &year) || !Expect(s, &p, '-') || !Digits(s, &p, 2, &month) ||
      !Expect(s, &p, '-') || !Digits(s, &p, 2, &day) || !Expect(s, &p, 'T') ||
      !Digits(s, &p, 2, &hour) || !Expect(s, &p, ':') || !Digits(s, &p, 2, &minute) ||
      !Expect(s, &p, ':') || !Digits(s, &p, 2, &second)) {
    return false;
  }
  int64_t nanos = 0;
  if (p + 1 < s.size() && (s[p] == '.' || s[p] == ',') && absl::ascii_isdigit(s[p + 1])) {
    ++p;
    int64_t scale = 100'000'000;
    for (int n = 0; p < s.size() && absl::ascii_isdigit(s[p]); ++p, ++n) {
      if (n == 9) return false;  // Go takes at most nine digits
      nanos += (s[p] - '0') * scale;
      scale /= 10;
    }
  }
  int offset_s = 0;
  if (Expect(s, &p, 'Z')) {
  } else if (p < s.size() && (s[p] == '+' || s[p] == '-')) {
    const int sign = s[p++] == '-' ? -1 : 1;
    int oh, om;
    if (!Digits(s, &p, 2, &oh) || !Expect(s, &p, ':') || !Digits(s, &p, 2, &om) || oh > 23 ||
        om > 59) {
      return false;
    }
    offset_s = sign * (oh * 3600 + om * 60);
  } else {
    return false;
  }
  if (p != s.size() || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 ||
      second > 59) {
    return false;
  }
  const absl::CivilDay civil_day(year, month, day);
  if (civil_day.month() != month) return false;  // day past the month's end
  const absl::Time t = absl::FromCivil(absl::CivilSecond(year, month, day, hour, minute, second),
                                       absl::UTCTimeZone()) -
                       absl::Seconds(offset_s);
  *ms = absl::ToUnixSeconds(t) * 1000 + nanos / 1'000'000;
  return true;
}

}  // namespace

absl::StatusOr<int64_t> ParseTime(absl::string_view s) {
  // Beyond ~292 million years int64 nanoseconds overflow in Go too; such input is not a time.
  if (absl::StatusOr<double> parsed = GoParseFloat(s);
      parsed.ok() && std::isfinite(*parsed) && std::fabs(*parsed) < 9.2e15) {
    const double f = *parsed;
    const double whole = std::trunc(f);
    const double frac = std::round((f - whole) * 1000) / 1000;
    int64_t sec = static_cast<int64_t>(whole);
    int64_t nsec = static_cast<int64_t>(frac * 1e9);
    if (nsec < 0) {  // time.Unix normalizes into [0, 1e9)
      --sec;
      nsec += 1'000'000'000;
    }
    return sec * 1000 + nsec / 1'000'000;
  }
  int64_t ms;
  if (ParseRfc3339(s, &ms)) return ms;
  if (s == kMinTimeFormatted) return kMinTimeMs;
  if (s == kMaxTimeFormatted) return kMaxTimeMs;
  return absl::InvalidArgumentError(
      absl::StrCat("cannot parse ", GoQuote(s), " to a valid timestamp"));
}

absl::StatusOr<absl::Duration> ParseDuration(absl::string_view s) {
  if (absl::StatusOr<double> parsed = GoParseFloat(s); parsed.ok() && !std::isnan(*parsed)) {
    const double f = *parsed;
    const double ns = f * 1e9;
    // 2^63 is the first double past int64's range.
    if (ns >= 9223372036854775808.0 || ns < -9223372036854775808.0) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot parse ", GoQuote(s), " to a valid duration. It overflows int64"));
    }
    return absl::Nanoseconds(static_cast<int64_t>(ns));
  }
  if (absl::StatusOr<int64_t> ms = ParsePromDuration(s); ms.ok()) return absl::Milliseconds(*ms);
  return absl::InvalidArgumentError(
      absl::StrCat("cannot parse ", GoQuote(s), " to a valid duration"));
}

absl::StatusOr<int64_t> TimeParam(const Request& req, absl::string_view name, int64_t fallback) {
  const std::string value = req.Param(name);
  if (value.empty()) return fallback;
  absl::StatusOr<int64_t> t = ParseTime(value);
  if (!t.ok()) {
    return InvalidParam(absl::InvalidArgumentError(absl::StrCat("Invalid time value for '", name,
                                                                "': ", t.status().message())),
                        name);
  }
  return t;
}

absl::Status InvalidParam(const absl::Status& err, absl::string_view name) {
  return absl::Status(err.code(),
                      absl::StrCat("invalid parameter \"", name, "\": ", err.message()));
}

}  // namespace argus::http::api
