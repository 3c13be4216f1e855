// /api/v1/query, /api/v1/query_range and /api/v1/format_query.
#include <algorithm>
#include <atomic>
#include <optional>
#include <string>
#include <utility>

#include "base/status.h"
#include "http/api/v1/endpoint.h"
#include "http/api/v1/errors.h"
#include "http/api/v1/internal.h"
#include "http/api/v1/json.h"
#include "http/api/v1/params.h"
#include "promql/parser/parser.h"

namespace argus::http::api {
namespace {

namespace parser = promql::parser;

// How often the client's connection is looked at while a query runs.
constexpr absl::Duration kClientCheckInterval = absl::Milliseconds(20);
// Prometheus's bound on a range query's steps.
constexpr int64_t kMaxPointsPerSeries = 11000;

// The request's own deadline (the "timeout" parameter), if it gives one.
absl::StatusOr<std::optional<absl::Time>> Deadline(const Request& req) {
  const std::string to = req.Param("timeout");
  if (to.empty()) return std::nullopt;
  absl::StatusOr<absl::Duration> d = ParseDuration(to);
  if (!d.ok()) return InvalidParam(d.status(), "timeout");
  return absl::Now() + *d;
}

// Evaluates `expr` (within the deadline `params` carries), aborting when the client hangs up,
// and writes the result.
absl::Status Evaluate(const ApiDeps& deps, const Request& req, parser::ExprPtr expr,
                      promql::QueryParams params, Reply& reply) {
  // The first look one interval in: only queries running longer ask for the socket.
  std::atomic<int64_t> next_check_ns{absl::ToUnixNanos(absl::Now() + kClientCheckInterval)};
  std::atomic<bool> gone{false};
  params.cancelled = [&] {
    const int64_t now_ns = absl::ToUnixNanos(absl::Now());
    int64_t due = next_check_ns.load(std::memory_order_relaxed);
    if (now_ns >= due && next_check_ns.compare_exchange_strong(
                             due, now_ns + absl::ToInt64Nanoseconds(kClientCheckInterval))) {
      if (req.ClientGone()) gone = true;
    }
    return gone.load();
  };
  ASSIGN_OR_RETURN(RequestQueryable q, QueryableFor(deps, req));
  ASSIGN_OR_RETURN(promql::QueryResult r, deps.engine->Exec(*q.queryable, std::move(expr), params));
  AppendQueryData(r.value, reply.data);
  reply.warnings = std::move(r.warnings);
  return absl::OkStatus();
}

absl::Status Query(const ApiDeps& deps, const Request& req, Reply& reply) {
  ASSIGN_OR_RETURN(const int64_t t, TimeParam(req, "time", absl::ToUnixMillis(deps.now())));
  ASSIGN_OR_RETURN(std::optional<absl::Time> deadline, Deadline(req));
  absl::StatusOr<parser::ExprPtr> expr = parser::ParseExpr(req.Param("query"));
  if (!expr.ok()) return InvalidParam(expr.status(), "query");
  promql::QueryParams params;
  params.start_ms = params.end_ms = t;
  params.deadline = deadline;
  return Evaluate(deps, req, *std::move(expr), std::move(params), reply);
}

absl::Status QueryRange(const ApiDeps& deps, const Request& req, Reply& reply) {
  absl::StatusOr<int64_t> start = ParseTime(req.Param("start"));
  if (!start.ok()) return InvalidParam(start.status(), "start");
  absl::StatusOr<int64_t> end = ParseTime(req.Param("end"));
  if (!end.ok()) return InvalidParam(end.status(), "end");
  if (*end < *start) {
    return InvalidParam(absl::InvalidArgumentError("end timestamp must not be before start time"),
                        "end");
  }
  absl::StatusOr<absl::Duration> step = ParseDuration(req.Param("step"));
  if (!step.ok()) return InvalidParam(step.status(), "step");
  if (*step <= absl::ZeroDuration()) {
    return InvalidParam(absl::InvalidArgumentError("zero or negative query resolution step widths "
                                                   "are not accepted. Try a positive integer"),
                        "step");
  }
  // (end - start) / step in nanoseconds, the span saturating as Go's Time.Sub does.
  const __int128 span_ns = static_cast<__int128>(*end - *start) * 1'000'000;
  const int64_t span = span_ns > INT64_MAX ? INT64_MAX : static_cast<int64_t>(span_ns);
  if (span / absl::ToInt64Nanoseconds(*step) > kMaxPointsPerSeries) {
    return absl::InvalidArgumentError(
        "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query "
        "resolution (?step=XX)");
  }
  ASSIGN_OR_RETURN(std::optional<absl::Time> deadline, Deadline(req));
  // Unlike the instant query's, the range query's parse errors are not put as parameter errors.
  ASSIGN_OR_RETURN(parser::ExprPtr expr, parser::ParseExpr(req.Param("query")));
  promql::QueryParams params;
  params.start_ms = *start;
  params.end_ms = *end;
  // Whole milliseconds; a step under 1 ms (which Prometheus would turn into 0) is 1 ms.
  params.step_ms = std::max<int64_t>(1, absl::ToInt64Milliseconds(*step));
  params.deadline = deadline;
  return Evaluate(deps, req, std::move(expr), std::move(params), reply);
}

absl::Status FormatQuery(const Request& req, Reply& reply) {
  absl::StatusOr<parser::ExprPtr> expr = parser::ParseExpr(req.Param("query"));
  if (!expr.ok()) return InvalidParam(expr.status(), "query");
  AppendJsonString(parser::Prettify(**expr), reply.data);
  return absl::OkStatus();
}

}  // namespace

void RegisterQueryEndpoints(Server& web, const ApiDeps& deps) {
  web.GetPost("/api/v1/query", "/api/v1/query",
              Serve([deps](const Request& req, Reply& r) { return Query(deps, req, r); }));
  web.GetPost("/api/v1/query_range", "/api/v1/query_range",
              Serve([deps](const Request& req, Reply& r) { return QueryRange(deps, req, r); }));
  web.GetPost("/api/v1/format_query", "/api/v1/format_query", Serve(FormatQuery));
}

}  // namespace argus::http::api
