// Request parameters of the Prometheus HTTP API as web/api/v1 reads them: times as unix seconds
// (a float) or RFC3339, durations as float seconds or Prometheus durations, with its error
// messages (`invalid parameter "time": ...`).
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "http/server.h"

namespace argus::http::api {

// The times an absent start/end of /series and /labels stands for (Prometheus's minTime and
// maxTime: the extremes Go's time package can format, in ms), and the RFC3339 spellings of
// them that clients send back (accepted although their years are not four digits long).
inline constexpr int64_t kMinTimeMs = -9223309901258974000;
inline constexpr int64_t kMaxTimeMs = 9223309901257974999;
inline constexpr absl::string_view kMinTimeFormatted = "-292273086-05-16T16:47:06Z";
inline constexpr absl::string_view kMaxTimeFormatted = "292277025-08-18T07:12:54.999999999Z";

// parseTime: unix seconds as a float (rounded to the millisecond) or RFC3339 with optional
// fractional seconds (truncated to the millisecond). Errors: InvalidArgument
// `cannot parse "x" to a valid timestamp`.
absl::StatusOr<int64_t> ParseTime(absl::string_view s);

// parseDuration: float seconds or a Prometheus duration ("5m", "1h30m"), to the nanosecond.
// Errors: InvalidArgument `cannot parse "x" to a valid duration` (`... It overflows int64`).
absl::StatusOr<absl::Duration> ParseDuration(absl::string_view s);

// The time parameter `name` in ms, or `fallback` when absent or empty. Errors: InvalidArgument
// `invalid parameter "start": Invalid time value for 'start': cannot parse ...`.
absl::StatusOr<int64_t> TimeParam(const Request& req, absl::string_view name, int64_t fallback);

// `err` as Prometheus's invalidParamError words it: `invalid parameter "name": <message>`,
// code kept.
absl::Status InvalidParam(const absl::Status& err, absl::string_view name);

}  // namespace argus::http::api
