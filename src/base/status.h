// Status helpers: the project's RETURN_IF_ERROR / ASSIGN_OR_RETURN (Debian's Abseil predates
// upstream's status macros) and a way to add context to an error without losing its code.
#pragma once

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

#define ARGUS_STATUS_CONCAT_INNER(a, b) a##b
#define ARGUS_STATUS_CONCAT(a, b) ARGUS_STATUS_CONCAT_INNER(a, b)

// Evaluates `expr` (an absl::Status) and returns it from the enclosing function if not OK.
#define RETURN_IF_ERROR(expr)                                         \
  do {                                                                \
    if (::absl::Status argus_status_ = (expr); !argus_status_.ok()) { \
      return argus_status_;                                           \
    }                                                                 \
  } while (0)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its status, otherwise moves the
// value into `lhs`, which may be a declaration (`ASSIGN_OR_RETURN(auto x, F())`).
#define ASSIGN_OR_RETURN(lhs, rexpr) \
  ARGUS_ASSIGN_OR_RETURN_IMPL(ARGUS_STATUS_CONCAT(argus_statusor_, __LINE__), lhs, rexpr)

#define ARGUS_ASSIGN_OR_RETURN_IMPL(tmp, lhs, rexpr) \
  auto tmp = (rexpr);                                \
  if (!tmp.ok()) return std::move(tmp).status();     \
  lhs = std::move(tmp).value()

namespace argus {

// Returns `status` with "context: " put before its message; the code is kept. OK stays OK.
absl::Status Annotate(const absl::Status& status, absl::string_view context);

}  // namespace argus
