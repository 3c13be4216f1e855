// Replacement templates as Go's Regexp.Expand reads them, parsed once per rule.
#pragma once

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "re2/re2.h"

namespace argus::relabel::internal {

// A template such as "${1}-$name": "$$" is a literal "$"; "$n", "${n}", "$name" and "${name}"
// refer to a submatch, where a name is the longest run of Unicode letters, digits and '_' (so
// "$1x" names the group "1x"); a reference to a group the regex lacks expands to nothing; a
// malformed reference ("$", "${x", "$-") leaves its "$" as text. Immutable, thread-safe.
class Template {
 public:
  // Parses `tmpl` against the groups of `re`, which need not outlive the Template.
  Template(absl::string_view tmpl, const RE2& re);

  // How many submatches (group 0 included) Expand reads.
  int groups_needed() const { return groups_needed_; }

  // Appends the expansion to `out`. REQUIRES: `groups` holds groups_needed() submatches as
  // RE2::Match fills them (a null data() for a group that did not participate).
  void Expand(const re2::StringPiece* groups, std::string* out) const;

 private:
  struct Piece {
    std::string text;  // literal text, before the group
    int group;         // submatch index, or -1 for none
  };
  std::vector<Piece> pieces_;
  int groups_needed_ = 0;
};

}  // namespace argus::relabel::internal
