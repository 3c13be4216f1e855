#include "model/textparse/promparse.h"

#include <algorithm>
#include <cassert>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "base/go_strconv.h"
#include "base/status.h"
#include "model/textparse/internal/strconv.h"

namespace argus::textparse {

using internal::Is;
using internal::ParseError;
using internal::Token;

PromParser::PromParser(absl::string_view body)
    : Parser(body), cur_(body, /*virtual_newline=*/true) {}

// The automaton of promlex.l, one function per start condition. Each byte is consumed as
// golex does: an abort leaves the cursor on the offending byte, and NULs are stepped over
// only in the states that let them through.
Token PromParser::Lex() {
  if (cur_.AtEnd()) return Token::kEOF;
  cur_.Mark();
  switch (state_) {
    case State::kInit:
      return LexInit();
    case State::kComment:
      return LexComment();
    case State::kMeta1:
      return LexMeta1();
    case State::kMeta2:
      return LexMeta2();
    case State::kLabels:
      return LexLabels();
    case State::kLValue:
      return LexLValue();
    case State::kValue:
      return LexValue();
    case State::kTimestamp:
      return LexTimestamp();
  }
  return Token::kInvalid;
}

Token PromParser::NextToken() {
  for (;;) {
    if (const Token t = Lex(); t != Token::kWhitespace) return t;
  }
}

template <PromParser::State S>
inline Token PromParser::NextIn() {
  assert(state_ == S);  // each call site knows the state from the token before it
  for (;;) {
    if (cur_.AtEnd()) return Token::kEOF;
    cur_.Mark();
    Token t;
    if constexpr (S == State::kInit) {
      t = LexInit();
    } else if constexpr (S == State::kMeta1) {
      t = LexMeta1();
    } else if constexpr (S == State::kMeta2) {
      t = LexMeta2();
    } else if constexpr (S == State::kLabels) {
      t = LexLabels();
    } else if constexpr (S == State::kLValue) {
      t = LexLValue();
    } else if constexpr (S == State::kValue) {
      t = LexValue();
    } else {
      static_assert(S == State::kTimestamp);
      t = LexTimestamp();
    }
    if (t != Token::kWhitespace) return t;
    if (state_ != S) return NextToken();  // "#[ \t]+" moved on to the comment state
  }
}

inline Token PromParser::LexInit() {
  unsigned char c = cur_.Peek();
  if (Is(c, internal::kMetricStart)) {
    cur_.SkipName(/*metric=*/true);
    state_ = State::kValue;
    return Token::kMName;
  }
  if (c == '\n') {
    cur_.Advance(false);
    return Token::kLinebreak;
  }
  if (Is(c, internal::kBlank)) return LexWhitespace(false);
  if (c == '#') {
    c = cur_.Advance(false);
    if (!Is(c, internal::kBlank)) return ConsumeComment();  // "#" alone: a comment
    while (Is(c, internal::kBlank)) c = cur_.Advance(false);
    state_ = State::kComment;  // "#[ \t]+": HELP, TYPE or a comment follows
    return LexComment();
  }
  if (c == 0) {
    cur_.Advance(false);
    return Token::kEOF;  // promlex's \0 rule: a NUL at a token start ends the body
  }
  return Token::kInvalid;
}

inline Token PromParser::LexMeta1() {
  const unsigned char c = cur_.Peek();
  if (Is(c, internal::kMetricStart)) {
    cur_.SkipName(/*metric=*/true);
    state_ = State::kMeta2;
    return Token::kMName;
  }
  if (Is(c, internal::kBlank)) return LexWhitespace(false);
  return Token::kInvalid;
}

inline Token PromParser::LexMeta2() {
  // Blanks then the end of the line are whitespace; otherwise the rest of the line is text,
  // including the blanks before it (the parser drops its first byte).
  unsigned char c = cur_.Peek();
  if (Is(c, internal::kBlank)) {
    do {
      c = cur_.Advance(true);
    } while (Is(c, internal::kBlank));
    if (c == 0 || c == '\n') return Token::kWhitespace;
  }
  if (c != 0 && c != '\n') cur_.SkipToNewline();
  state_ = State::kInit;
  return Token::kText;
}

inline Token PromParser::LexLabels() {
  const unsigned char c = cur_.Peek();
  if (Is(c, internal::kLabelStart)) {
    cur_.SkipName(/*metric=*/false);
    return Token::kLName;
  }
  switch (c) {
    case ',':
      cur_.Advance(false);
      return Token::kComma;
    case '=':
      cur_.Advance(false);
      state_ = State::kLValue;
      return Token::kEqual;
    case '}':
      cur_.Advance(false);
      state_ = State::kValue;
      return Token::kBraceClose;
    case ' ':
    case '\t':
      return LexWhitespace(false);
    default:
      return Token::kInvalid;
  }
}

inline Token PromParser::LexLValue() {
  const unsigned char c = cur_.Peek();
  if (c == '"') {
    if (!cur_.ScanQuoted(/*skip_nul=*/true, /*newline_ok=*/true)) return Token::kInvalid;
    state_ = State::kLabels;
    return Token::kLValue;
  }
  if (Is(c, internal::kBlank)) return LexWhitespace(true);
  return Token::kInvalid;
}

inline Token PromParser::LexValue() {
  const unsigned char c = cur_.Peek();
  if (Is(c, internal::kPromValue)) {
    cur_.SkipValue(internal::kPromValue);
    state_ = State::kTimestamp;
    return Token::kValue;
  }
  if (c == '{') {
    cur_.Advance(false);
    state_ = State::kLabels;
    return Token::kBraceOpen;
  }
  if (Is(c, internal::kBlank)) return LexWhitespace(false);
  return Token::kInvalid;
}

inline Token PromParser::LexTimestamp() {
  const unsigned char c = cur_.Peek();
  if (Is(c, internal::kDigit)) {
    cur_.SkipClass(internal::kDigit);
    return Token::kTimestamp;
  }
  if (c == '\n') {
    cur_.Advance(false);
    state_ = State::kInit;
    return Token::kLinebreak;
  }
  if (Is(c, internal::kBlank)) return LexWhitespace(false);
  return Token::kInvalid;
}

Token PromParser::LexWhitespace(bool skip_nul) {
  unsigned char c = cur_.Peek();
  while (Is(c, internal::kBlank)) c = cur_.Advance(skip_nul);
  return Token::kWhitespace;
}

// After "#[ \t]+": HELP or TYPE plus blanks, else the rest of the line is a comment.
Token PromParser::LexComment() {
  unsigned char c = cur_.Peek();
  const auto keyword = [&](absl::string_view word, Token token) {
    if (cur_.LookingAt(word)) {
      cur_.Skip(word.size() - 1);  // no NULs in between: where the byte loop would stop
    } else {
      for (char want : word.substr(1)) {
        c = cur_.Advance(true);
        if (c != static_cast<unsigned char>(want)) return ConsumeComment();
      }
    }
    c = cur_.Advance(true);
    if (!Is(c, internal::kBlank)) return ConsumeComment();
    while (Is(c, internal::kBlank)) c = cur_.Advance(true);
    state_ = State::kMeta1;
    return token;
  };
  if (c == 'H') return keyword("HELP", Token::kHelp);
  if (c == 'T') return keyword("TYPE", Token::kType);
  if (Is(c, internal::kBlank)) return LexWhitespace(true);
  return ConsumeComment();
}

// promlex's consumeComment: up to the end of the line; a NUL (where NULs are not stepped over)
// ends the body as EOF, as in Prometheus.
Token PromParser::ConsumeComment() {
  const bool skip_nul = state_ == State::kComment;
  for (unsigned char c = cur_.Peek();; c = cur_.Advance(skip_nul)) {
    if (c == 0) return Token::kEOF;
    if (c == '\n') {
      state_ = State::kInit;
      return Token::kComment;
    }
  }
}

absl::StatusOr<Entry> PromParser::ParseEntry() {
  for (;;) {
    entry_start_ = cur_.pos();
    offsets_.clear();
    switch (const Token t = NextIn<State::kInit>(); t) {
      case Token::kEOF:
        return Entry::kEOF;
      case Token::kLinebreak:
        continue;  // blank lines are fine
      case Token::kHelp:
      case Token::kType:
        return ParseMeta(t);
      case Token::kComment: {
        text_ = TokenText();
        if (const Token t2 = NextIn<State::kInit>(); t2 != Token::kLinebreak) {
          return ParseError("linebreak expected after comment", t2);
        }
        return Entry::kComment;
      }
      case Token::kMName:
        return ParseSample();
      default:
        return absl::InvalidArgumentError(
            absl::StrCat("\"", internal::TokenName(t), "\" is not a valid start token"));
    }
  }
}

absl::StatusOr<Entry> PromParser::ParseMeta(Token kind) {
  Token t = NextIn<State::kMeta1>();
  if (t != Token::kMName) {
    return ParseError(absl::StrCat("expected metric name after ", internal::TokenName(kind)), t);
  }
  meta_name_ = TokenText();
  if (NextIn<State::kMeta2>() != Token::kText) {
    return absl::InvalidArgumentError(absl::StrCat("expected text in ", internal::TokenName(kind)));
  }
  absl::string_view text = TokenText();
  text = text.size() > 1 ? text.substr(1) : absl::string_view();
  if (kind == Token::kType) {
    if (text == "counter") {
      type_ = MetricType::kCounter;
    } else if (text == "gauge") {
      type_ = MetricType::kGauge;
    } else if (text == "histogram") {
      type_ = MetricType::kHistogram;
    } else if (text == "summary") {
      type_ = MetricType::kSummary;
    } else if (text == "untyped") {
      type_ = MetricType::kUnknown;
    } else {
      return absl::InvalidArgumentError(absl::StrCat("invalid metric type ", GoQuote(text)));
    }
  } else {
    if (!ValidUtf8(text)) {
      return absl::InvalidArgumentError("help text is not a valid utf8 string");
    }
    text_ = text;
    if (!text.empty() && std::memchr(text.data(), '\\', text.size()) != nullptr) {
      help_buf_.clear();
      internal::Unescape(text, /*quotes=*/false, &help_buf_);
      text_ = help_buf_;
    }
  }
  if (t = NextIn<State::kInit>(); t != Token::kLinebreak) {
    return ParseError("linebreak expected after metadata", t);
  }
  return kind == Token::kHelp ? Entry::kHelp : Entry::kType;
}

absl::StatusOr<Entry> PromParser::ParseSample() {
  name_begin_ = cur_.start();
  name_end_ = cur_.pos();
  series_ = absl::string_view(body_.data() + entry_start_, name_end_ - entry_start_);
  Token t = NextIn<State::kValue>();
  if (t == Token::kBraceOpen) {
    RETURN_IF_ERROR(ParseLabels());
    series_ = absl::string_view(body_.data() + entry_start_, cur_.pos() - entry_start_);
    t = NextIn<State::kValue>();
  }
  if (t != Token::kValue) return ParseError("expected value after metric", t);
  ASSIGN_OR_RETURN(value_, internal::ParseFloat(TokenText()));
  ts_.reset();
  t = NextIn<State::kTimestamp>();
  if (t == Token::kTimestamp) {
    ASSIGN_OR_RETURN(const int64_t ts, internal::ParseDigitsInt64(TokenText()));
    ts_ = ts;
    if (t = NextIn<State::kTimestamp>(); t != Token::kLinebreak) {
      return ParseError("expected next entry after timestamp", t);
    }
  } else if (t != Token::kLinebreak) {
    return ParseError("expected timestamp or new record", t);
  }
  return Entry::kSeries;
}

absl::Status PromParser::ParseLabels() {
  Token t = NextIn<State::kLabels>();
  for (;;) {
    if (t == Token::kBraceClose) return absl::OkStatus();
    if (t != Token::kLName) return ParseError("expected label name", t);
    const size_t name_begin = cur_.start(), name_end = cur_.pos();
    if (t = NextIn<State::kLabels>(); t != Token::kEqual) return ParseError("expected equal", t);
    if (t = NextIn<State::kLValue>(); t != Token::kLValue) {
      return ParseError("expected label value", t);
    }
    if (cur_.quoted_non_ascii() && !ValidUtf8(TokenText())) {
      return absl::InvalidArgumentError("invalid UTF-8 label value");
    }
    // Strip the quotes (or, after trailing NULs, what golex takes for them).
    AddLabel(name_begin, name_end, cur_.start() + 1, cur_.pos() - 1);
    if (t = NextIn<State::kLabels>(); t == Token::kComma) {
      t = NextIn<State::kLabels>();  // a trailing comma is fine
    }
  }
}

}  // namespace argus::textparse
