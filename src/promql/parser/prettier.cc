// Prettify(): v2.42's prettier.go. A node whose String() is longer than 100 bytes is broken
// over lines, its children indented two spaces per level; shorter nodes print on one line.
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "promql/parser/functions.h"
#include "promql/parser/parser.h"
#include "promql/parser/printer_internal.h"

namespace argus::promql::parser {
namespace {

constexpr size_t kMaxCharactersPerLine = 100;

std::string Indent(int level) {
  std::string s;
  for (int i = 0; i < level; ++i) s += "  ";
  return s;
}

std::string Pretty(const Expr& e, int level) {
  const std::string flat = Print(e);
  const bool split = flat.size() > kMaxCharactersPerLine;
  const std::string ind = Indent(level);
  switch (e.kind) {
    case NodeKind::kAggregate: {
      if (!split) return ind + flat;
      const auto& a = As<AggregateExpr>(e);
      std::string s = absl::StrCat(ind, AggregateOpString(a), "(\n");
      if (a.param != nullptr) absl::StrAppend(&s, Pretty(*a.param, level + 1), ",\n");
      return absl::StrCat(s, Pretty(*a.expr, level + 1), "\n", ind, ")");
    }
    case NodeKind::kBinary: {
      if (!split) return ind + flat;
      const auto& b = As<BinaryExpr>(e);
      return absl::StrCat(Pretty(*b.lhs, level + 1), "\n", ind, OpName(b.op),
                          BinaryMatchingString(b), "\n", Pretty(*b.rhs, level + 1));
    }
    case NodeKind::kCall: {
      if (!split) return ind + flat;
      const auto& c = As<Call>(e);
      std::string args;
      for (size_t i = 0; i < c.args.size(); ++i) {
        if (i > 0) args += ",\n";
        args += Pretty(*c.args[i], level + 1);
      }
      return absl::StrCat(ind, c.func->name, "(\n", args, "\n", ind, ")");
    }
    case NodeKind::kParen:
      if (!split) return ind + flat;
      return absl::StrCat(ind, "(\n", Pretty(*As<ParenExpr>(e).expr, level + 1), "\n", ind, ")");
    case NodeKind::kStepInvariant:
      return Pretty(*As<StepInvariantExpr>(e).expr, level);
    case NodeKind::kSubquery: {
      // As Prometheus: an unsplit subquery is not indented.
      if (!split) return flat;
      const auto& sq = As<SubqueryExpr>(e);
      return Pretty(*sq.expr, level) + SubquerySuffix(sq);
    }
    case NodeKind::kUnary: {
      const auto& u = As<UnaryExpr>(e);
      const std::string child = Pretty(*u.expr, level);
      return absl::StrCat(ind, OpName(u.op), absl::StripAsciiWhitespace(child));
    }
    case NodeKind::kMatrixSelector:
    case NodeKind::kVectorSelector:
    case NodeKind::kNumberLiteral:
    case NodeKind::kStringLiteral:
      return ind + flat;
  }
  return flat;
}

}  // namespace

std::string Prettify(const Expr& e) { return Pretty(e, 0); }

}  // namespace argus::promql::parser
