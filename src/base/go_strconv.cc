#include "base/go_strconv.h"

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "absl/strings/str_format.h"

namespace argus {
namespace {

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 if invalid.
int DecodeRune(absl::string_view s, size_t i, uint32_t* rune) {
  const auto b = [&](size_t k) { return static_cast<uint8_t>(s[k]); };
  uint8_t c = b(i);
  int len;
  uint32_t r;
  if (c < 0x80) {
    *rune = c;
    return 1;
  } else if ((c & 0xe0) == 0xc0) {
    len = 2;
    r = c & 0x1f;
  } else if ((c & 0xf0) == 0xe0) {
    len = 3;
    r = c & 0x0f;
  } else if ((c & 0xf8) == 0xf0) {
    len = 4;
    r = c & 0x07;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  for (int k = 1; k < len; ++k) {
    if ((b(i + k) & 0xc0) != 0x80) return 0;
    r = (r << 6) | (b(i + k) & 0x3f);
  }
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (r < kMin[len] || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) return 0;
  *rune = r;
  return len;
}

// Go's unicode.IsPrint for the ranges that occur in label values: C1 controls, the soft hyphen
// and the Unicode line/paragraph separators and specials are not printable.
bool IsPrint(uint32_t r) {
  if (r >= 0x80 && r < 0xa0) return false;
  if (r == 0xad || r == 0x2028 || r == 0x2029 || r == 0xfeff) return false;
  if (r >= 0xfff9 && r <= 0xfffb) return false;
  return true;
}

}  // namespace

std::string GoQuote(absl::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    uint32_t r;
    int n = DecodeRune(s, i, &r);
    if (n == 0) {
      absl::StrAppendFormat(&out, "\\x%02x", static_cast<uint8_t>(s[i]));
      ++i;
      continue;
    }
    if (n == 1) {
      char c = s[i];
      switch (c) {
        case '\a':
          out += "\\a";
          break;
        case '\b':
          out += "\\b";
          break;
        case '\f':
          out += "\\f";
          break;
        case '\n':
          out += "\\n";
          break;
        case '\r':
          out += "\\r";
          break;
        case '\t':
          out += "\\t";
          break;
        case '\v':
          out += "\\v";
          break;
        case '\\':
          out += "\\\\";
          break;
        case '"':
          out += "\\\"";
          break;
        default:
          if (r < 0x20 || r == 0x7f) {
            absl::StrAppendFormat(&out, "\\x%02x", r);
          } else {
            out.push_back(c);
          }
      }
    } else if (IsPrint(r)) {
      out.append(s.data() + i, n);
    } else if (r < 0x10000) {
      absl::StrAppendFormat(&out, "\\u%04x", r);
    } else {
      absl::StrAppendFormat(&out, "\\U%08x", r);
    }
    i += n;
  }
  out.push_back('"');
  return out;
}

namespace {

// Shortest round-trip digits; exponent form when the decimal exponent is < min_exp or >= max_exp,
// else those digits placed around the decimal point and padded with zeros (as Go does; C++'s
// fixed form would print the exact binary value instead).
std::string FormatShortest(double v, int min_exp, int max_exp) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[64];
  auto sci = std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string s(buf, sci.ptr);
  const size_t e = s.find('e');
  const int exp = std::atoi(s.c_str() + e + 1);
  if (v != 0 && (exp < min_exp || exp >= max_exp)) return s;
  std::string out = v < 0 || std::signbit(v) ? "-" : "";
  std::string digits;
  for (size_t i = out.size(); i < e; ++i) {
    if (s[i] != '.') digits.push_back(s[i]);
  }
  if (exp < 0) {
    out += "0.";
    out.append(static_cast<size_t>(-exp - 1), '0');
    out += digits;
    return out;
  }
  const auto int_digits = static_cast<size_t>(exp) + 1;
  if (digits.size() <= int_digits) {
    out += digits;
    out.append(int_digits - digits.size(), '0');
    return out;
  }
  out.append(digits, 0, int_digits);
  out += '.';
  out.append(digits, int_digits);
  return out;
}

}  // namespace

std::string GoFormatG(double v) { return FormatShortest(v, -4, 6); }

std::string GoFormatF(double v) {
  return FormatShortest(v, std::numeric_limits<int>::min(), std::numeric_limits<int>::max());
}

void AppendUtf8(char32_t rune, std::string* out) {
  const auto r = static_cast<uint32_t>(rune);
  if (r < 0x80) {
    out->push_back(static_cast<char>(r));
  } else if (r < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (r >> 6)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else if (r < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (r >> 12)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (r >> 18)));
    out->push_back(static_cast<char>(0x80 | ((r >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((r >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (r & 0x3F)));
  }
}

bool ValidUtf8(absl::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
#ifdef __SSE2__
  // ASCII sixteen bytes at a time.
  while (end - p >= 16 &&
         _mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p))) == 0) {
    p += 16;
  }
#endif
  while (p < end) {
    // ASCII eight bytes at a time.
    if (end - p >= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      if ((w & 0x8080808080808080ULL) == 0) {
        p += 8;
        continue;
      }
    }
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    // Lead byte -> length and the allowed range of the second byte (Go's acceptRanges).
    int len;
    unsigned char lo = 0x80, hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) {
      len = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      len = 3;
      if (c == 0xe0) lo = 0xa0;
      if (c == 0xed) hi = 0x9f;  // no surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      len = 4;
      if (c == 0xf0) lo = 0x90;
      if (c == 0xf4) hi = 0x8f;  // nothing past U+10FFFF
    } else {
      return false;
    }
    if (end - p < len) return false;
    if (p[1] < lo || p[1] > hi) return false;
    for (int k = 2; k < len; ++k) {
      if ((p[k] & 0xc0) != 0x80) return false;
    }
    p += len;
  }
  return true;
}

}  // namespace argus
