// A structural dump of a parsed tree for tests: every field that carries meaning (not the
// positions), so two trees are equal exactly when their dumps are.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "promql/parser/ast.h"
#include "promql/parser/functions.h"

namespace argus::promql::parser {

inline std::string DumpNumber(double v) {
  if (std::isnan(v)) return "NaN";  // the sign of a NaN carries no meaning
  uint64_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return absl::StrCat(v, "#", bits);
}

inline std::string DumpAst(const Expr& e) {
  switch (e.kind) {
    case NodeKind::kAggregate: {
      const auto& a = As<AggregateExpr>(e);
      return absl::StrCat("Agg(", OpName(a.op), a.without ? " without[" : " by[",
                          absl::StrJoin(a.grouping, ","), "] ", a.param ? DumpAst(*a.param) : "-",
                          " ", DumpAst(*a.expr), ")");
    }
    case NodeKind::kBinary: {
      const auto& b = As<BinaryExpr>(e);
      std::string m = "nomatch";
      if (b.matching.has_value()) {
        m = absl::StrCat("card", static_cast<int>(b.matching->card),
                         b.matching->on ? " on[" : " ign[",
                         absl::StrJoin(b.matching->matching_labels, ","), "] inc[",
                         absl::StrJoin(b.matching->include, ","), "]");
      }
      return absl::StrCat("Bin(", OpName(b.op), b.return_bool ? " bool " : " ", m, " ",
                          DumpAst(*b.lhs), " ", DumpAst(*b.rhs), ")");
    }
    case NodeKind::kCall: {
      const auto& c = As<Call>(e);
      std::string s = absl::StrCat("Call(", c.func->name);
      for (const ExprPtr& a : c.args) absl::StrAppend(&s, " ", DumpAst(*a));
      return s + ")";
    }
    case NodeKind::kMatrixSelector: {
      const auto& m = As<MatrixSelector>(e);
      return absl::StrCat("Matrix(", m.range_ms, " ", DumpAst(*m.vector_selector), ")");
    }
    case NodeKind::kSubquery: {
      const auto& s = As<SubqueryExpr>(e);
      return absl::StrCat("Sub(", s.range_ms, " ", s.step_ms, " off", s.original_offset_ms, "/",
                          s.offset_ms, " at", static_cast<int>(s.at), ":", s.at_ms, " ",
                          DumpAst(*s.expr), ")");
    }
    case NodeKind::kNumberLiteral:
      return "Num(" + DumpNumber(As<NumberLiteral>(e).value) + ")";
    case NodeKind::kParen:
      return "Paren(" + DumpAst(*As<ParenExpr>(e).expr) + ")";
    case NodeKind::kStringLiteral:
      return "Str(" + As<StringLiteral>(e).value + ")";
    case NodeKind::kUnary: {
      const auto& u = As<UnaryExpr>(e);
      return absl::StrCat("Unary(", OpName(u.op), " ", DumpAst(*u.expr), ")");
    }
    case NodeKind::kStepInvariant:
      return "StepInv(" + DumpAst(*As<StepInvariantExpr>(e).expr) + ")";
    case NodeKind::kVectorSelector: {
      const auto& vs = As<VectorSelector>(e);
      std::string s = absl::StrCat("VS(", vs.name, " off", vs.original_offset_ms, "/", vs.offset_ms,
                                   " at", static_cast<int>(vs.at), ":", vs.at_ms);
      // Matchers as a set: Prometheus prints them sorted, so their order does not survive
      // printing (and carries no meaning).
      std::vector<std::string> ms;
      for (const labels::Matcher& m : vs.matchers) {
        ms.push_back(absl::StrCat(m.name(), "#", static_cast<int>(m.type()), "#", m.value()));
      }
      std::sort(ms.begin(), ms.end());
      return absl::StrCat(s, " ", absl::StrJoin(ms, " "), ")");
    }
  }
  return "?";
}

}  // namespace argus::promql::parser
