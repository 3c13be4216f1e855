// Durations and byte sizes written as Prometheus writes them in flags and configuration:
// model.Duration ("15d", "1h30m", "500ms", "0") and units.Base2Bytes ("512MB" = 512 MiB);
// and Thanos's model.TimeOrDuration (--min-time, --max-time).
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace argus {

// Milliseconds of a Prometheus duration: units y (365d), w, d, h, m, s, ms, each at most once
// and in that order. Errors: InvalidArgument `not a valid duration string: "x"`.
absl::StatusOr<int64_t> ParsePromDuration(absl::string_view text);
// The shortest Prometheus spelling of `ms` ("15d", "1h30m", "0s"), as model.Duration prints.
std::string FormatPromDuration(int64_t ms);

// Bytes of a base-2 size: a non-negative integer and a unit B, KB, MB, GB, TB, PB or EB
// (powers of 1024; "KiB"-style spellings accepted too). Errors: InvalidArgument.
absl::StatusOr<int64_t> ParseBytes(absl::string_view text);
// units.Base2Bytes.String(): the non-zero base-1024 digits of `n`, largest unit first, each
// with its unit ("1GiB512MiB", "1KiB1B", "512B"; "0B" for 0; negative digits keep their sign).
std::string FormatBytes(int64_t n);

// Thanos's model.TimeOrDuration: an RFC 3339 time, or a Prometheus duration relative to the
// moment it is read ("-2h": two hours ago; "2h45m": that far ahead).
class TimeOrDuration {
 public:
  // Errors: InvalidArgument naming the text.
  static absl::StatusOr<TimeOrDuration> Parse(absl::string_view text);
  // Unix milliseconds as of `now`.
  int64_t UnixMillis(absl::Time now) const;

 private:
  bool relative_ = false;
  int64_t ms_ = 0;  // the time, or the signed duration
};

}  // namespace argus
