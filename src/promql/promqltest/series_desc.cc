#include "promql/promqltest/series_desc.h"

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "base/status.h"
#include "model/labels/selector.h"
#include "model/value.h"
#include "promql/promqltest/go_number.h"

namespace argus::promql::promqltest {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool IsAlpha(char c) { return c == '_' || absl::ascii_isalpha(static_cast<unsigned char>(c)); }
bool IsAlnum(char c) { return IsAlpha(c) || absl::ascii_isdigit(static_cast<unsigned char>(c)); }

absl::Status ErrorAt(size_t pos, absl::string_view what) {
  return absl::InvalidArgumentError(absl::StrCat("col ", pos + 1, ": ", what));
}

// A cursor over the line.
class Scanner {
 public:
  explicit Scanner(absl::string_view s) : s_(s) {}
  bool Done() const { return i_ >= s_.size(); }
  char Peek() const { return Done() ? '\0' : s_[i_]; }
  size_t pos() const { return i_; }
  void Advance(size_t n = 1) { i_ += n; }
  void SkipSpaces() {
    while (!Done() && IsSpace(s_[i_])) ++i_;
  }
  // [a-zA-Z_][a-zA-Z0-9_]* plus ':' when `colons`.
  absl::string_view Identifier(bool colons) {
    size_t start = i_;
    while (!Done() && (IsAlnum(s_[i_]) || (colons && s_[i_] == ':'))) ++i_;
    return s_.substr(start, i_ - start);
  }
  // A quoted Go string starting at the cursor ("...", '...' with backslash escapes, `...`
  // raw), quotes included; empty when unterminated.
  absl::string_view QuotedString() {
    const size_t start = i_;
    const char quote = s_[i_++];
    while (!Done()) {
      char c = s_[i_++];
      if (c == quote) return s_.substr(start, i_ - start);
      if (c == '\\' && quote != '`') ++i_;
    }
    return {};
  }

 private:
  absl::string_view s_;
  size_t i_ = 0;
};

// `{name="value", ...}` at the cursor (which is on '{'); appends to `out`.
absl::Status ParseLabelSet(Scanner& sc, std::vector<labels::Label>& out) {
  sc.Advance();  // '{'
  while (true) {
    sc.SkipSpaces();
    if (sc.Peek() == '}') break;
    if (!IsAlpha(sc.Peek())) return ErrorAt(sc.pos(), "expected a label name or \"}\"");
    std::string name(sc.Identifier(/*colons=*/false));
    sc.SkipSpaces();
    if (sc.Peek() != '=') return ErrorAt(sc.pos(), "expected \"=\" after the label name");
    sc.Advance();
    if (sc.Peek() == '~') return ErrorAt(sc.pos(), "a series has labels, not matchers");
    sc.SkipSpaces();
    const char q = sc.Peek();
    if (q != '"' && q != '\'' && q != '`') return ErrorAt(sc.pos(), "expected a quoted value");
    const size_t value_pos = sc.pos();
    absl::string_view quoted = sc.QuotedString();
    if (quoted.empty()) return ErrorAt(value_pos, "unterminated quoted string");
    absl::StatusOr<std::string> value = labels::UnquoteGoString(quoted);
    if (!value.ok()) return ErrorAt(value_pos, value.status().message());
    out.push_back({std::move(name), *std::move(value)});
    sc.SkipSpaces();
    if (sc.Peek() == ',') {
      sc.Advance();
      continue;
    }
    if (sc.Peek() != '}') return ErrorAt(sc.pos(), "expected \",\" or \"}\"");
  }
  sc.Advance();  // '}'
  return absl::OkStatus();
}

// The tokens of one sequence item, as Prometheus's series lexer splits it.
enum class Tok { kAdd, kSub, kTimes, kBlank, kNumber, kIdent };
struct Token {
  Tok tok;
  absl::string_view text;
};

// Splits one white-space-free item ("0+10x3") into tokens. A number is digits[.digits]
// [e[+-]digits] and may only be followed by a non-alphanumeric or by 'x'; letters start an
// identifier (Inf and NaN are numbers).
absl::StatusOr<std::vector<Token>> LexItem(absl::string_view item, size_t offset) {
  std::vector<Token> out;
  size_t i = 0;
  auto digits = [&] {
    while (i < item.size() && absl::ascii_isdigit(static_cast<unsigned char>(item[i]))) ++i;
  };
  while (i < item.size()) {
    const size_t start = i;
    const char c = item[i];
    if (c == '+' || c == '-' || c == 'x' || c == '_') {
      out.push_back({c == '+'   ? Tok::kAdd
                     : c == '-' ? Tok::kSub
                     : c == 'x' ? Tok::kTimes
                                : Tok::kBlank,
                     item.substr(i, 1)});
      ++i;
    } else if (absl::ascii_isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && i + 1 < item.size() &&
                absl::ascii_isdigit(static_cast<unsigned char>(item[i + 1])))) {
      digits();
      if (i < item.size() && item[i] == '.') {
        ++i;
        digits();
      }
      if (i < item.size() && (item[i] == 'e' || item[i] == 'E')) {
        ++i;
        if (i < item.size() && (item[i] == '+' || item[i] == '-')) ++i;
        digits();
      }
      if (i < item.size() && item[i] != 'x' && IsAlnum(item[i])) {
        return ErrorAt(offset + start, absl::StrCat("bad number syntax in \"", item, "\""));
      }
      out.push_back({Tok::kNumber, item.substr(start, i - start)});
    } else if (IsAlpha(c)) {
      while (i < item.size() && (IsAlnum(item[i]) || item[i] == ':')) ++i;
      absl::string_view word = item.substr(start, i - start);
      const bool special =
          absl::EqualsIgnoreCase(word, "inf") || absl::EqualsIgnoreCase(word, "nan");
      out.push_back({special ? Tok::kNumber : Tok::kIdent, word});
    } else {
      return ErrorAt(offset + start, absl::StrCat("unexpected character in series values: '",
                                                  item.substr(i, 1), "'"));
    }
  }
  return out;
}

// Appends the values of one item ("_", "_x3", "1", "-2", "stale", "1x3", "1+2x3").
absl::Status ParseItem(absl::string_view item, size_t offset, std::vector<SequenceValue>& out) {
  ASSIGN_OR_RETURN(std::vector<Token> toks, LexItem(item, offset));
  auto bad = [&](absl::string_view why) {
    return ErrorAt(offset, absl::StrCat("invalid series value \"", item, "\": ", why));
  };
  auto repetitions = [&](const Token& t) -> absl::StatusOr<uint64_t> {
    uint64_t n = 0;
    if (t.tok != Tok::kNumber || !absl::SimpleAtoi(t.text, &n) ||
        !absl::ascii_isdigit(static_cast<unsigned char>(t.text[0]))) {
      return bad("invalid repetition count");
    }
    return n;
  };
  size_t i = 0;
  if (toks[0].tok == Tok::kBlank) {
    if (toks.size() == 1) {
      out.push_back({0, true});
      return absl::OkStatus();
    }
    if (toks.size() != 3 || toks[1].tok != Tok::kTimes) return bad("expected _ or _xN");
    ASSIGN_OR_RETURN(uint64_t n, repetitions(toks[2]));
    out.insert(out.end(), n, SequenceValue{0, true});
    return absl::OkStatus();
  }
  // A (possibly signed) number, or `stale`, at toks[i]; advances i.
  auto value = [&]() -> absl::StatusOr<double> {
    if (i < toks.size() && toks[i].tok == Tok::kIdent) {
      if (toks[i].text != "stale") return bad("expected a number or \"stale\"");
      ++i;
      return model::StaleNaN();
    }
    double sign = 1;
    if (i < toks.size() && (toks[i].tok == Tok::kAdd || toks[i].tok == Tok::kSub)) {
      sign = toks[i].tok == Tok::kSub ? -1 : 1;
      ++i;
    }
    if (i >= toks.size() || toks[i].tok != Tok::kNumber) return bad("expected a number");
    ASSIGN_OR_RETURN(double v, ParseGoNumber(toks[i].text));
    ++i;
    return sign * v;
  };
  ASSIGN_OR_RETURN(double first, value());
  if (i == toks.size()) {
    out.push_back({first, false});
    return absl::OkStatus();
  }
  double delta = 0;
  if (toks[i].tok == Tok::kAdd || toks[i].tok == Tok::kSub) {
    ASSIGN_OR_RETURN(delta, value());
  }
  if (i + 2 != toks.size() || toks[i].tok != Tok::kTimes) return bad("expected xN");
  ASSIGN_OR_RETURN(uint64_t n, repetitions(toks[i + 1]));
  for (uint64_t k = 0; k <= n; ++k) {
    out.push_back({first, false});
    first += delta;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<SeriesDesc> ParseSeriesDesc(absl::string_view line) {
  Scanner sc(line);
  std::vector<labels::Label> lset;
  std::string name;
  if (IsAlpha(sc.Peek()) || sc.Peek() == ':') {
    name = std::string(sc.Identifier(/*colons=*/true));
    if (absl::EqualsIgnoreCase(name, "inf") || absl::EqualsIgnoreCase(name, "nan")) {
      return ErrorAt(0, "expected a metric name or a label set");
    }
  } else if (sc.Peek() != '{') {
    return ErrorAt(0, "expected a metric name or a label set");
  }
  if (sc.Peek() == '{') RETURN_IF_ERROR(ParseLabelSet(sc, lset));
  if (!name.empty()) lset.push_back({labels::kMetricName, name});  // the name wins
  SeriesDesc desc;
  desc.metric = labels::Labels::FromUnsorted(std::move(lset));
  if (!sc.Done() && !IsSpace(sc.Peek())) {
    return ErrorAt(sc.pos(), "expected white space before the values");
  }
  while (true) {
    sc.SkipSpaces();
    if (sc.Done()) break;
    const size_t start = sc.pos();
    while (!sc.Done() && !IsSpace(sc.Peek())) sc.Advance();
    RETURN_IF_ERROR(ParseItem(line.substr(start, sc.pos() - start), start, desc.values));
  }
  return desc;
}

}  // namespace argus::promql::promqltest
