#include "model/labels/matcher.h"

#include <algorithm>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/go_strconv.h"
#include "model/labels/regexp.h"
#include "re2/re2.h"

namespace argus::labels {
namespace {

bool IsLiteral(absl::string_view s) {
  for (char c : s) {
    if (std::strchr("\\.+*?()|[]{}^$", c) != nullptr) return false;
  }
  return true;
}

bool HasNewline(absl::string_view s) { return s.find('\n') != absl::string_view::npos; }

}  // namespace

absl::StatusOr<Matcher> Matcher::FromWire(int type, std::string name, std::string value) {
  if (type < 0 || type > static_cast<int>(MatchType::kRegexNoMatch)) {
    return absl::InvalidArgumentError(absl::StrCat("invalid matcher type ", type));
  }
  absl::StatusOr<Matcher> m =
      Create(static_cast<MatchType>(type), std::move(name), std::move(value));
  if (!m.ok()) return absl::InvalidArgumentError(m.status().message());
  return m;
}

absl::StatusOr<Matcher> Matcher::Create(MatchType type, std::string name, std::string value) {
  Matcher m;
  m.type_ = type;
  m.name_ = std::move(name);
  m.value_ = std::move(value);
  if (type == MatchType::kEqual) m.set_ = {m.value_};
  if (type != MatchType::kRegexMatch && type != MatchType::kRegexNoMatch) return m;

  absl::StatusOr<std::unique_ptr<const RE2>> re = CompileAnchored(m.value_);
  if (!re.ok()) return re.status();
  m.re_ = *std::move(re);
  const absl::string_view v = m.value_;
  if (v == ".*") {
    m.fast_ = Fast::kAnything;
  } else if (v == ".+") {
    m.fast_ = Fast::kNonEmpty;
  } else if (absl::EndsWith(v, ".*") && IsLiteral(v.substr(0, v.size() - 2))) {
    m.fast_ = Fast::kPrefix;
    m.prefix_ = std::string(v.substr(0, v.size() - 2));
  } else {
    std::vector<std::string> parts = absl::StrSplit(v, '|');
    if (std::all_of(parts.begin(), parts.end(), IsLiteral)) {
      std::sort(parts.begin(), parts.end());
      parts.erase(std::unique(parts.begin(), parts.end()), parts.end());
      m.fast_ = Fast::kLiteralSet;
      m.set_lookup_ =
          std::make_shared<const absl::flat_hash_set<std::string>>(parts.begin(), parts.end());
      if (type == MatchType::kRegexMatch) m.set_ = std::move(parts);
    }
  }
  return m;
}

bool Matcher::RegexMatches(absl::string_view s) const {
  switch (fast_) {
    case Fast::kLiteralSet:
      return set_lookup_->contains(s);
    case Fast::kAnything:
      return !HasNewline(s);
    case Fast::kNonEmpty:
      return !s.empty() && !HasNewline(s);
    case Fast::kPrefix:
      return absl::StartsWith(s, prefix_) && !HasNewline(s.substr(prefix_.size()));
    case Fast::kNone:
      break;
  }
  return RE2::FullMatch(re2::StringPiece(s.data(), s.size()), *re_);
}

bool Matcher::Matches(absl::string_view s) const {
  switch (type_) {
    case MatchType::kEqual:
      return s == value_;
    case MatchType::kNotEqual:
      return s != value_;
    case MatchType::kRegexMatch:
      return RegexMatches(s);
    case MatchType::kRegexNoMatch:
      return !RegexMatches(s);
  }
  return false;
}

Matcher Matcher::Inverse() const {
  Matcher m = *this;
  switch (type_) {
    case MatchType::kEqual:
      m.type_ = MatchType::kNotEqual;
      m.set_.clear();
      break;
    case MatchType::kNotEqual:
      m.type_ = MatchType::kEqual;
      m.set_ = {value_};
      break;
    case MatchType::kRegexMatch:
      m.type_ = MatchType::kRegexNoMatch;
      m.set_.clear();
      break;
    case MatchType::kRegexNoMatch:
      m.type_ = MatchType::kRegexMatch;
      if (fast_ == Fast::kLiteralSet) {
        m.set_.assign(set_lookup_->begin(), set_lookup_->end());
        std::sort(m.set_.begin(), m.set_.end());
      }
      break;
  }
  return m;
}

std::string Matcher::ToString() const {
  static const char* kOps[] = {"=", "!=", "=~", "!~"};
  return absl::StrCat(name_, kOps[static_cast<int>(type_)], GoQuote(value_));
}

}  // namespace argus::labels
