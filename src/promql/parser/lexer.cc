#include "promql/parser/lexer.h"

#include <cstdint>
#include <optional>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/go_strconv.h"

namespace argus::promql::parser {
namespace {

constexpr char32_t kEofRune = static_cast<char32_t>(-1);

bool IsSpace(char32_t r) { return r == ' ' || r == '\t' || r == '\n' || r == '\r'; }
bool IsDigit(char32_t r) { return r >= '0' && r <= '9'; }
bool IsAlpha(char32_t r) { return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'); }
bool IsAlphaNumeric(char32_t r) { return IsAlpha(r) || IsDigit(r); }

// fmt's %#U: "U+0071 'q'" (the character only when printable).
std::string GoRuneU(char32_t r) {
  std::string s = absl::StrFormat("U+%04X", static_cast<uint32_t>(r));
  if (GoIsPrint(r)) {
    s += " '";
    AppendUtf8(r, &s);
    s += "'";
  }
  return s;
}

int DigitVal(char32_t ch) {
  if (ch >= '0' && ch <= '9') return static_cast<int>(ch - '0');
  if (ch >= 'a' && ch <= 'f') return static_cast<int>(ch - 'a' + 10);
  if (ch >= 'A' && ch <= 'F') return static_cast<int>(ch - 'A' + 10);
  return 16;
}

struct Keyword {
  absl::string_view word;
  ItemType type;
};
constexpr Keyword kKeywords[] = {
    {"and", ItemType::kLand},
    {"or", ItemType::kLor},
    {"unless", ItemType::kLunless},
    {"atan2", ItemType::kAtan2},
    {"sum", ItemType::kSum},
    {"avg", ItemType::kAvg},
    {"count", ItemType::kCount},
    {"min", ItemType::kMin},
    {"max", ItemType::kMax},
    {"group", ItemType::kGroup},
    {"stddev", ItemType::kStddev},
    {"stdvar", ItemType::kStdvar},
    {"topk", ItemType::kTopk},
    {"bottomk", ItemType::kBottomk},
    {"count_values", ItemType::kCountValues},
    {"quantile", ItemType::kQuantile},
    {"offset", ItemType::kOffset},
    {"by", ItemType::kBy},
    {"without", ItemType::kWithout},
    {"on", ItemType::kOn},
    {"ignoring", ItemType::kIgnoring},
    {"group_left", ItemType::kGroupLeft},
    {"group_right", ItemType::kGroupRight},
    {"bool", ItemType::kBool},
    {"start", ItemType::kStart},
    {"end", ItemType::kEnd},
    {"inf", ItemType::kNumber},
    {"nan", ItemType::kNumber},
};

}  // namespace

char32_t Lexer::NextRune() {
  if (pos_ >= static_cast<int>(input_.size())) {
    width_ = 0;
    return kEofRune;
  }
  const char32_t r = DecodeRune(input_.substr(pos_), &width_);
  pos_ += width_;
  return r;
}

char32_t Lexer::PeekRune() {
  const char32_t r = NextRune();
  Backup();
  return r;
}

bool Lexer::Accept(absl::string_view valid) {
  const char32_t r = NextRune();
  if (r < 0x80 && absl::StrContains(valid, static_cast<char>(r))) return true;
  Backup();
  return false;
}

void Lexer::AcceptRun(absl::string_view valid) {
  while (Accept(valid)) {
  }
}

void Lexer::SkipSpaces() {
  while (IsSpace(PeekRune())) NextRune();
  start_ = pos_;
}

Item Lexer::Emit(ItemType t) {
  Item item{t, start_, input_.substr(start_, pos_ - start_)};
  start_ = pos_;
  return item;
}

Item Lexer::Errorf(std::string msg) {
  error_ = std::move(msg);
  state_ = State::kDone;
  return Item{ItemType::kError, start_, error_};
}

Item Lexer::Next() {
  for (;;) {
    std::optional<Item> item;
    switch (state_) {
      case State::kDone:
        return Item{ItemType::kEOF, static_cast<int>(input_.size()), {}};
      case State::kInsideBraces:
        item = LexInsideBraces();
        break;
      case State::kStatements:
        item = LexStatements();
        break;
      case State::kDuration:
        state_ = State::kStatements;
        item = LexDuration();
        break;
    }
    if (item.has_value()) return *item;
  }
}

std::optional<Item> Lexer::LexStatements() {
  if (absl::StartsWith(input_.substr(pos_), "#")) return LexLineComment();
  const char32_t r = NextRune();
  switch (r) {
    case kEofRune:
      if (paren_depth_ != 0) return Errorf("unclosed left parenthesis");
      if (bracket_open_) return Errorf("unclosed left bracket");
      state_ = State::kDone;
      return Emit(ItemType::kEOF);
    case ',':
      return Emit(ItemType::kComma);
    case ' ':
    case '\t':
    case '\n':
    case '\r':
      SkipSpaces();
      return std::nullopt;
    case '*':
      return Emit(ItemType::kMul);
    case '/':
      return Emit(ItemType::kDiv);
    case '%':
      return Emit(ItemType::kMod);
    case '+':
      return Emit(ItemType::kAdd);
    case '-':
      return Emit(ItemType::kSub);
    case '^':
      return Emit(ItemType::kPow);
    case '=': {
      const char32_t t = PeekRune();
      if (t == '=') {
        NextRune();
        return Emit(ItemType::kEqlc);
      }
      if (t == '~') return Errorf("unexpected character after '=': " + GoQuoteRune(t));
      return Emit(ItemType::kEql);
    }
    case '!': {
      const char32_t t = NextRune();
      if (t == '=') return Emit(ItemType::kNeq);
      return Errorf("unexpected character after '!': " + GoQuoteRune(t));
    }
    case '<':
      if (PeekRune() == '=') {
        NextRune();
        return Emit(ItemType::kLte);
      }
      return Emit(ItemType::kLss);
    case '>':
      if (PeekRune() == '=') {
        NextRune();
        return Emit(ItemType::kGte);
      }
      return Emit(ItemType::kGtr);
    case '"':
    case '\'':
      return LexString(r);
    case '`':
      return LexRawString();
    case '(':
      ++paren_depth_;
      return Emit(ItemType::kLeftParen);
    case ')': {
      Item item = Emit(ItemType::kRightParen);
      if (--paren_depth_ < 0) return Errorf("unexpected right parenthesis ')'");
      return item;
    }
    case '{':
      state_ = State::kInsideBraces;
      return Emit(ItemType::kLeftBrace);
    case '[': {
      if (bracket_open_) return Errorf("unexpected left bracket '['");
      got_colon_ = false;
      Item item = Emit(ItemType::kLeftBracket);
      if (IsSpace(PeekRune())) SkipSpaces();
      bracket_open_ = true;
      state_ = State::kDuration;
      return item;
    }
    case ']':
      if (!bracket_open_) return Errorf("unexpected right bracket ']'");
      bracket_open_ = false;
      return Emit(ItemType::kRightBracket);
    case '@':
      return Emit(ItemType::kAt);
    default:
      break;
  }
  if (IsDigit(r) || (r == '.' && IsDigit(PeekRune()))) {
    Backup();
    return LexNumberOrDuration();
  }
  if (IsAlpha(r) || r == ':') {
    if (!bracket_open_) {
      Backup();
      return LexKeywordOrIdentifier();
    }
    if (got_colon_) return Errorf("unexpected colon " + GoQuoteRune(r));
    got_colon_ = true;
    return Emit(ItemType::kColon);
  }
  return Errorf("unexpected character: " + GoQuoteRune(r));
}

std::optional<Item> Lexer::LexInsideBraces() {
  if (absl::StartsWith(input_.substr(pos_), "#")) return LexLineComment();
  const char32_t r = NextRune();
  switch (r) {
    case kEofRune:
      return Errorf("unexpected end of input inside braces");
    case ' ':
    case '\t':
    case '\n':
    case '\r':
      // lex.go returns to lexStatements after spaces, which sends it straight back here.
      SkipSpaces();
      return std::nullopt;
    case ',':
      return Emit(ItemType::kComma);
    case '"':
    case '\'':
      return LexString(r);
    case '`':
      return LexRawString();
    case '=':
      if (NextRune() == '~') return Emit(ItemType::kEqlRegex);
      Backup();
      return Emit(ItemType::kEql);
    case '!': {
      const char32_t nr = NextRune();
      if (nr == '~') return Emit(ItemType::kNeqRegex);
      if (nr == '=') return Emit(ItemType::kNeq);
      return Errorf("unexpected character after '!' inside braces: " + GoQuoteRune(nr));
    }
    case '{':
      return Errorf("unexpected left brace '{'");
    case '}':
      state_ = State::kStatements;
      return Emit(ItemType::kRightBrace);
    default:
      break;
  }
  if (IsAlpha(r)) {
    while (IsAlphaNumeric(NextRune())) {
    }
    Backup();
    return Emit(ItemType::kIdentifier);
  }
  return Errorf("unexpected character inside braces: " + GoQuoteRune(r));
}

Item Lexer::LexString(char32_t quote) {
  for (;;) {
    const char32_t r = NextRune();
    if (r == '\\') {
      if (std::optional<Item> err = LexEscape(quote)) return *err;
      continue;
    }
    if (r == kRuneError) return Errorf("invalid UTF-8 rune");
    if (r == kEofRune || r == '\n') return Errorf("unterminated quoted string");
    if (r == quote) break;
  }
  return Emit(ItemType::kString);
}

Item Lexer::LexRawString() {
  for (;;) {
    const char32_t r = NextRune();
    if (r == kRuneError) return Errorf("invalid UTF-8 rune");
    if (r == kEofRune) return Errorf("unterminated raw string");
    if (r == '`') break;
  }
  return Emit(ItemType::kString);
}

std::optional<Item> Lexer::LexEscape(char32_t quote) {
  char32_t ch = NextRune();
  int n;
  uint32_t base, max;
  switch (ch) {
    case 'a':
    case 'b':
    case 'f':
    case 'n':
    case 'r':
    case 't':
    case 'v':
    case '\\':
      return std::nullopt;
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7':
      n = 3, base = 8, max = 255;
      break;
    case 'x':
      ch = NextRune();
      n = 2, base = 16, max = 255;
      break;
    case 'u':
      ch = NextRune();
      n = 4, base = 16, max = 0x10FFFF;
      break;
    case 'U':
      ch = NextRune();
      n = 8, base = 16, max = 0x10FFFF;
      break;
    case kEofRune:
      return Errorf("escape sequence not terminated");
    default:
      if (ch == quote) return std::nullopt;
      return Errorf("unknown escape sequence " + GoRuneU(ch));
  }
  uint32_t x = 0;
  while (n > 0) {
    const auto d = static_cast<uint32_t>(DigitVal(ch));
    if (d >= base) {
      if (ch == kEofRune) return Errorf("escape sequence not terminated");
      return Errorf("illegal character " + GoRuneU(ch) + " in escape sequence");
    }
    x = x * base + d;
    if (--n > 0) ch = NextRune();
  }
  if (x > max || (x >= 0xD800 && x < 0xE000)) {
    return Errorf("escape sequence is an invalid Unicode code point");
  }
  return std::nullopt;
}

Item Lexer::LexLineComment() {
  pos_ += 1;
  char32_t r = NextRune();
  while (r != '\r' && r != '\n' && r != kEofRune) r = NextRune();
  Backup();
  return Emit(ItemType::kComment);
}

bool Lexer::ScanNumber() {
  absl::string_view digits = "0123456789";
  if (Accept("0") && Accept("xX")) digits = "0123456789abcdefABCDEF";
  AcceptRun(digits);
  if (Accept(".")) AcceptRun(digits);
  if (Accept("eE")) {
    Accept("+-");
    AcceptRun("0123456789");
  }
  return !IsAlphaNumeric(PeekRune());
}

bool Lexer::AcceptRemainingDuration() {
  if (!Accept("smhdwy")) return false;
  Accept("s");  // "ms"
  while (Accept("0123456789")) {
    AcceptRun("0123456789");
    if (!Accept("smhdw")) return false;
    Accept("s");
  }
  return !IsAlphaNumeric(NextRune());
}

Item Lexer::LexDuration() {
  if (ScanNumber()) return Errorf("missing unit character in duration");
  if (!AcceptRemainingDuration()) {
    return Errorf("bad duration syntax: " + GoQuote(input_.substr(start_, pos_ - start_)));
  }
  Backup();
  return Emit(ItemType::kDuration);
}

Item Lexer::LexNumberOrDuration() {
  if (ScanNumber()) return Emit(ItemType::kNumber);
  if (AcceptRemainingDuration()) {
    Backup();
    return Emit(ItemType::kDuration);
  }
  return Errorf("bad number or duration syntax: " + GoQuote(input_.substr(start_, pos_ - start_)));
}

Item Lexer::LexKeywordOrIdentifier() {
  char32_t r;
  do {
    r = NextRune();
  } while (IsAlphaNumeric(r) || r == ':');
  Backup();
  const absl::string_view word = input_.substr(start_, pos_ - start_);
  for (const Keyword& k : kKeywords) {
    if (absl::EqualsIgnoreCase(k.word, word)) return Emit(k.type);
  }
  return Emit(absl::StrContains(word, ':') ? ItemType::kMetricIdentifier : ItemType::kIdentifier);
}

}  // namespace argus::promql::parser
