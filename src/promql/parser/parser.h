// The PromQL parser (promql/parser): the full v2.42 grammar, with Prometheus's type checks and
// error messages, and the printer behind /api/v1/format_query.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "model/labels/matcher.h"
#include "promql/parser/ast.h"

namespace argus::promql::parser {

// Parses and type-checks a whole expression. Errors: InvalidArgument whose message reads as
// Prometheus's ParseErrors, position first: `1:6: parse error: unexpected <EOF>` (line:col of
// the offending item, 1-based; multi-line queries count lines).
absl::StatusOr<ExprPtr> ParseExpr(absl::string_view input);

// A series selector as /api/v1/series match[] and promtool take it (`up{job="a"}`, `{a=~"b"}`).
// Errors as ParseExpr's. Like Prometheus's ParseMetricSelector it runs no type checks, so
// `{}` or `{a=""}` parse (to no / only empty-matching matchers): callers that need a
// non-empty matcher check it themselves (the API's "match[] must contain at least one
// non-empty matcher").
absl::StatusOr<std::vector<labels::Matcher>> ParseMetricSelector(absl::string_view input);

// The expression as Prometheus's String() prints it (canonical spacing, durations as
// model.Duration, numbers as Go's strconv 'g'-like FormatFloat); ParseExpr(Print(e)) is e.
std::string Print(const Expr& e);

// Prometheus's Prettify() (format_query output): Print, broken over indented lines when longer
// than 100 characters.
std::string Prettify(const Expr& e);

}  // namespace argus::promql::parser
