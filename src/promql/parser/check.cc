// checkAST of parser.go: the type checks Prometheus runs on a syntactically valid tree, in
// the same order, so the same first error is reported.
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/go_strconv.h"
#include "promql/parser/functions.h"
#include "promql/parser/parser_impl.h"

namespace argus::promql::parser {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

void Parser::ExpectType(Expr& e, ValueType want, absl::string_view context) {
  const ValueType t = Check(e);
  if (failed() || t == want) return;
  Fail(e.pos, absl::StrCat("expected type ", DocumentedType(want), " in ", context, ", got ",
                           DocumentedType(t)));
}

ValueType Parser::Check(Expr& e) {
  const ValueType type = e.Type();
  switch (e.kind) {
    case NodeKind::kAggregate: {
      auto& a = As<AggregateExpr>(e);
      ExpectType(*a.expr, ValueType::kVector, "aggregation expression");
      if (a.op == Op::kTopk || a.op == Op::kBottomk || a.op == Op::kQuantile) {
        ExpectType(*a.param, ValueType::kScalar, "aggregation parameter");
      }
      if (a.op == Op::kCountValues)
        ExpectType(*a.param, ValueType::kString, "aggregation parameter");
      break;
    }
    case NodeKind::kBinary:
      CheckBinary(As<BinaryExpr>(e));
      break;
    case NodeKind::kCall:
      CheckCall(As<Call>(e));
      break;
    case NodeKind::kParen:
      Check(*As<ParenExpr>(e).expr);
      break;
    case NodeKind::kUnary: {
      const ValueType t = Check(*As<UnaryExpr>(e).expr);
      if (!failed() && t != ValueType::kScalar && t != ValueType::kVector) {
        Fail(e.pos,
             "unary expression only allowed on expressions of type scalar or instant "
             "vector, got " +
                 GoQuote(DocumentedType(t)));
      }
      break;
    }
    case NodeKind::kSubquery: {
      const ValueType t = Check(*As<SubqueryExpr>(e).expr);
      if (!failed() && t != ValueType::kVector) {
        Fail(e.pos, absl::StrCat("subquery is only allowed on instant vector, got ",
                                 ValueTypeName(t), " instead"));
      }
      break;
    }
    case NodeKind::kMatrixSelector:
      Check(*As<MatrixSelector>(e).vector_selector);
      break;
    case NodeKind::kVectorSelector:
      CheckVectorSelector(As<VectorSelector>(e));
      break;
    case NodeKind::kStepInvariant:
      Check(*As<StepInvariantExpr>(e).expr);
      break;
    case NodeKind::kNumberLiteral:
    case NodeKind::kStringLiteral:
      break;
  }
  return type;
}

void Parser::CheckBinary(BinaryExpr& b) {
  const ValueType lt = Check(*b.lhs);
  if (failed()) return;
  const ValueType rt = Check(*b.rhs);
  if (failed()) return;
  // The operator's position: the first non-space after the left-hand side.
  int op_pos = b.lhs->pos.end;
  while (op_pos < static_cast<int>(input_.size()) && IsSpace(input_[op_pos])) ++op_pos;
  if (b.return_bool && !IsComparisonOp(b.op)) {
    return Fail(op_pos, "bool modifier can only be used on comparison operators");
  }
  if (IsComparisonOp(b.op) && !b.return_bool && lt == ValueType::kScalar &&
      rt == ValueType::kScalar) {
    return Fail(op_pos, "comparisons between scalars must use BOOL modifier");
  }
  VectorMatching& m = *b.matching;
  if (IsSetOp(b.op) && m.card == Cardinality::kOneToOne) m.card = Cardinality::kManyToMany;
  if (m.on) {
    for (const std::string& l1 : m.matching_labels) {
      for (const std::string& l2 : m.include) {
        if (l1 == l2) {
          return Fail(op_pos,
                      "label " + GoQuote(l1) + " must not occur in ON and GROUP clause at once");
        }
      }
    }
  }
  const auto operand_ok = [](ValueType t) {
    return t == ValueType::kScalar || t == ValueType::kVector;
  };
  if (!operand_ok(lt)) {
    return Fail(b.lhs->pos, "binary expression must contain only scalar and instant vector types");
  }
  if (!operand_ok(rt)) {
    return Fail(b.rhs->pos, "binary expression must contain only scalar and instant vector types");
  }
  if (lt != ValueType::kVector || rt != ValueType::kVector) {
    if (!m.matching_labels.empty()) {
      return Fail(b.pos, "vector matching only allowed between instant vectors");
    }
    b.matching.reset();
  } else if (IsSetOp(b.op)) {
    if (m.card == Cardinality::kOneToMany || m.card == Cardinality::kManyToOne) {
      return Fail(b.pos, absl::StrCat("no grouping allowed for \"", OpName(b.op), "\" operation"));
    }
    if (m.card != Cardinality::kManyToMany) {
      return Fail(b.pos, "set operations must always be many-to-many");
    }
  }
  if ((lt == ValueType::kScalar || rt == ValueType::kScalar) && IsSetOp(b.op)) {
    return Fail(b.pos, absl::StrCat("set operator \"", OpName(b.op),
                                    "\" not allowed in binary scalar expression"));
  }
}

void Parser::CheckCall(Call& c) {
  const Function& f = *c.func;
  const int nargs = static_cast<int>(f.arg_types.size());
  const int got = static_cast<int>(c.args.size());
  const std::string name = GoQuote(f.name);
  if (f.variadic == 0) {
    if (nargs != got) {
      return Fail(c.pos, absl::StrFormat("expected %d argument(s) in call to %s, got %d", nargs,
                                         name, got));
    }
  } else {
    const int min = nargs - 1;
    if (min > got) {
      return Fail(c.pos, absl::StrFormat("expected at least %d argument(s) in call to %s, got %d",
                                         min, name, got));
    }
    if (f.variadic > 0 && min + f.variadic < got) {
      return Fail(c.pos, absl::StrFormat("expected at most %d argument(s) in call to %s, got %d",
                                         min + f.variadic, name, got));
    }
  }
  const std::string context = "call to function " + name;
  for (int i = 0; i < got; ++i) {
    int t = i;
    if (t >= nargs) {
      if (f.variadic == 0) break;
      t = nargs - 1;
    }
    ExpectType(*c.args[i], f.arg_types[t], context);
    if (failed()) return;
  }
}

void Parser::CheckVectorSelector(VectorSelector& vs) {
  if (!vs.name.empty()) {
    for (size_t i = 0; i + 1 < vs.matchers.size(); ++i) {
      const labels::Matcher& m = vs.matchers[i];
      if (m.name() == "__name__") {
        return Fail(vs.pos, "metric name must not be set twice: " + GoQuote(vs.name) + " or " +
                                GoQuote(m.value()));
      }
    }
    return;
  }
  for (const labels::Matcher& m : vs.matchers) {
    if (!m.Matches("")) return;
  }
  Fail(vs.pos, "vector selector must contain at least one non-empty matcher");
}

}  // namespace argus::promql::parser
