// Regexes as Prometheus compiles label matchers and relabel rules: Go's regexp syntax, fully
// anchored.
#pragma once

#include <memory>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "re2/re2.h"

namespace argus::labels {

// Compiles "^(?:expr)$" with RE2. Errors: InvalidArgument worded as Go's regexp errors
// ("error parsing regexp: missing closing ): `^(?:()$`"), also for the \C escape that RE2
// accepts and Go does not.
absl::StatusOr<std::unique_ptr<const RE2>> CompileAnchored(absl::string_view expr);

}  // namespace argus::labels
