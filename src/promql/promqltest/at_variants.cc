#include "promql/promqltest/at_variants.h"

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "promql/parser/functions.h"

namespace argus::promql::promqltest {
namespace {

using parser::As;
using parser::Expr;
using parser::NodeKind;

// Calls `fn` on each direct child of `e`.
template <typename E, typename Fn>
void ForEachChild(E& e, Fn&& fn) {
  switch (e.kind) {
    case NodeKind::kAggregate:
      if (As<parser::AggregateExpr>(e).param) fn(*As<parser::AggregateExpr>(e).param);
      fn(*As<parser::AggregateExpr>(e).expr);
      break;
    case NodeKind::kBinary:
      fn(*As<parser::BinaryExpr>(e).lhs);
      fn(*As<parser::BinaryExpr>(e).rhs);
      break;
    case NodeKind::kCall:
      for (auto& arg : As<parser::Call>(e).args) fn(*arg);
      break;
    case NodeKind::kMatrixSelector:
      fn(*As<parser::MatrixSelector>(e).vector_selector);
      break;
    case NodeKind::kSubquery:
      fn(*As<parser::SubqueryExpr>(e).expr);
      break;
    case NodeKind::kParen:
      fn(*As<parser::ParenExpr>(e).expr);
      break;
    case NodeKind::kUnary:
      fn(*As<parser::UnaryExpr>(e).expr);
      break;
    case NodeKind::kStepInvariant:
      fn(*As<parser::StepInvariantExpr>(e).expr);
      break;
    case NodeKind::kNumberLiteral:
    case NodeKind::kStringLiteral:
    case NodeKind::kVectorSelector:
      break;
  }
}

}  // namespace

bool AtVariantsApply(const parser::Expr& expr) {
  static const auto* kUnsafe = new absl::flat_hash_set<absl::string_view>{
      "days_in_month", "day_of_month", "day_of_week",    "day_of_year", "hour",     "minute",
      "month",         "year",         "predict_linear", "time",        "timestamp"};
  if (expr.kind == NodeKind::kCall && kUnsafe->contains(As<parser::Call>(expr).func->name)) {
    return false;
  }
  bool apply = true;
  ForEachChild(expr, [&](const Expr& child) { apply = apply && AtVariantsApply(child); });
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
      ForEachChild(expr, [&](Expr& child) { SetAtModifiers(child, at_ms); });
  }
}

std::vector<int64_t> AtVariantTimes(int64_t eval_ms) {
  if (eval_ms == 0) return {-1000, 0, 1000};
  return {-10 * eval_ms, 0, eval_ms / 5, eval_ms, 10 * eval_ms};
}

}  // namespace argus::promql::promqltest
