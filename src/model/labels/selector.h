// Series selectors as promtool's --match flags take them: `metric`, `{a="b"}` or
// `metric{a=~"x|y", b!=''}`, with double-, single- or back-quoted values (Go string syntax).
// The PromQL parser reads vector selectors with the same grammar.
#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "model/labels/matcher.h"

namespace argus::labels {

// Errors: InvalidArgument naming the position and what was expected, for bad syntax, a bad
// regex, or a selector without any matcher.
absl::StatusOr<std::vector<Matcher>> ParseSelector(absl::string_view text);

// Unquotes a Go string literal ("..." with escapes, '...' likewise, or `raw`).
// Errors: InvalidArgument for a malformed literal.
absl::StatusOr<std::string> UnquoteGoString(absl::string_view quoted);

}  // namespace argus::labels
