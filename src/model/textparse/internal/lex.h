// Private to textparse: what the 0.0.4 and OpenMetrics lexers share. Both mirror the golex
// automata of Prometheus v2.42 (promlex.l, openmetricslex.l) token for token, because the
// token that broke a line is part of the error message, and a malformed line fails in the same
// place with the same words as in Prometheus.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace argus::textparse::internal {

// Token kinds; TokenName gives the name Prometheus prints in errors.
enum class Token : uint8_t {
  kInvalid,
  kEOF,
  kLinebreak,
  kWhitespace,
  kHelp,
  kType,
  kUnit,
  kEOFWord,
  kText,
  kComment,
  kMName,
  kBraceOpen,
  kBraceClose,
  kLName,
  kLValue,
  kComma,
  kEqual,
  kTimestamp,
  kValue,
};

// "INVALID", "EOF", "LINEBREAK", ..., "VALUE".
absl::string_view TokenName(Token t);

// Character classes of the lexers, one bit each.
enum CharClass : uint8_t {
  kMetricStart = 1 << 0,  // [a-zA-Z_:]
  kMetricChar = 1 << 1,   // [a-zA-Z_:0-9]
  kLabelStart = 1 << 2,   // [a-zA-Z_]
  kLabelChar = 1 << 3,    // [a-zA-Z_0-9]
  kDigit = 1 << 4,        // [0-9]
  kPromValue = 1 << 5,    // 0.0.4 value bytes: all but NUL \t \n space {
  kOMValue = 1 << 6,      // OpenMetrics value/timestamp bytes: all but NUL \n space
  kBlank = 1 << 7,        // space, \t
};

inline constexpr std::array<uint8_t, 256> kCharClasses = [] {
  std::array<uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    uint8_t f = 0;
    const bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    if (letter || c == ':') f |= kMetricStart | kMetricChar;
    if (digit) f |= kMetricChar | kLabelChar | kDigit;
    if (letter) f |= kLabelStart | kLabelChar;
    if (c != 0 && c != '\t' && c != '\n' && c != ' ' && c != '{') f |= kPromValue;
    if (c != 0 && c != '\n' && c != ' ') f |= kOMValue;
    if (c == ' ' || c == '\t') f |= kBlank;
    t[c] = f;
  }
  return t;
}();

inline bool Is(unsigned char c, uint8_t cls) { return (kCharClasses[c] & cls) != 0; }

// The first index in [i, n) whose byte is not a name byte, [a-zA-Z0-9_] plus ':' when
// `colon`; n if there is none. Sixteen bytes at a time where SSE2 is available.
size_t SpanName(const unsigned char* d, size_t i, size_t n, bool colon);

// The first index in [i, n) whose byte is not of the value class `cls` (kPromValue or
// kOMValue); n if there is none.
size_t SpanValue(const unsigned char* d, size_t i, size_t n, uint8_t cls);

// The cursor both lexers move over a body, with golex's reading rules: reading past the end
// yields NUL, and in the states where Prometheus lets NUL bytes through (label values, help
// text, comments) Advance(true) steps over them.
class Cursor {
 public:
  // `virtual_newline`: behave as if the body ended with one more '\n' (0.0.4 appends one).
  Cursor(absl::string_view body, bool virtual_newline)
      : data_(reinterpret_cast<const unsigned char*>(body.data())),
        size_(body.size()),
        end_(body.size() + (virtual_newline ? 1 : 0)),
        virtual_newline_(virtual_newline) {}

  size_t pos() const { return pos_; }
  size_t start() const { return start_; }
  bool AtEnd() const { return pos_ >= end_; }
  // Starts a token at the current position.
  void Mark() { start_ = pos_; }

  unsigned char Peek() const { return At(pos_); }
  unsigned char At(size_t i) const {
    if (i < size_) return data_[i];
    return virtual_newline_ && i == size_ ? '\n' : 0;
  }
  // Consumes the current byte and returns the next (skipping NULs when `skip_nul`).
  // (The loops below work on locals: stores to pos_ could alias the bytes read.)
  unsigned char Advance(bool skip_nul) {
    size_t i = pos_ + 1;
    if (skip_nul) {
      while (i < size_ && data_[i] == 0) ++i;
    }
    pos_ = i;
    return At(i);
  }
  // Consumes bytes of class `cls` from the current one on; returns the first other byte.
  unsigned char SkipClass(uint8_t cls) {
    const unsigned char* d = data_;
    const size_t n = size_;
    size_t i = pos_;
    while (i < n && Is(d[i], cls)) ++i;
    pos_ = i;
    return At(i);
  }
  // Consumes value bytes (kPromValue or kOMValue).
  void SkipValue(uint8_t cls) { pos_ = SpanValue(data_, pos_, size_, cls); }
  // Whether the bytes at the cursor are `word`.
  bool LookingAt(absl::string_view word) const {
    if (pos_ + word.size() > size_) return false;
    for (size_t k = 0; k < word.size(); ++k) {
      if (data_[pos_ + k] != static_cast<unsigned char>(word[k])) return false;
    }
    return true;
  }
  // Moves the cursor `n` bytes on. REQUIRES: LookingAt() a word of at least `n` bytes.
  void Skip(size_t n) { pos_ += n; }
  // Consumes a metric name's ([a-zA-Z0-9_:]) or a label name's ([a-zA-Z0-9_]) bytes.
  void SkipName(bool metric) { pos_ = SpanName(data_, pos_, size_, metric); }
  // Consumes bytes up to the next '\n' (NULs included, as Advance(true) steps over them);
  // returns that byte, or what At() gives past the end when there is none.
  unsigned char SkipToNewline() {
    if (pos_ < size_) {
      const void* nl = std::memchr(data_ + pos_, '\n', size_ - pos_);
      pos_ = nl != nullptr ? static_cast<size_t>(static_cast<const unsigned char*>(nl) - data_)
                           : size_;
    }
    return At(pos_);
  }
  // Consumes a quoted label value whose opening quote is the current byte, as
  // \"(\\.|[^\\"])*\" with NULs stepped over when `skip_nul`; `newline_ok` lets raw newlines
  // in (0.0.4). Returns false, stopped at the offending byte, when the value does not close.
  // The bytes between start() and pos() may hold non-ASCII (then check their UTF-8).
  bool ScanQuoted(bool skip_nul, bool newline_ok);
  bool quoted_non_ascii() const { return quoted_non_ascii_; }

 private:
  const unsigned char* data_;
  size_t size_;
  size_t end_;
  bool virtual_newline_;
  size_t pos_ = 0;
  size_t start_ = 0;
  bool quoted_non_ascii_ = false;
};

// InvalidArgument "<expected>, got \"<TOKEN>\"", Prometheus's parseError.
absl::Status ParseError(absl::string_view expected, Token got);

// Appends `in` to `out` with `\\` -> `\` and `\n` -> newline replaced left to right, and
// `\"` -> `"` when `quotes`; any other backslash stays as written.
void Unescape(absl::string_view in, bool quotes, std::string* out);

}  // namespace argus::textparse::internal
