// The pieces of Go's unicode/utf8 and strings packages that relabeling's results depend on.
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace argus::relabel::internal {

inline constexpr char32_t kRuneError = 0xFFFD;

struct DecodedRune {
  char32_t rune;  // kRuneError for an invalid or truncated sequence
  size_t width;   // bytes consumed: 1 for an invalid sequence, 0 only for empty input
};

// Go's utf8.DecodeRuneInString: the first rune of `s`, rejecting overlong forms, surrogates
// and values above U+10FFFF one byte at a time.
DecodedRune DecodeUtf8(absl::string_view s);

// Go's strings.ToLower / strings.ToUpper into `out` (replaced): ASCII inputs map ASCII letters
// only; otherwise every rune takes its simple Unicode case mapping (glibc's C.UTF-8 tables)
// and every invalid byte becomes U+FFFD. Thread-safe.
void GoToLower(absl::string_view s, std::string* out);
void GoToUpper(absl::string_view s, std::string* out);

}  // namespace argus::relabel::internal
