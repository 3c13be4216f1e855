// The extra @-modifier checks of promql/test.go (atModifierTestCases): every eval is repeated
// with `@ <eval time>` on its selectors and subqueries, at other evaluation times, and must
// give the same result, unless the query calls a function whose result depends on the
// evaluation time itself.
#pragma once

#include <cstdint>
#include <vector>

#include "promql/parser/ast.h"

namespace argus::promql::promqltest {

// Whether `expr` calls none of test.go's @-unsafe functions (days_in_month, day_of_month,
// day_of_week, day_of_year, hour, minute, month, year, predict_linear, time, timestamp):
// only then are the @ variants checked.
bool AtVariantsApply(const parser::Expr& expr);

// Sets `@ at_ms` on every vector selector, matrix selector and subquery that has no @
// timestamp yet and is not inside a subquery (every subquery ends up with one, so what is
// inside keeps its own). An `@ start()`/`@ end()` is replaced, as in test.go.
void SetAtModifiers(parser::Expr& expr, int64_t at_ms);

// The evaluation times of the variants for an eval at `eval_ms`: -1000, 0, 1000 when it is 0,
// else -10x, 0, x/5, x and 10x.
std::vector<int64_t> AtVariantTimes(int64_t eval_ms);

}  // namespace argus::promql::promqltest
