#include "model/relabel/internal/go_strings.h"

#include <locale.h>
#include <wctype.h>

#include "absl/strings/ascii.h"
#include "base/go_strconv.h"

namespace argus::relabel::internal {
namespace {

// glibc's built-in C.UTF-8 locale, whose LC_CTYPE holds Unicode's simple case mappings;
// (locale_t)0 where it is missing, and then only ASCII letters change case.
locale_t Utf8Locale() {
  static const locale_t loc = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(0));
  return loc;
}

template <typename AsciiMap, typename WideMap>
void MapCase(absl::string_view s, std::string* out, AsciiMap ascii, WideMap wide) {
  out->clear();
  out->reserve(s.size());
  size_t i = 0;
  while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
  if (i == s.size()) {  // Go's ASCII fast path
    for (char c : s) out->push_back(ascii(c));
    return;
  }
  const locale_t loc = Utf8Locale();
  while (!s.empty()) {
    const unsigned char c = static_cast<unsigned char>(s[0]);
    if (c < 0x80) {
      out->push_back(ascii(static_cast<char>(c)));
      s.remove_prefix(1);
      continue;
    }
    const DecodedRune d = DecodeUtf8(s);
    char32_t r = d.rune;
    if (r != kRuneError && loc != static_cast<locale_t>(0)) {
      r = static_cast<char32_t>(wide(static_cast<wint_t>(r), loc));
    }
    AppendUtf8(r, out);
    s.remove_prefix(d.width);
  }
}

}  // namespace

DecodedRune DecodeUtf8(absl::string_view s) {
  if (s.empty()) return {kRuneError, 0};
  const unsigned char b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80) return {b0, 1};
  size_t width;
  char32_t r;
  unsigned char lo = 0x80, hi = 0xBF;  // the accepted range of the second byte
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    width = 2;
    r = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    width = 3;
    r = b0 & 0x0F;
    if (b0 == 0xE0) lo = 0xA0;  // overlong
    if (b0 == 0xED) hi = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    width = 4;
    r = b0 & 0x07;
    if (b0 == 0xF0) lo = 0x90;  // overlong
    if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return {kRuneError, 1};
  }
  if (s.size() < width) return {kRuneError, 1};
  for (size_t i = 1; i < width; ++i) {
    const unsigned char b = static_cast<unsigned char>(s[i]);
    if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xBF)) return {kRuneError, 1};
    r = (r << 6) | (b & 0x3F);
  }
  return {r, width};
}

void GoToLower(absl::string_view s, std::string* out) {
  MapCase(s, out, absl::ascii_tolower, towlower_l);
}

void GoToUpper(absl::string_view s, std::string* out) {
  MapCase(s, out, absl::ascii_toupper, towupper_l);
}

}  // namespace argus::relabel::internal
