// Private to textparse: number parsing exactly as Prometheus v2.42's textparse does it (Go's
// strconv with Prometheus's restrictions), with a fast path for the plain decimals that make
// up nearly every scraped value.
#pragma once

#include <bit>
#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace argus::textparse::internal {

// Prometheus's value.NormalNaN, which is also what Go's strconv.ParseFloat returns for "NaN".
inline double NormalNaN() { return std::bit_cast<double>(uint64_t{0x7ff8000000000001}); }

// Prometheus's parseFloat: "unsupported character in float" for any of p P _ (no hex floats,
// no digit separators), else strconv.ParseFloat(s, 64): decimal with optional sign, fraction
// and exponent, correctly rounded; [+-]Inf/Infinity and NaN in any case (NaN -> NormalNaN()).
// Errors as Go words them: `strconv.ParseFloat: parsing "x": invalid syntax` and, when the
// magnitude overflows, `...: value out of range` (underflow gives 0 or a subnormal, no error).
absl::StatusOr<double> ParseFloat(absl::string_view s);

// strconv.ParseInt(s, 10, 64) for an all-digit `s` (the lexer guarantees it); errors with
// `strconv.ParseInt: parsing "x": value out of range` past int64.
absl::StatusOr<int64_t> ParseDigitsInt64(absl::string_view s);

// Go's int64(x) on amd64 for a finite x: truncates toward zero; out-of-range values give
// math.MinInt64 as the CVTTSD2SQ instruction does. Used for OpenMetrics seconds -> ms.
int64_t GoFloatToInt64(double x);

}  // namespace argus::textparse::internal
