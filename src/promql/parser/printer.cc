// Print(): Prometheus's String() of every node (printer.go), which /api/v1/format_query and
// error messages show and which parses back to the same tree.
#include <algorithm>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "base/go_strconv.h"
#include "base/units.h"
#include "promql/parser/functions.h"
#include "promql/parser/parser.h"
#include "promql/parser/printer_internal.h"

namespace argus::promql::parser {
namespace {

std::string OffsetSuffix(int64_t offset_ms) {
  if (offset_ms > 0) return " offset " + FormatPromDuration(offset_ms);
  if (offset_ms < 0) return " offset -" + FormatPromDuration(-offset_ms);
  return "";
}

std::string AtSuffix(AtModifier at, int64_t at_ms) {
  switch (at) {
    case AtModifier::kTimestamp:
      return absl::StrFormat(" @ %.3f", static_cast<double>(at_ms) / 1000.0);
    case AtModifier::kStart:
      return " @ start()";
    case AtModifier::kEnd:
      return " @ end()";
    case AtModifier::kNone:
      break;
  }
  return "";
}

// The selector without its modifiers: name{matchers}, the implied __name__ matcher left out
// and the others sorted by their text.
std::string SelectorBody(const VectorSelector& vs) {
  std::vector<std::string> ms;
  for (const labels::Matcher& m : vs.matchers) {
    if (!vs.name.empty() && m.name() == "__name__" && m.type() == labels::MatchType::kEqual &&
        m.value() == vs.name) {
      continue;
    }
    ms.push_back(m.ToString());
  }
  if (ms.empty()) return vs.name;
  std::sort(ms.begin(), ms.end());
  return absl::StrCat(vs.name, "{", absl::StrJoin(ms, ","), "}");
}

}  // namespace

std::string AggregateOpString(const AggregateExpr& a) {
  std::string s = OpName(a.op);
  if (a.without) {
    absl::StrAppend(&s, " without (", absl::StrJoin(a.grouping, ", "), ") ");
  } else if (!a.grouping.empty()) {
    absl::StrAppend(&s, " by (", absl::StrJoin(a.grouping, ", "), ") ");
  }
  return s;
}

std::string BinaryMatchingString(const BinaryExpr& b) {
  std::string s;
  if (b.return_bool) s = " bool";
  if (!b.matching.has_value()) return s;
  const VectorMatching& m = *b.matching;
  if (m.matching_labels.empty() && !m.on) return s;
  absl::StrAppend(&s, m.on ? " on (" : " ignoring (", absl::StrJoin(m.matching_labels, ", "), ")");
  if (m.card == Cardinality::kManyToOne || m.card == Cardinality::kOneToMany) {
    absl::StrAppend(&s, m.card == Cardinality::kManyToOne ? " group_left (" : " group_right (",
                    absl::StrJoin(m.include, ", "), ")");
  }
  return s;
}

std::string SubquerySuffix(const SubqueryExpr& sq) {
  return absl::StrCat("[", FormatPromDuration(sq.range_ms), ":",
                      sq.step_ms != 0 ? FormatPromDuration(sq.step_ms) : "", "]",
                      AtSuffix(sq.at, sq.at_ms), OffsetSuffix(sq.original_offset_ms));
}

std::string Print(const Expr& e) {
  switch (e.kind) {
    case NodeKind::kAggregate: {
      const auto& a = As<AggregateExpr>(e);
      std::string s = AggregateOpString(a) + "(";
      if (a.param != nullptr) absl::StrAppend(&s, Print(*a.param), ", ");
      return absl::StrCat(s, Print(*a.expr), ")");
    }
    case NodeKind::kBinary: {
      const auto& b = As<BinaryExpr>(e);
      return absl::StrCat(Print(*b.lhs), " ", OpName(b.op), BinaryMatchingString(b), " ",
                          Print(*b.rhs));
    }
    case NodeKind::kCall: {
      const auto& c = As<Call>(e);
      std::string s = absl::StrCat(c.func->name, "(");
      for (size_t i = 0; i < c.args.size(); ++i) {
        if (i > 0) s += ", ";
        s += Print(*c.args[i]);
      }
      return s + ")";
    }
    case NodeKind::kMatrixSelector: {
      const auto& m = As<MatrixSelector>(e);
      const auto& vs = As<VectorSelector>(*m.vector_selector);
      return absl::StrCat(SelectorBody(vs), "[", FormatPromDuration(m.range_ms), "]",
                          AtSuffix(vs.at, vs.at_ms), OffsetSuffix(vs.original_offset_ms));
    }
    case NodeKind::kSubquery: {
      const auto& sq = As<SubqueryExpr>(e);
      return Print(*sq.expr) + SubquerySuffix(sq);
    }
    case NodeKind::kNumberLiteral:
      return GoFormatG(As<NumberLiteral>(e).value);  // fmt %v of a float64 is %g
    case NodeKind::kParen:
      return absl::StrCat("(", Print(*As<ParenExpr>(e).expr), ")");
    case NodeKind::kStringLiteral:
      return GoQuote(As<StringLiteral>(e).value);
    case NodeKind::kUnary: {
      const auto& u = As<UnaryExpr>(e);
      return absl::StrCat(OpName(u.op), Print(*u.expr));
    }
    case NodeKind::kStepInvariant:
      return Print(*As<StepInvariantExpr>(e).expr);
    case NodeKind::kVectorSelector: {
      const auto& vs = As<VectorSelector>(e);
      return absl::StrCat(SelectorBody(vs), AtSuffix(vs.at, vs.at_ms),
                          OffsetSuffix(vs.original_offset_ms));
    }
  }
  return "";
}

}  // namespace argus::promql::parser
