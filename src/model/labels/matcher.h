// Label matchers (=, !=, =~, !~) as Prometheus's model/labels v2.42 defines them: regexes are
// RE2 with Go's default flags, fully anchored (`^(?:re)$`), so `.` does not match a newline.
// Literal and literal-alternation regexes ("a|b|c") and `prefix.*` skip the regex engine.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace re2 {
class RE2;
}

namespace argus::labels {

enum class MatchType { kEqual, kNotEqual, kRegexMatch, kRegexNoMatch };

// Immutable after construction; thread-safe. Cheap to copy (the compiled regex is shared).
class Matcher {
 public:
  // Errors: as labels.NewMatcher, the regexp package's InvalidArgument (`error parsing regexp:
  // ...`) when the regex does not compile.
  static absl::StatusOr<Matcher> Create(MatchType type, std::string name, std::string value);
  // A matcher in the wire form of Prometheus's and Thanos's protobufs, whose LabelMatcher.Type
  // numbers EQ, NEQ, RE, NRE as 0..3. Errors: InvalidArgument for another type or a regex that
  // does not compile.
  static absl::StatusOr<Matcher> FromWire(int type, std::string name, std::string value);

  MatchType type() const { return type_; }
  const std::string& name() const { return name_; }
  const std::string& value() const { return value_; }

  bool Matches(absl::string_view s) const;
  // The matcher selecting exactly the values this one rejects (= <-> !=, =~ <-> !~).
  Matcher Inverse() const;
  // For = and for =~ whose regex is a literal or an alternation of literals: the only values
  // that can match (sorted). Empty otherwise; lets the index look values up instead of scanning.
  const std::vector<std::string>& SetMatches() const { return set_; }
  // `name="value"` with the operator and a Go-quoted value, as Prometheus prints it.
  std::string ToString() const;

 private:
  Matcher() = default;
  bool RegexMatches(absl::string_view s) const;

  MatchType type_ = MatchType::kEqual;
  std::string name_;
  std::string value_;
  // Regex matchers only: one of the fast paths below, else the compiled regex.
  enum class Fast { kNone, kLiteralSet, kAnything, kNonEmpty, kPrefix } fast_ = Fast::kNone;
  std::vector<std::string> set_;
  std::shared_ptr<const absl::flat_hash_set<std::string>> set_lookup_;
  std::string prefix_;
  std::shared_ptr<const re2::RE2> re_;
};

// True when every matcher matches the corresponding label value of `lset` ("" when absent).
template <typename LabelsT>
bool MatchesAll(const std::vector<Matcher>& ms, const LabelsT& lset) {
  for (const Matcher& m : ms) {
    if (!m.Matches(lset.Get(m.name()))) return false;
  }
  return true;
}

}  // namespace argus::labels
