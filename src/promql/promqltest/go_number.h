// Numbers as Prometheus's test harness and series descriptions read them (Go's strconv).
#pragma once

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace argus::promql::promqltest {

// Go's strconv.ParseInt(s, 0, 64) (sign, 0x/0o/0b prefixes, a leading 0 for octal, `_`
// between digits), and when that fails strconv.ParseFloat(s, 64) (GoParseFloat: sign, decimal
// with exponent, hex mantissa with a p exponent, Inf/Infinity/NaN in any case; overflow is an
// error). Errors: InvalidArgument "error parsing number: " and Go's strconv error.
absl::StatusOr<double> ParseGoNumber(absl::string_view s);

}  // namespace argus::promql::promqltest
