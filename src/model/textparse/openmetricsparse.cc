#include "model/textparse/openmetricsparse.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <cstring>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/go_strconv.h"
#include "base/status.h"
#include "model/textparse/internal/strconv.h"

namespace argus::textparse {

using internal::Is;
using internal::ParseError;
using internal::Token;

OpenMetricsParser::OpenMetricsParser(absl::string_view body)
    : Parser(body), cur_(body, /*virtual_newline=*/false) {}

// The automaton of openmetricslex.l, one function per start condition; see PromParser::Lex
// for the reading rules. Every caller knows the state the lexer is in.
template <OpenMetricsParser::State S>
inline Token OpenMetricsParser::NextIn() {
  assert(state_ == S);  // each call site knows the state from the token before it
  if (cur_.AtEnd()) return Token::kEOF;
  cur_.Mark();
  if constexpr (S == State::kInit) {
    return LexInit();
  } else if constexpr (S == State::kMeta1) {
    return LexMeta1();
  } else if constexpr (S == State::kMeta2) {
    return LexMeta2();
  } else if constexpr (S == State::kLabels || S == State::kExemplar) {
    return LexLabels();
  } else if constexpr (S == State::kLValue) {
    return LexLValue();
  } else if constexpr (S == State::kValue) {
    return LexValue();
  } else if constexpr (S == State::kTimestamp) {
    return LexTimestamp();
  } else if constexpr (S == State::kEValue) {
    return LexEValue();
  } else {
    static_assert(S == State::kETimestamp);
    return LexETimestamp();
  }
}

inline Token OpenMetricsParser::LexInit() {
  const unsigned char c = cur_.Peek();
  if (Is(c, internal::kMetricStart)) {
    cur_.SkipName(/*metric=*/true);
    state_ = State::kValue;
    return Token::kMName;
  }
  if (c == '#') {
    if (cur_.Advance(false) != ' ') return Token::kInvalid;
    cur_.Advance(false);
    state_ = State::kComment;
    return LexComment();
  }
  return Token::kInvalid;
}

inline Token OpenMetricsParser::LexMeta1() {
  if (!Is(cur_.Peek(), internal::kMetricStart)) return Token::kInvalid;
  cur_.SkipName(/*metric=*/true);
  state_ = State::kMeta2;
  return Token::kMName;
}

inline Token OpenMetricsParser::LexMeta2() {
  // " text\n", the newline included.
  if (cur_.Peek() != ' ') return Token::kInvalid;
  cur_.Advance(true);
  if (cur_.SkipToNewline() != '\n') return Token::kInvalid;
  cur_.Advance(true);
  state_ = State::kInit;
  return Token::kText;
}

inline Token OpenMetricsParser::LexLabels() {
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
      state_ = state_ == State::kLabels ? State::kLValue : State::kEValue;
      return Token::kEqual;
    case '}':
      cur_.Advance(false);
      state_ = state_ == State::kLabels ? State::kValue : State::kEValue;
      return Token::kBraceClose;
    default:
      return Token::kInvalid;
  }
}

inline Token OpenMetricsParser::LexLValue() {
  if (cur_.Peek() != '"' || !cur_.ScanQuoted(/*skip_nul=*/true, /*newline_ok=*/false)) {
    return Token::kInvalid;
  }
  state_ = State::kLabels;
  return Token::kLValue;
}

inline Token OpenMetricsParser::LexValue() {
  const unsigned char c = cur_.Peek();
  if (c == ' ') return LexSpacedValue(State::kTimestamp, Token::kValue);
  if (c != '{') return Token::kInvalid;
  cur_.Advance(false);
  state_ = State::kLabels;
  return Token::kBraceOpen;
}

inline Token OpenMetricsParser::LexTimestamp() {
  unsigned char c = cur_.Peek();
  if (c == '\n') {
    cur_.Advance(false);
    state_ = State::kInit;
    return Token::kLinebreak;
  }
  if (c != ' ') return Token::kInvalid;
  c = cur_.Advance(false);
  if (c == '#') {
    // " # {" starts an exemplar; " #" alone, or followed by value bytes, is a timestamp.
    c = cur_.Advance(false);
    if (c == ' ') {
      if (cur_.Advance(false) != '{') return Token::kInvalid;
      cur_.Advance(false);
      state_ = State::kExemplar;
      return Token::kComment;
    }
    cur_.SkipValue(internal::kOMValue);
    return Token::kTimestamp;
  }
  if (!Is(c, internal::kOMValue)) return Token::kInvalid;
  cur_.SkipValue(internal::kOMValue);
  return Token::kTimestamp;
}

inline Token OpenMetricsParser::LexEValue() {
  const unsigned char c = cur_.Peek();
  if (c == ' ') return LexSpacedValue(State::kETimestamp, Token::kValue);
  // Exemplar label values: NULs are not stepped over here.
  if (c != '"' || !cur_.ScanQuoted(/*skip_nul=*/false, /*newline_ok=*/false)) {
    return Token::kInvalid;
  }
  state_ = State::kExemplar;
  return Token::kLValue;
}

inline Token OpenMetricsParser::LexETimestamp() {
  const unsigned char c = cur_.Peek();
  if (c == ' ') return LexSpacedValue(State::kETimestamp, Token::kTimestamp);
  if (c != '\n') return Token::kInvalid;
  cur_.Advance(false);
  state_ = State::kInit;
  return Token::kLinebreak;
}

Token OpenMetricsParser::LexSpacedValue(State next, Token token) {
  if (!Is(cur_.Advance(false), internal::kOMValue)) return Token::kInvalid;
  cur_.SkipValue(internal::kOMValue);
  state_ = next;
  return token;
}

// After "# ": EOF (one newline may follow), or HELP, TYPE, UNIT and a space.
Token OpenMetricsParser::LexComment() {
  const unsigned char c = cur_.Peek();
  const auto keyword = [&](absl::string_view word) {
    if (cur_.LookingAt(word)) {
      cur_.Skip(word.size() - 1);  // no NULs in between: where the byte loop would stop
      return true;
    }
    for (char want : word.substr(1)) {
      if (cur_.Advance(true) != static_cast<unsigned char>(want)) return false;
    }
    return true;
  };
  Token token;
  switch (c) {
    case 'E':
      if (!keyword("EOF")) return Token::kInvalid;
      if (cur_.Advance(true) == '\n') cur_.Advance(true);
      state_ = State::kInit;
      return Token::kEOFWord;
    case 'H':
      if (!keyword("HELP ")) return Token::kInvalid;
      token = Token::kHelp;
      break;
    case 'T':
      if (!keyword("TYPE ")) return Token::kInvalid;
      token = Token::kType;
      break;
    case 'U':
      if (!keyword("UNIT ")) return Token::kInvalid;
      token = Token::kUnit;
      break;
    default:
      return Token::kInvalid;
  }
  cur_.Advance(true);
  state_ = State::kMeta1;
  return token;
}

absl::StatusOr<Entry> OpenMetricsParser::ParseEntry() {
  entry_start_ = cur_.pos();
  offsets_.clear();
  exemplar_offsets_.clear();
  has_exemplar_ = false;
  exemplar_value_ = 0;
  exemplar_ts_.reset();
  switch (const Token t = NextIn<State::kInit>(); t) {
    case Token::kEOFWord:
      if (NextIn<State::kInit>() != Token::kEOF)
        return absl::InvalidArgumentError("unexpected data after # EOF");
      return Entry::kEOF;
    case Token::kEOF:
      return absl::InvalidArgumentError("data does not end with # EOF");
    case Token::kHelp:
    case Token::kType:
    case Token::kUnit:
      return ParseMeta(t);
    case Token::kMName:
      return ParseSample();
    default: {
      // Go prints the byte under the cursor as a rune (a space past the end).
      const size_t pos = cur_.pos();
      const unsigned char b = pos < body_.size() ? static_cast<unsigned char>(body_[pos]) : ' ';
      std::string rune;
      if (b < 0x80) {
        rune.push_back(static_cast<char>(b));
      } else {
        rune.push_back(static_cast<char>(0xc0 | (b >> 6)));
        rune.push_back(static_cast<char>(0x80 | (b & 0x3f)));
      }
      return absl::InvalidArgumentError(absl::StrCat("\"", internal::TokenName(t), "\" ",
                                                     GoQuote(rune), " is not a valid start token"));
    }
  }
}

absl::StatusOr<Entry> OpenMetricsParser::ParseMeta(Token kind) {
  if (const Token t = NextIn<State::kMeta1>(); t != Token::kMName) {
    return ParseError(absl::StrCat("expected metric name after ", internal::TokenName(kind)), t);
  }
  meta_name_ = TokenText();
  if (NextIn<State::kMeta2>() != Token::kText) {
    return absl::InvalidArgumentError(absl::StrCat("expected text in ", internal::TokenName(kind)));
  }
  absl::string_view text = TokenText();  // " text\n"
  text = text.size() > 1 ? text.substr(1, text.size() - 2) : absl::string_view();
  switch (kind) {
    case Token::kType: {
      static constexpr std::pair<absl::string_view, MetricType> kTypes[] = {
          {"counter", MetricType::kCounter},     {"gauge", MetricType::kGauge},
          {"histogram", MetricType::kHistogram}, {"gaugehistogram", MetricType::kGaugeHistogram},
          {"summary", MetricType::kSummary},     {"info", MetricType::kInfo},
          {"stateset", MetricType::kStateset},   {"unknown", MetricType::kUnknown},
      };
      const auto* it = std::find_if(std::begin(kTypes), std::end(kTypes),
                                    [&](const auto& e) { return e.first == text; });
      if (it == std::end(kTypes)) {
        return absl::InvalidArgumentError(absl::StrCat("invalid metric type ", GoQuote(text)));
      }
      type_ = it->second;
      return Entry::kType;
    }
    case Token::kHelp:
      if (!ValidUtf8(text)) {
        return absl::InvalidArgumentError("help text is not a valid utf8 string");
      }
      text_ = text;
      if (!text.empty() && std::memchr(text.data(), '\\', text.size()) != nullptr) {
        help_buf_.clear();
        internal::Unescape(text, /*quotes=*/true, &help_buf_);
        text_ = help_buf_;
      }
      return Entry::kHelp;
    default: {  // kUnit
      const absl::string_view m = meta_name_;
      if (!text.empty() && (!absl::EndsWith(m, text) || m.size() < text.size() + 1 ||
                            m[m.size() - text.size() - 1] != '_')) {
        return absl::InvalidArgumentError(absl::StrCat("unit not a suffix of metric ", GoQuote(m)));
      }
      text_ = text;
      return Entry::kUnit;
    }
  }
}

template <bool kExemplar>
absl::Status OpenMetricsParser::ParseLabels(std::vector<size_t>* offsets) {
  constexpr State kNames = kExemplar ? State::kExemplar : State::kLabels;
  constexpr State kValues = kExemplar ? State::kEValue : State::kLValue;
  for (bool first = true;; first = false) {
    Token t = NextIn<kNames>();
    switch (t) {
      case Token::kBraceClose:
        return absl::OkStatus();
      case Token::kComma:
        if (first) return ParseError("expected label name or left brace", t);
        if (t = NextIn<kNames>(); t != Token::kLName) return ParseError("expected label name", t);
        break;
      case Token::kLName:
        if (!first) return ParseError("expected comma", t);
        break;
      default:
        return ParseError(
            first ? "expected label name or left brace" : "expected comma or left brace", t);
    }
    const size_t name_begin = cur_.start(), name_end = cur_.pos();
    if (t = NextIn<kNames>(); t != Token::kEqual) return ParseError("expected equal", t);
    if (t = NextIn<kValues>(); t != Token::kLValue) return ParseError("expected label value", t);
    if (cur_.quoted_non_ascii() && !ValidUtf8(TokenText())) {
      return absl::InvalidArgumentError("invalid UTF-8 label value");
    }
    offsets->insert(offsets->end(), {name_begin, name_end, cur_.start() + 1, cur_.pos() - 1});
  }
}

absl::StatusOr<Entry> OpenMetricsParser::ParseSample() {
  name_begin_ = cur_.start();
  name_end_ = cur_.pos();
  series_ = absl::string_view(body_.data() + entry_start_, name_end_ - entry_start_);
  Token t = NextIn<State::kValue>();
  if (t == Token::kBraceOpen) {
    RETURN_IF_ERROR(ParseLabels</*kExemplar=*/false>(&offsets_));
    series_ = absl::string_view(body_.data() + entry_start_, cur_.pos() - entry_start_);
    t = NextIn<State::kValue>();
  }
  ASSIGN_OR_RETURN(value_, ParseValue(t, "metric"));
  ts_.reset();
  switch (t = NextIn<State::kTimestamp>(); t) {
    case Token::kEOF:
      return absl::InvalidArgumentError("data does not end with # EOF");
    case Token::kLinebreak:
      break;
    case Token::kComment:
      RETURN_IF_ERROR(ParseExemplar());
      break;
    case Token::kTimestamp: {
      ASSIGN_OR_RETURN(ts_, ParseTimestamp("invalid timestamp"));
      if (t = NextIn<State::kTimestamp>(); t == Token::kComment) {
        RETURN_IF_ERROR(ParseExemplar());
      } else if (t != Token::kLinebreak) {
        return ParseError("expected next entry after timestamp", t);
      }
      break;
    }
    default:
      return ParseError("expected timestamp or # symbol", t);
  }
  return Entry::kSeries;
}

absl::Status OpenMetricsParser::ParseExemplar() {
  const absl::string_view name = body_.substr(name_begin_, name_end_ - name_begin_);
  if (!absl::EndsWith(name, "_total") && !absl::EndsWith(name, "_bucket")) {
    return absl::InvalidArgumentError(
        absl::StrCat("metric name ", name, " does not support exemplars"));
  }
  RETURN_IF_ERROR(ParseLabels</*kExemplar=*/true>(&exemplar_offsets_));
  ASSIGN_OR_RETURN(exemplar_value_, ParseValue(NextIn<State::kEValue>(), "exemplar labels"));
  switch (const Token t = NextIn<State::kETimestamp>(); t) {
    case Token::kEOF:
      return absl::InvalidArgumentError("data does not end with # EOF");
    case Token::kLinebreak:
      break;
    case Token::kTimestamp: {
      ASSIGN_OR_RETURN(exemplar_ts_, ParseTimestamp("invalid exemplar timestamp"));
      if (const Token t2 = NextIn<State::kETimestamp>(); t2 != Token::kLinebreak) {
        return ParseError("expected next entry after exemplar timestamp", t2);
      }
      break;
    }
    default:
      return ParseError("expected timestamp or comment", t);
  }
  has_exemplar_ = true;
  return absl::OkStatus();
}

absl::StatusOr<double> OpenMetricsParser::ParseValue(Token t, absl::string_view after) {
  if (t != Token::kValue) return ParseError(absl::StrCat("expected value after ", after), t);
  return internal::ParseFloat(TokenText().substr(1));  // past the leading space
}

absl::StatusOr<int64_t> OpenMetricsParser::ParseTimestamp(absl::string_view invalid_message) {
  ASSIGN_OR_RETURN(const double seconds, internal::ParseFloat(TokenText().substr(1)));
  if (std::isnan(seconds) || std::isinf(seconds)) {
    return absl::InvalidArgumentError(invalid_message);
  }
  return GoFloatToInt64(seconds * 1000);
}

}  // namespace argus::textparse
