#include "promql/parser/ast.h"

#include "promql/parser/functions.h"

namespace argus::promql::parser {

const char* ValueTypeName(ValueType t) {
  switch (t) {
    case ValueType::kNone:
      return "none";
    case ValueType::kVector:
      return "vector";
    case ValueType::kScalar:
      return "scalar";
    case ValueType::kMatrix:
      return "matrix";
    case ValueType::kString:
      return "string";
  }
  return "none";
}

const char* DocumentedType(ValueType t) {
  switch (t) {
    case ValueType::kVector:
      return "instant vector";
    case ValueType::kMatrix:
      return "range vector";
    default:
      return ValueTypeName(t);
  }
}

const char* OpName(Op op) {
  switch (op) {
    case Op::kLor:
      return "or";
    case Op::kLand:
      return "and";
    case Op::kLunless:
      return "unless";
    case Op::kEql:
      return "==";
    case Op::kNeq:
      return "!=";
    case Op::kLss:
      return "<";
    case Op::kGtr:
      return ">";
    case Op::kLte:
      return "<=";
    case Op::kGte:
      return ">=";
    case Op::kAdd:
      return "+";
    case Op::kSub:
      return "-";
    case Op::kMul:
      return "*";
    case Op::kDiv:
      return "/";
    case Op::kMod:
      return "%";
    case Op::kAtan2:
      return "atan2";
    case Op::kPow:
      return "^";
    case Op::kSum:
      return "sum";
    case Op::kAvg:
      return "avg";
    case Op::kCount:
      return "count";
    case Op::kMin:
      return "min";
    case Op::kMax:
      return "max";
    case Op::kGroup:
      return "group";
    case Op::kStddev:
      return "stddev";
    case Op::kStdvar:
      return "stdvar";
    case Op::kTopk:
      return "topk";
    case Op::kBottomk:
      return "bottomk";
    case Op::kCountValues:
      return "count_values";
    case Op::kQuantile:
      return "quantile";
  }
  return "";
}

bool IsComparisonOp(Op op) {
  switch (op) {
    case Op::kEql:
    case Op::kNeq:
    case Op::kLss:
    case Op::kGtr:
    case Op::kLte:
    case Op::kGte:
      return true;
    default:
      return false;
  }
}

bool IsSetOp(Op op) { return op == Op::kLand || op == Op::kLor || op == Op::kLunless; }

const Expr& Unwrap(const Expr& e) {
  const Expr* cur = &e;
  while (true) {
    if (cur->kind == NodeKind::kParen) {
      cur = As<ParenExpr>(*cur).expr.get();
    } else if (cur->kind == NodeKind::kStepInvariant) {
      cur = As<StepInvariantExpr>(*cur).expr.get();
    } else {
      return *cur;
    }
  }
}

Expr& Unwrap(Expr& e) { return const_cast<Expr&>(Unwrap(static_cast<const Expr&>(e))); }

ValueType Expr::Type() const {
  switch (kind) {
    case NodeKind::kAggregate:
    case NodeKind::kVectorSelector:
      return ValueType::kVector;
    case NodeKind::kBinary: {
      const auto& b = As<BinaryExpr>(*this);
      return b.lhs->Type() == ValueType::kScalar && b.rhs->Type() == ValueType::kScalar
                 ? ValueType::kScalar
                 : ValueType::kVector;
    }
    case NodeKind::kCall:
      return As<Call>(*this).func->return_type;
    case NodeKind::kMatrixSelector:
    case NodeKind::kSubquery:
      return ValueType::kMatrix;
    case NodeKind::kNumberLiteral:
      return ValueType::kScalar;
    case NodeKind::kStringLiteral:
      return ValueType::kString;
    case NodeKind::kParen:
      return As<ParenExpr>(*this).expr->Type();
    case NodeKind::kUnary:
      return As<UnaryExpr>(*this).expr->Type();
    case NodeKind::kStepInvariant:
      return As<StepInvariantExpr>(*this).expr->Type();
  }
  return ValueType::kNone;
}

}  // namespace argus::promql::parser
