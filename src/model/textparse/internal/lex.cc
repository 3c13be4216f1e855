#include "model/textparse/internal/lex.h"

#include <cstring>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "absl/strings/str_cat.h"

namespace argus::textparse::internal {

absl::string_view TokenName(Token t) {
  switch (t) {
    case Token::kInvalid:
      return "INVALID";
    case Token::kEOF:
      return "EOF";
    case Token::kLinebreak:
      return "LINEBREAK";
    case Token::kWhitespace:
      return "WHITESPACE";
    case Token::kHelp:
      return "HELP";
    case Token::kType:
      return "TYPE";
    case Token::kUnit:
      return "UNIT";
    case Token::kEOFWord:
      return "EOFWORD";
    case Token::kText:
      return "TEXT";
    case Token::kComment:
      return "COMMENT";
    case Token::kMName:
      return "MNAME";
    case Token::kBraceOpen:
      return "BOPEN";
    case Token::kBraceClose:
      return "BCLOSE";
    case Token::kLName:
      return "LNAME";
    case Token::kLValue:
      return "LVALUE";
    case Token::kComma:
      return "COMMA";
    case Token::kEqual:
      return "EQUAL";
    case Token::kTimestamp:
      return "TIMESTAMP";
    case Token::kValue:
      return "VALUE";
  }
  return "INVALID";
}

size_t SpanName(const unsigned char* d, size_t i, size_t n, bool colon) {
#ifdef __SSE2__
  // Bytes in [lo, lo + len) become the lowest signed values after adding 0x80 - lo.
  const auto in_range = [](__m128i x, char lo, char len) {
    const __m128i shifted = _mm_add_epi8(x, _mm_set1_epi8(static_cast<char>(0x80 - lo)));
    return _mm_cmplt_epi8(shifted, _mm_set1_epi8(static_cast<char>(0x80 + len)));
  };
  const char digits = colon ? 11 : 10;  // ':' follows '9'
  for (; i + 16 <= n; i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i));
    const __m128i letter = in_range(_mm_or_si128(x, _mm_set1_epi8(0x20)), 'a', 26);
    const __m128i digit = in_range(x, '0', digits);
    const __m128i under = _mm_cmpeq_epi8(x, _mm_set1_epi8('_'));
    const int ok = _mm_movemask_epi8(_mm_or_si128(_mm_or_si128(letter, digit), under));
    if (ok != 0xffff) return i + __builtin_ctz(~ok & 0xffff);
  }
#endif
  const uint8_t cls = colon ? kMetricChar : kLabelChar;
  while (i < n && Is(d[i], cls)) ++i;
  return i;
}

size_t SpanValue(const unsigned char* d, size_t i, size_t n, uint8_t cls) {
#ifdef __SSE2__
  // Both classes stop at NUL, '\n' and ' '; 0.0.4's also at '\t' and '{'.
  const bool prom = cls == kPromValue;
  const __m128i tab = _mm_set1_epi8(prom ? '\t' : ' ');
  const __m128i brace = _mm_set1_epi8(prom ? '{' : ' ');
  for (; i + 16 <= n; i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i));
    const __m128i stop = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(x, _mm_setzero_si128()),
                     _mm_cmpeq_epi8(x, _mm_set1_epi8('\n'))),
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8(' ')), _mm_cmpeq_epi8(x, tab)),
                     _mm_cmpeq_epi8(x, brace)));
    if (const int hit = _mm_movemask_epi8(stop); hit != 0) return i + __builtin_ctz(hit);
  }
#endif
  while (i < n && Is(d[i], cls)) ++i;
  return i;
}

namespace {

// The first index in [i, n) holding '"', '\\', '\n' or NUL; n if none. `*high` is ORed with
// the bytes passed over (bit 7 set = non-ASCII seen).
size_t FindQuotedStop(const unsigned char* d, size_t i, size_t n, unsigned* high) {
#ifdef __SSE2__
  __m128i seen = _mm_setzero_si128();
  for (; i + 16 <= n; i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(d + i));
    const __m128i stop = _mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))),
        _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('\n')),
                     _mm_cmpeq_epi8(x, _mm_setzero_si128())));
    const int hit = _mm_movemask_epi8(stop);
    if (hit != 0) {
      const int k = __builtin_ctz(hit);
      // Only the bytes before the stop count as passed over.
      const int before = _mm_movemask_epi8(x) & ((1 << k) - 1);
      *high |= static_cast<unsigned>(_mm_movemask_epi8(seen) | before) != 0 ? 0x80 : 0;
      return i + k;
    }
    seen = _mm_or_si128(seen, x);
  }
  *high |= _mm_movemask_epi8(seen) != 0 ? 0x80 : 0;
#endif
  for (; i < n; ++i) {
    const unsigned char c = d[i];
    if (c == '"' || c == '\\' || c == '\n' || c == 0) break;
    *high |= c;
  }
  return i;
}

}  // namespace

bool Cursor::ScanQuoted(bool skip_nul, bool newline_ok) {
  unsigned high = 0;
  quoted_non_ascii_ = true;             // until the value closes
  unsigned char c = Advance(skip_nul);  // past the opening quote
  for (;;) {
    // Ordinary bytes in bulk; the four that need a decision stop the search.
    pos_ = FindQuotedStop(data_, pos_, size_, &high);
    c = At(pos_);
    if (c == '"') {
      Advance(skip_nul);
      quoted_non_ascii_ = (high & 0x80) != 0;
      return true;
    }
    if (c == '\\') {
      c = Advance(skip_nul);
      if (c == 0 || c == '\n') return false;
      high |= c;
      Advance(skip_nul);
      continue;
    }
    if (c == 0) {
      if (!skip_nul || pos_ >= size_) return false;  // NUL where it is not let through, or EOF
      ++pos_;
      continue;
    }
    // A newline (a real one, or 0.0.4's appended one).
    if (!newline_ok) return false;
    Advance(skip_nul);
  }
}

absl::Status ParseError(absl::string_view expected, Token got) {
  return absl::InvalidArgumentError(absl::StrCat(expected, ", got \"", TokenName(got), "\""));
}

void Unescape(absl::string_view in, bool quotes, std::string* out) {
  out->reserve(out->size() + in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    const char c = in[i];
    if (c == '\\' && i + 1 < in.size()) {
      const char e = in[i + 1];
      if (e == '\\' || e == 'n' || (quotes && e == '"')) {
        out->push_back(e == 'n' ? '\n' : e);
        ++i;
        continue;
      }
    }
    out->push_back(c);
  }
}

}  // namespace argus::textparse::internal
