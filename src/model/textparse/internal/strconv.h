// Private to textparse: number parsing exactly as Prometheus v2.42's textparse does it (Go's
// strconv, base/go_strconv.h, with Prometheus's restrictions).
#pragma once

#include <bit>
#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace argus::textparse::internal {

// Prometheus's value.NormalNaN, which is also what Go's strconv.ParseFloat returns for "NaN".
inline double NormalNaN() { return std::bit_cast<double>(uint64_t{0x7ff8000000000001}); }

// Prometheus's parseFloat: "unsupported character in float" for any of p P _ (no hex floats,
// no digit separators), else GoParseFloat (strconv.ParseFloat(s, 64): decimal with optional
// sign, fraction and exponent; [+-]Inf/Infinity and NaN in any case, NaN -> NormalNaN(); Go's
// error messages).
absl::StatusOr<double> ParseFloat(absl::string_view s);

// strconv.ParseInt(s, 10, 64) for an all-digit `s` (the lexer guarantees it); errors with
// `strconv.ParseInt: parsing "x": value out of range` past int64.
absl::StatusOr<int64_t> ParseDigitsInt64(absl::string_view s);

}  // namespace argus::textparse::internal
