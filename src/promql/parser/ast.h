// The PromQL abstract syntax tree, node for node as Prometheus v2.42's promql/parser/ast.go, so
// the parser, the printer (/api/v1/format_query) and the engine can be checked against it.
// Nodes own their children; a tree is immutable once parsed, except that the engine's
// preprocessing (PreprocessExpr) wraps step-invariant parts and sets `offset_ms` for @.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "model/labels/matcher.h"

namespace argus::promql::parser {

// The type an expression evaluates to (parser.ValueType).
enum class ValueType { kNone, kVector, kScalar, kMatrix, kString };
// "vector", "scalar", "matrix", "string" (and "none"), as in errors and the API's resultType.
const char* ValueTypeName(ValueType t);
// parser.DocumentedType: "instant vector" and "range vector" for vectors and matrices, else
// ValueTypeName (how type errors name a type).
const char* DocumentedType(ValueType t);

// Byte offsets [start, end) into the query text.
struct PositionRange {
  int start = 0;
  int end = 0;
};

// Operators and aggregation keywords (the lexer's item types that reach the tree).
enum class Op {
  // Binary arithmetic, in precedence order low to high as the parser groups them.
  kLor,      // or
  kLand,     // and
  kLunless,  // unless
  kEql,      // ==
  kNeq,      // !=
  kLss,      // <
  kGtr,      // >
  kLte,      // <=
  kGte,      // >=
  kAdd,      // +
  kSub,      // -
  kMul,      // *
  kDiv,      // /
  kMod,      // %
  kAtan2,    // atan2
  kPow,      // ^
  // Aggregations.
  kSum,
  kAvg,
  kCount,
  kMin,
  kMax,
  kGroup,
  kStddev,
  kStdvar,
  kTopk,
  kBottomk,
  kCountValues,
  kQuantile,
};
// The operator as written in queries ("+", "and", "count_values", ...).
const char* OpName(Op op);
bool IsComparisonOp(Op op);  // == != < > <= >=
bool IsSetOp(Op op);         // and or unless

enum class NodeKind {
  kAggregate,
  kBinary,
  kCall,
  kMatrixSelector,
  kSubquery,
  kNumberLiteral,
  kParen,
  kStringLiteral,
  kUnary,
  kStepInvariant,
  kVectorSelector,
};

struct Function;  // parser/functions.h

class Expr {
 public:
  explicit Expr(NodeKind kind) : kind(kind) {}
  virtual ~Expr() = default;
  Expr(const Expr&) = delete;
  Expr& operator=(const Expr&) = delete;

  // What the expression evaluates to (parser's Expr.Type()).
  ValueType Type() const;

  const NodeKind kind;
  PositionRange pos;
};
using ExprPtr = std::unique_ptr<Expr>;

// Which @ form a selector or subquery carries, besides an explicit timestamp.
enum class AtModifier { kNone, kTimestamp, kStart, kEnd };

// metric{a="b"} [offset d] [@ t]
struct VectorSelector final : Expr {
  VectorSelector() : Expr(NodeKind::kVectorSelector) {}
  std::string name;  // the metric name when written outside the braces, else ""
  // Every matcher, including the __name__ matcher implied by `name` (as Prometheus keeps it).
  std::vector<labels::Matcher> matchers;
  int64_t original_offset_ms = 0;  // as written (negative offsets allowed)
  int64_t offset_ms = 0;           // what evaluation uses; the engine adjusts it for @
  AtModifier at = AtModifier::kNone;
  int64_t at_ms = 0;  // kTimestamp: the @ time; kStart/kEnd: set by the engine's preprocessing
};

// <vector selector>[range]
struct MatrixSelector final : Expr {
  MatrixSelector() : Expr(NodeKind::kMatrixSelector) {}
  ExprPtr vector_selector;  // always a VectorSelector
  int64_t range_ms = 0;
};

// <expr>[range:step] [offset d] [@ t]
struct SubqueryExpr final : Expr {
  SubqueryExpr() : Expr(NodeKind::kSubquery) {}
  ExprPtr expr;
  int64_t range_ms = 0;
  int64_t step_ms = 0;  // 0: the engine's default (the global evaluation interval)
  int64_t original_offset_ms = 0;
  int64_t offset_ms = 0;
  AtModifier at = AtModifier::kNone;
  int64_t at_ms = 0;
};

struct NumberLiteral final : Expr {
  NumberLiteral() : Expr(NodeKind::kNumberLiteral) {}
  double value = 0;
};

struct StringLiteral final : Expr {
  StringLiteral() : Expr(NodeKind::kStringLiteral) {}
  std::string value;  // unquoted
};

struct ParenExpr final : Expr {
  ParenExpr() : Expr(NodeKind::kParen) {}
  ExprPtr expr;
};

// -x or +x
struct UnaryExpr final : Expr {
  UnaryExpr() : Expr(NodeKind::kUnary) {}
  Op op = Op::kSub;  // kAdd or kSub
  ExprPtr expr;
};

// on/ignoring and group_left/group_right of a binary operation between two vectors.
enum class Cardinality { kOneToOne, kManyToOne, kOneToMany, kManyToMany };
struct VectorMatching {
  Cardinality card = Cardinality::kOneToOne;
  std::vector<std::string> matching_labels;  // the on(...) or ignoring(...) list
  bool on = false;                           // on(...) rather than ignoring(...)
  std::vector<std::string> include;          // group_left(...)/group_right(...) labels
};

struct BinaryExpr final : Expr {
  BinaryExpr() : Expr(NodeKind::kBinary) {}
  Op op = Op::kAdd;
  ExprPtr lhs;
  ExprPtr rhs;
  // Set when both sides are vectors (Prometheus leaves it nil otherwise).
  std::optional<VectorMatching> matching;
  bool return_bool = false;  // comparison with the `bool` modifier
};

struct Call final : Expr {
  Call() : Expr(NodeKind::kCall) {}
  const Function* func = nullptr;  // never null in a parsed tree
  std::vector<ExprPtr> args;
};

// sum by (a) (expr), topk(3, expr), count_values("v", expr), quantile(0.9, expr) ...
struct AggregateExpr final : Expr {
  AggregateExpr() : Expr(NodeKind::kAggregate) {}
  Op op = Op::kSum;
  ExprPtr expr;
  ExprPtr param;  // topk/bottomk/quantile/count_values only
  std::vector<std::string> grouping;
  bool without = false;
};

// Marks a subtree whose value is the same at every step (the engine evaluates it once).
// Only the engine's preprocessing creates it; the printer prints just `expr`.
struct StepInvariantExpr final : Expr {
  StepInvariantExpr() : Expr(NodeKind::kStepInvariant) {}
  ExprPtr expr;
};

// Unchecked downcasts for code that switched on `kind`.
template <typename T>
const T& As(const Expr& e) {
  return static_cast<const T&>(e);
}
template <typename T>
T& As(Expr& e) {
  return static_cast<T&>(e);
}

// `e` without enclosing parentheses and step-invariant markers.
const Expr& Unwrap(const Expr& e);
Expr& Unwrap(Expr& e);

// Calls fn(child) on each direct child of `e`, in order (parser.Children): an aggregation's
// parameter before its expression, a binary operation's lhs before its rhs, a call's
// arguments, a matrix selector's vector selector, the inside of a subquery, parentheses,
// unary operation or step-invariant marker. Selectors and literals have none.
template <typename E, typename Fn>
requires std::is_same_v<std::remove_const_t<E>, Expr>
void ForEachChild(E& e, Fn&& fn) {
  switch (e.kind) {
    case NodeKind::kAggregate:
      if (As<AggregateExpr>(e).param != nullptr) fn(*As<AggregateExpr>(e).param);
      fn(*As<AggregateExpr>(e).expr);
      break;
    case NodeKind::kBinary:
      fn(*As<BinaryExpr>(e).lhs);
      fn(*As<BinaryExpr>(e).rhs);
      break;
    case NodeKind::kCall:
      for (auto& arg : As<Call>(e).args) fn(*arg);
      break;
    case NodeKind::kMatrixSelector:
      fn(*As<MatrixSelector>(e).vector_selector);
      break;
    case NodeKind::kSubquery:
      fn(*As<SubqueryExpr>(e).expr);
      break;
    case NodeKind::kParen:
      fn(*As<ParenExpr>(e).expr);
      break;
    case NodeKind::kUnary:
      fn(*As<UnaryExpr>(e).expr);
      break;
    case NodeKind::kStepInvariant:
      fn(*As<StepInvariantExpr>(e).expr);
      break;
    case NodeKind::kNumberLiteral:
    case NodeKind::kStringLiteral:
    case NodeKind::kVectorSelector:
      break;
  }
}

}  // namespace argus::promql::parser
