// The PromQL test script language of Prometheus v2.42 (promql/test.go), as the files of
// promql/testdata are written:
//   load <interval>            then one series description per line (series_desc.h) up to
//                              the next blank line; the i-th value is at i * interval
//   clear                      drop all loaded data
//   eval instant at <duration> <expr>         then the expected samples, one per line up to
//   eval_ordered instant at <duration> <expr> the next blank line: `{labels} value`,
//   eval_fail instant at <duration> <expr>    `metric{labels} value`, or one bare number
//                                             (a scalar result; it ends the block)
// Lines are trimmed; lines starting with '#' count as blank.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "model/labels/labels.h"
#include "promql/promqltest/series_desc.h"

namespace argus::promql::promqltest {

struct LoadCmd {
  int line = 0;  // 1-based line of the `load`
  int64_t interval_ms = 0;
  std::vector<SeriesDesc> series;
};

struct ClearCmd {
  int line = 0;
};

enum class EvalKind {
  kInstant,  // eval: the result must hold exactly the expected samples, in any order
  kOrdered,  // eval_ordered: ... in the order written
  kFail,     // eval_fail: the query must fail
};

// One expected sample of an instant vector; `position` is its 1-based line within the block.
struct ExpectedSample {
  labels::Labels metric;
  double value = 0;
  int position = 0;
};

struct EvalCmd {
  int line = 0;  // 1-based line of the `eval`
  EvalKind kind = EvalKind::kInstant;
  std::string expr;
  int64_t at_ms = 0;  // evaluation time, ms after the epoch
  // Distinct label sets (a repeated one replaces the earlier line, as test.go's map does).
  std::vector<ExpectedSample> samples;
  std::optional<double> scalar;  // a bare number line
};

using Command = std::variant<LoadCmd, ClearCmd, EvalCmd>;

// Parses a whole script. The expressions are not parsed here. Errors: InvalidArgument
// "line N: ..." for an unknown command, a malformed command line, a bad series description or
// an expected line holding more than one value.
absl::StatusOr<std::vector<Command>> ParseScript(absl::string_view text);

}  // namespace argus::promql::promqltest
