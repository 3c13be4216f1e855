// Private to promql: what the engine does to a parsed expression before evaluating it
// (engine.go's PreprocessExpr, setOffsetForAtModifier and the selectors' time ranges).
#pragma once

#include <cstdint>

#include "absl/container/flat_hash_map.h"
#include "promql/parser/ast.h"
#include "storage/storage.h"

namespace argus::promql::engine_internal {

// Wraps every maximal step-invariant subtree of `expr` (one whose value is the same at every
// step: literals, selectors and subqueries with @, and what is built only of those) in a
// StepInvariantExpr, and resolves `@ start()` / `@ end()` to the query's start and end.
void PreprocessExpr(parser::ExprPtr& expr, int64_t start_ms, int64_t end_ms);

// Sets offset_ms of the selectors and subqueries in `expr` so that those with @ read at their
// @ time when evaluated from `eval_time_ms` (the first step of the evaluation that reads them).
void SetOffsetForAtModifier(int64_t eval_time_ms, parser::Expr& expr);

// The storage range every selector of a query must read (with the function it feeds, as
// SelectHints::func), and their union.
struct SelectRanges {
  absl::flat_hash_map<const parser::VectorSelector*, storage::SelectHints> hints;
  int64_t mint = 0;
  int64_t maxt = 0;
};
SelectRanges ComputeSelectRanges(parser::Expr& expr, int64_t start_ms, int64_t end_ms,
                                 int64_t lookback_ms);

}  // namespace argus::promql::engine_internal
