#include "model/labels/selector.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/go_strconv.h"
#include "base/status.h"

namespace argus::labels {
namespace {

bool NameStart(char c) { return absl::ascii_isalpha(c) || c == '_' || c == ':'; }
bool NameChar(char c) { return absl::ascii_isalnum(c) || c == '_' || c == ':'; }

class SelectorParser {
 public:
  explicit SelectorParser(absl::string_view s) : s_(s) {}

  absl::StatusOr<std::vector<Matcher>> Parse() {
    std::vector<Matcher> out;
    Skip();
    if (pos_ < s_.size() && NameStart(s_[pos_])) {
      std::string name = Name(/*metric=*/true);
      ASSIGN_OR_RETURN(Matcher m, Matcher::Create(MatchType::kEqual, "__name__", std::move(name)));
      out.push_back(std::move(m));
      Skip();
    }
    if (pos_ < s_.size() && s_[pos_] == '{') {
      ++pos_;
      while (true) {
        Skip();
        if (pos_ < s_.size() && s_[pos_] == '}') break;
        if (pos_ >= s_.size() || !NameStart(s_[pos_]) || s_[pos_] == ':') {
          return Error("a label name");
        }
        std::string name = Name(/*metric=*/false);
        Skip();
        ASSIGN_OR_RETURN(MatchType type, Op());
        Skip();
        ASSIGN_OR_RETURN(std::string value, Value());
        absl::StatusOr<Matcher> m = Matcher::Create(type, std::move(name), value);
        if (!m.ok()) {
          return absl::InvalidArgumentError(
              absl::StrCat("selector ", s_, ": invalid regular expression ", GoQuote(value), ": ",
                           m.status().message()));
        }
        out.push_back(*std::move(m));
        Skip();
        if (pos_ < s_.size() && s_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (pos_ < s_.size() && s_[pos_] == '}') break;
        return Error("\",\" or \"}\"");
      }
      ++pos_;
      Skip();
    }
    if (pos_ != s_.size()) return Error("the end of the selector");
    if (out.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("selector ", s_, ": a selector needs at least one matcher"));
    }
    return out;
  }

 private:
  void Skip() {
    while (pos_ < s_.size() && absl::ascii_isspace(s_[pos_])) ++pos_;
  }
  std::string Name(bool metric) {
    const size_t start = pos_;
    while (pos_ < s_.size() && NameChar(s_[pos_]) && (metric || s_[pos_] != ':')) ++pos_;
    return std::string(s_.substr(start, pos_ - start));
  }
  absl::StatusOr<MatchType> Op() {
    const absl::string_view rest = s_.substr(pos_);
    for (auto [text, type] :
         {std::pair{"=~", MatchType::kRegexMatch}, std::pair{"!~", MatchType::kRegexNoMatch},
          std::pair{"!=", MatchType::kNotEqual}, std::pair{"=", MatchType::kEqual}}) {
      if (absl::StartsWith(rest, text)) {
        pos_ += absl::string_view(text).size();
        return type;
      }
    }
    return Error("a match operator (=, !=, =~, !~)");
  }
  absl::StatusOr<std::string> Value() {
    if (pos_ >= s_.size() || (s_[pos_] != '"' && s_[pos_] != '\'' && s_[pos_] != '`')) {
      return Error("a quoted string");
    }
    const char q = s_[pos_];
    size_t end = pos_ + 1;
    while (end < s_.size() && s_[end] != q) end += (s_[end] == '\\' && q != '`') ? 2 : 1;
    if (end >= s_.size()) return Error("a closing quote");
    absl::StatusOr<std::string> v = UnquoteGoString(s_.substr(pos_, end + 1 - pos_));
    if (!v.ok()) return Annotate(v.status(), absl::StrCat("selector ", s_));
    pos_ = end + 1;
    return v;
  }
  absl::Status Error(absl::string_view want) const {
    return absl::InvalidArgumentError(
        absl::StrCat("selector ", s_, ": expected ", want, " at position ", pos_));
  }

  absl::string_view s_;
  size_t pos_ = 0;
};

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

absl::StatusOr<std::vector<Matcher>> ParseSelector(absl::string_view text) {
  return SelectorParser(text).Parse();
}

absl::StatusOr<std::string> UnquoteGoString(absl::string_view quoted) {
  auto bad = [&] {
    return absl::InvalidArgumentError(absl::StrCat("invalid string literal ", quoted));
  };
  if (quoted.size() < 2 || quoted.front() != quoted.back()) return bad();
  const char q = quoted.front();
  absl::string_view body = quoted.substr(1, quoted.size() - 2);
  if (q == '`') {
    if (body.find('`') != absl::string_view::npos) return bad();
    return std::string(body);
  }
  if (q != '"' && q != '\'') return bad();
  std::string out;
  for (size_t i = 0; i < body.size(); ++i) {
    const char c = body[i];
    if (c == q || c == '\n') return bad();
    if (c != '\\') {
      out.push_back(c);
      continue;
    }
    if (++i >= body.size()) return bad();
    const char e = body[i];
    switch (e) {
      case 'a':
        out.push_back('\a');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'v':
        out.push_back('\v');
        break;
      case '\\':
        out.push_back('\\');
        break;
      case '"':
      case '\'':
        if (e != q) return bad();
        out.push_back(e);
        break;
      case 'x':
      case 'u':
      case 'U': {
        const size_t n = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        uint32_t v = 0;
        for (size_t k = 1; k <= n; ++k) {
          if (i + k >= body.size()) return bad();
          const int h = HexValue(body[i + k]);
          if (h < 0) return bad();
          v = v * 16 + static_cast<uint32_t>(h);
        }
        i += n;
        if (e == 'x') {
          out.push_back(static_cast<char>(v));
        } else {
          if (v > 0x10FFFF || (v >= 0xD800 && v < 0xE000)) return bad();
          AppendUtf8(v, &out);
        }
        break;
      }
      default: {
        if (e < '0' || e > '7' || i + 2 >= body.size()) return bad();
        uint32_t v = 0;
        for (size_t k = 0; k < 3; ++k) {
          const char d = body[i + k];
          if (d < '0' || d > '7') return bad();
          v = v * 8 + static_cast<uint32_t>(d - '0');
        }
        if (v > 255) return bad();
        out.push_back(static_cast<char>(v));
        i += 2;
      }
    }
  }
  return out;
}

}  // namespace argus::labels
