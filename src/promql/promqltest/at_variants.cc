#include "promql/promqltest/at_variants.h"

#include "promql/parser/functions.h"

namespace argus::promql::promqltest {
namespace {

using parser::As;
using parser::Expr;
using parser::NodeKind;

}  // namespace

bool AtVariantsApply(const parser::Expr& expr) {
  if (expr.kind == NodeKind::kCall &&
      parser::IsAtModifierUnsafe(As<parser::Call>(expr).func->name)) {
    return false;
  }
  bool apply = true;
  parser::ForEachChild(expr, [&](const Expr& child) { apply = apply && AtVariantsApply(child); });
  return apply;
}

void SetAtModifiers(parser::Expr& expr, int64_t at_ms) {
  switch (expr.kind) {
    case NodeKind::kVectorSelector: {
      auto& vs = As<parser::VectorSelector>(expr);
      if (vs.at != parser::AtModifier::kTimestamp) {
        vs.at = parser::AtModifier::kTimestamp;
        vs.at_ms = at_ms;
      }
      return;
    }
    case NodeKind::kSubquery: {
      auto& sq = As<parser::SubqueryExpr>(expr);
      if (sq.at != parser::AtModifier::kTimestamp) {
        sq.at = parser::AtModifier::kTimestamp;
        sq.at_ms = at_ms;
      }
      return;  // what is inside is relative to the subquery's own time
    }
    default:
      parser::ForEachChild(expr, [&](Expr& child) { SetAtModifiers(child, at_ms); });
  }
}

std::vector<int64_t> AtVariantTimes(int64_t eval_ms) {
  if (eval_ms == 0) return {-1000, 0, 1000};
  return {-10 * eval_ms, 0, eval_ms / 5, eval_ms, 10 * eval_ms};
}

}  // namespace argus::promql::promqltest
