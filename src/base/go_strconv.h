// Text forms that Go's standard library produces and that Prometheus tools print, so Argus's
// output can be diffed byte for byte against theirs (promtool tsdb dump, label strings).
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace argus {

// strconv.Quote: a double-quoted string with Go escapes (\a \b \f \n \r \t \v \\ \", \xNN for
// other control bytes and invalid UTF-8, \u/\U for non-printable runes).
std::string GoQuote(absl::string_view s);

// strconv.QuoteRune (and fmt's %q of a rune): a single-quoted Go character literal with the
// escapes GoQuote uses, ' and \ backslashed ('a', '\n', '\x00', '\'', '\u2028'); a rune
// that is not a valid Unicode scalar value is quoted as U+FFFD.
std::string GoQuoteRune(char32_t r);

// strconv.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space (Go's
// Unicode tables, as of Go 1.19 / Unicode 13).
bool GoIsPrint(char32_t r);

// U+FFFD, what DecodeRune returns for a byte that does not start a valid UTF-8 sequence.
inline constexpr char32_t kRuneError = 0xFFFD;

// utf8.DecodeRuneInString for a non-empty `s`: its first rune and sets *width to that rune's
// length in bytes; (kRuneError, 1) for an invalid, overlong, surrogate or truncated sequence.
// (An encoded U+FFFD gives width 3, which tells it apart from an error.)
char32_t DecodeRune(absl::string_view s, int* width);

// strconv.ParseFloat(s, 64): decimal or hexadecimal (0x, mandatory p exponent) with optional
// sign, '_' between digits as Go syntax allows it, correctly rounded; [+-]Inf/Infinity and NaN
// in any case (NaN has Go's bits 0x7ff8000000000001). Errors as Go words them:
// `strconv.ParseFloat: parsing "x": invalid syntax` and, when the magnitude overflows,
// `...: value out of range` (underflow gives 0 or a subnormal without an error).
absl::StatusOr<double> GoParseFloat(absl::string_view s);

// Go's int64(x) on amd64: truncates toward zero; NaN and out-of-range values give
// math.MinInt64 as the CVTTSD2SQ instruction does.
int64_t GoFloatToInt64(double x);

// fmt's %f for a float64: six decimals, correctly rounded (-0.000000 keeps its sign); NaN,
// +Inf, -Inf.
std::string GoFormatFixed(double v);

// Writes v to p as strconv writes the shortest digits that read back exactly: in exponent form
// ('e', -1: "1e-07", "-2.5e+21") when the decimal exponent of the first digit is < min_exp or
// >= max_exp, else placed around the decimal point and padded with zeros ('f', -1: "0.001",
// "1200", "-3.25"); NaN, +Inf, -Inf; -0 keeps its sign. Returns the end. REQUIRES: p has room
// for kGoShortestMaxChars + max(-min_exp, max_exp, 0) characters.
char* GoWriteShortest(double v, int min_exp, int max_exp, char* p);
inline constexpr int kGoShortestMaxChars = 25;

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
