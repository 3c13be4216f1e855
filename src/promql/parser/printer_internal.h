// Pieces of Print() that Prettify() reuses (printer.go's getAggOpStr, getMatchingStr and
// getSubqueryTimeSuffix). Internal to the parser library.
#pragma once

#include <string>

#include "promql/parser/ast.h"

namespace argus::promql::parser {

// "sum", "sum by (a, b) ", "sum without (a) " (with the trailing space when grouped).
std::string AggregateOpString(const AggregateExpr& a);
// " bool", " on (a)", " ignoring (a) group_left (b)", or "".
std::string BinaryMatchingString(const BinaryExpr& b);
// "[5m:1m] @ 10.000 offset 1m" of a subquery.
std::string SubquerySuffix(const SubqueryExpr& sq);

}  // namespace argus::promql::parser
