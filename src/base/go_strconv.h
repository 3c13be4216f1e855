// Text forms that Go's standard library produces and that Prometheus tools print, so Argus's
// output can be diffed byte for byte against theirs (promtool tsdb dump, label strings).
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace argus {

// strconv.Quote: a double-quoted string with Go escapes (\a \b \f \n \r \t \v \\ \", \xNN for
// other control bytes and invalid UTF-8, \u/\U for non-printable runes).
std::string GoQuote(absl::string_view s);

// fmt's %g (and %v) for a float64: the shortest digits that read back exactly, in exponent form
// when the decimal exponent is < -4 or >= 6 (1e+06, 1.5e-05), else plain (123456.7, 0.0001); NaN,
// +Inf, -Inf.
std::string GoFormatG(double v);

// strconv.FormatFloat(v, 'f', -1, 64): the shortest digits that read back exactly, never in
// exponent form (how the Prometheus HTTP API writes sample values); NaN, +Inf, -Inf.
std::string GoFormatF(double v);

// utf8.Valid: well-formed UTF-8 without surrogates, overlong forms or runes past U+10FFFF.
// Fast on ASCII (16 bytes at a time).
bool ValidUtf8(absl::string_view s);

// Appends the UTF-8 encoding of `rune` (REQUIRES: a valid Unicode scalar value).
void AppendUtf8(char32_t rune, std::string* out);

}  // namespace argus
