#include "promql/preprocess.h"

#include <algorithm>
#include <limits>
#include <memory>
#include <optional>
#include <vector>

#include "promql/parser/functions.h"

namespace argus::promql::engine_internal {
namespace {

using parser::As;
using parser::AtModifier;
using parser::Expr;
using parser::ExprPtr;
using parser::NodeKind;

void Wrap(ExprPtr& e) {
  auto si = std::make_unique<parser::StepInvariantExpr>();
  si->pos = e->pos;
  si->expr = std::move(e);
  e = std::move(si);
}

void ResolveAt(AtModifier at, int64_t& at_ms, int64_t start_ms, int64_t end_ms) {
  if (at == AtModifier::kStart) at_ms = start_ms;
  if (at == AtModifier::kEnd) at_ms = end_ms;
}

// Whether `e` is step invariant; wraps its invariant children when it is not.
bool Preprocess(Expr& e, int64_t start_ms, int64_t end_ms) {
  switch (e.kind) {
    case NodeKind::kVectorSelector: {
      auto& vs = As<parser::VectorSelector>(e);
      ResolveAt(vs.at, vs.at_ms, start_ms, end_ms);
      return vs.at != AtModifier::kNone;
    }
    case NodeKind::kAggregate:
      // As in Prometheus, the parameter does not count.
      return Preprocess(*As<parser::AggregateExpr>(e).expr, start_ms, end_ms);
    case NodeKind::kBinary: {
      auto& b = As<parser::BinaryExpr>(e);
      const bool l = Preprocess(*b.lhs, start_ms, end_ms);
      const bool r = Preprocess(*b.rhs, start_ms, end_ms);
      if (l && r) return true;
      if (l) Wrap(b.lhs);
      if (r) Wrap(b.rhs);
      return false;
    }
    case NodeKind::kCall: {
      auto& c = As<parser::Call>(e);
      bool invariant = !parser::IsAtModifierUnsafe(c.func->name);
      std::vector<bool> arg_invariant(c.args.size());
      for (size_t i = 0; i < c.args.size(); ++i) {
        arg_invariant[i] = Preprocess(*c.args[i], start_ms, end_ms);
        invariant = invariant && arg_invariant[i];
      }
      if (invariant) return true;
      for (size_t i = 0; i < c.args.size(); ++i) {
        if (arg_invariant[i]) Wrap(c.args[i]);
      }
      return false;
    }
    case NodeKind::kMatrixSelector:
      return Preprocess(*As<parser::MatrixSelector>(e).vector_selector, start_ms, end_ms);
    case NodeKind::kSubquery: {
      // The inside is wrapped whatever the subquery's own @, so that it is evaluated once
      // relative to the subquery's start.
      auto& sq = As<parser::SubqueryExpr>(e);
      if (Preprocess(*sq.expr, start_ms, end_ms)) Wrap(sq.expr);
      ResolveAt(sq.at, sq.at_ms, start_ms, end_ms);
      return sq.at != AtModifier::kNone;
    }
    case NodeKind::kParen:
      return Preprocess(*As<parser::ParenExpr>(e).expr, start_ms, end_ms);
    case NodeKind::kUnary:
      return Preprocess(*As<parser::UnaryExpr>(e).expr, start_ms, end_ms);
    case NodeKind::kStringLiteral:
    case NodeKind::kNumberLiteral:
      return true;
    case NodeKind::kStepInvariant:
      return false;
  }
  return false;
}

// Calls fn(node, subqueries above it) for `e` and every node below it, parents first.
template <typename Fn>
void Walk(Expr& e, std::vector<const parser::SubqueryExpr*>& path, Fn& fn) {
  fn(e, path);
  const bool subquery = e.kind == NodeKind::kSubquery;
  if (subquery) path.push_back(&As<parser::SubqueryExpr>(e));
  parser::ForEachChild(e, [&](Expr& child) { Walk(child, path, fn); });
  if (subquery) path.pop_back();
}

// The summed offsets and ranges of the subqueries in `path`, restarting at the innermost one
// with @, whose time is returned too (subqueryTimes).
struct SubqueryTimes {
  int64_t offset_ms = 0;
  int64_t range_ms = 0;
  std::optional<int64_t> at_ms;
};

SubqueryTimes TimesOf(const std::vector<const parser::SubqueryExpr*>& path) {
  SubqueryTimes t;
  for (const parser::SubqueryExpr* sq : path) {
    t.offset_ms += sq->original_offset_ms;
    t.range_ms += sq->range_ms;
    if (sq->at != AtModifier::kNone) {
      t.offset_ms = sq->original_offset_ms;
      t.range_ms = sq->range_ms;
      t.at_ms = sq->at_ms;
    }
  }
  return t;
}

// Sets hints[vs].func of every selector below `e` to the innermost function or aggregation
// enclosing it, "" across a binary operation (Prometheus's extractFuncFromPath).
void SetSelectFuncs(
    const Expr& e, const std::string& func,
    absl::flat_hash_map<const parser::VectorSelector*, storage::SelectHints>& hints) {
  std::string inner = func;
  switch (e.kind) {
    case NodeKind::kVectorSelector: {
      auto it = hints.find(&As<parser::VectorSelector>(e));
      if (it != hints.end()) it->second.func = func;
      return;
    }
    case NodeKind::kCall:
      inner = std::string(As<parser::Call>(e).func->name);
      break;
    case NodeKind::kAggregate:
      inner = parser::OpName(As<parser::AggregateExpr>(e).op);
      break;
    case NodeKind::kBinary:
      inner.clear();
      break;
    default:
      break;
  }
  parser::ForEachChild(e, [&](const Expr& child) { SetSelectFuncs(child, inner, hints); });
}

}  // namespace

void PreprocessExpr(ExprPtr& expr, int64_t start_ms, int64_t end_ms) {
  if (Preprocess(*expr, start_ms, end_ms)) Wrap(expr);
}

void SetOffsetForAtModifier(int64_t eval_time_ms, Expr& expr) {
  auto offset_for = [&](AtModifier at, int64_t at_ms, int64_t original,
                        const std::vector<const parser::SubqueryExpr*>& path) {
    if (at == AtModifier::kNone) return original;
    SubqueryTimes t = TimesOf(path);
    if (t.at_ms) t.offset_ms += eval_time_ms - *t.at_ms;
    return original + (eval_time_ms - at_ms) - t.offset_ms;
  };
  auto fn = [&](Expr& e, const std::vector<const parser::SubqueryExpr*>& path) {
    if (e.kind == NodeKind::kVectorSelector) {
      auto& vs = As<parser::VectorSelector>(e);
      vs.offset_ms = offset_for(vs.at, vs.at_ms, vs.original_offset_ms, path);
    } else if (e.kind == NodeKind::kSubquery) {
      auto& sq = As<parser::SubqueryExpr>(e);
      sq.offset_ms = offset_for(sq.at, sq.at_ms, sq.original_offset_ms, path);
    }
  };
  std::vector<const parser::SubqueryExpr*> path;
  Walk(expr, path, fn);
}

SelectRanges ComputeSelectRanges(Expr& expr, int64_t start_ms, int64_t end_ms,
                                 int64_t lookback_ms) {
  SelectRanges out;
  out.mint = std::numeric_limits<int64_t>::max();
  out.maxt = std::numeric_limits<int64_t>::min();
  const parser::MatrixSelector* parent_range = nullptr;
  auto fn = [&](Expr& e, const std::vector<const parser::SubqueryExpr*>& path) {
    if (e.kind == NodeKind::kMatrixSelector) {
      parent_range = &As<parser::MatrixSelector>(e);
      return;
    }
    if (e.kind != NodeKind::kVectorSelector) return;
    const auto& vs = As<parser::VectorSelector>(e);
    const int64_t range_ms = parent_range != nullptr && parent_range->vector_selector.get() == &e
                                 ? parent_range->range_ms
                                 : 0;
    SubqueryTimes t = TimesOf(path);
    int64_t start = t.at_ms ? *t.at_ms : start_ms;
    int64_t end = t.at_ms ? *t.at_ms : end_ms;
    if (vs.at != AtModifier::kNone) {
      start = end = vs.at_ms;
    } else {
      start -= t.offset_ms + t.range_ms;
      end -= t.offset_ms;
    }
    start -= range_ms == 0 ? lookback_ms : range_ms;
    start -= vs.original_offset_ms;
    end -= vs.original_offset_ms;
    out.hints[&vs] = storage::SelectHints{start, end};
    out.mint = std::min(out.mint, start);
    out.maxt = std::max(out.maxt, end);
  };
  std::vector<const parser::SubqueryExpr*> path;
  Walk(expr, path, fn);
  SetSelectFuncs(expr, "", out.hints);
  if (out.hints.empty()) out.mint = out.maxt = 0;
  return out;
}

}  // namespace argus::promql::engine_internal
