#include "promql/engine.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "base/status.h"
#include "promql/evaluator.h"
#include "promql/parser/parser.h"
#include "promql/preprocess.h"

namespace argus::promql {

using engine_internal::Evaluator;
using engine_internal::QueryState;

// Admits at most `max` queries at a time; the others wait in line.
struct Engine::Gate {
  absl::Mutex mu;
  int running ABSL_GUARDED_BY(mu) = 0;
  int max = 0;  // <= 0: no limit

  // Waits for a slot until `deadline`, polling `cancelled`.
  absl::Status Acquire(absl::Time deadline, const std::function<bool()>& cancelled) {
    absl::MutexLock lock(&mu);
    auto has_room = [this]() ABSL_SHARED_LOCKS_REQUIRED(mu) { return max <= 0 || running < max; };
    while (!has_room()) {
      if (cancelled && cancelled()) {
        return absl::CancelledError("query was canceled in query queue");
      }
      if (absl::Now() >= deadline) {
        return absl::DeadlineExceededError("query timed out in query queue");
      }
      // Wake up now and then to notice a cancellation.
      mu.AwaitWithDeadline(absl::Condition(&has_room),
                           std::min(deadline, absl::Now() + absl::Milliseconds(50)));
    }
    ++running;
    return absl::OkStatus();
  }

  void Release() {
    absl::MutexLock lock(&mu);
    --running;
  }
};

Engine::Engine(EngineOptions options) : options_(options), gate_(std::make_unique<Gate>()) {
  gate_->max = options_.max_concurrency;
}

Engine::~Engine() = default;

absl::StatusOr<QueryResult> Engine::Query(storage::Queryable& queryable, absl::string_view query,
                                          const QueryParams& params) {
  ASSIGN_OR_RETURN(parser::ExprPtr expr, parser::ParseExpr(query));
  return Exec(queryable, std::move(expr), params);
}

absl::StatusOr<QueryResult> Engine::Exec(storage::Queryable& queryable, parser::ExprPtr expr,
                                         const QueryParams& params) {
  const bool instant = params.step_ms <= 0;
  const int64_t start = params.start_ms;
  const int64_t end = instant ? params.start_ms : params.end_ms;
  const parser::ValueType type = expr->Type();
  if (!instant) {
    if (type != parser::ValueType::kVector && type != parser::ValueType::kScalar) {
      return absl::InvalidArgumentError(absl::StrCat("invalid expression type \"",
                                                     parser::DocumentedType(type),
                                                     "\" for range query, must be Scalar or "
                                                     "instant Vector"));
    }
    if (end < start) {
      return absl::InvalidArgumentError("end timestamp must not be before start time");
    }
  }

  absl::Time deadline = absl::Now() + options_.timeout;
  if (params.deadline.has_value()) deadline = std::min(deadline, *params.deadline);
  RETURN_IF_ERROR(gate_->Acquire(deadline, params.cancelled));
  struct Release {
    Gate* gate;
    ~Release() { gate->Release(); }
  } release{gate_.get()};

  engine_internal::PreprocessExpr(expr, start, end);
  engine_internal::SelectRanges ranges =
      engine_internal::ComputeSelectRanges(*expr, start, end, options_.lookback_delta_ms);
  ASSIGN_OR_RETURN(std::unique_ptr<storage::Querier> querier,
                   queryable.NewQuerier(ranges.mint, ranges.maxt));
  engine_internal::SetOffsetForAtModifier(start, *expr);

  QueryState q;
  q.querier = querier.get();
  q.lookback_ms = options_.lookback_delta_ms;
  q.no_step_subquery_interval_ms =
      options_.no_step_subquery_interval_ms ? options_.no_step_subquery_interval_ms() : 60'000;
  q.max_samples = options_.max_samples;
  q.deadline = deadline;
  q.cancelled = &params.cancelled;
  q.select_hints = std::move(ranges.hints);
  RETURN_IF_ERROR(q.CheckDone());

  Evaluator ev(q, start, end, instant ? 1 : params.step_ms);
  ASSIGN_OR_RETURN(Value val, ev.Eval(*expr));
  QueryResult result;
  result.warnings = querier->Warnings();
  if (std::holds_alternative<String>(val)) {
    result.value = std::move(val);
    return result;
  }
  Matrix m = std::get<Matrix>(std::move(val));
  if (!instant) {
    RETURN_IF_ERROR(q.CheckDone());
    std::sort(m.begin(), m.end(), [](const Series& a, const Series& b) {
      return labels::Compare(a.metric, b.metric) < 0;
    });
    result.value = std::move(m);
    return result;
  }
  switch (type) {
    case parser::ValueType::kVector: {
      // One point per series, stamped with the evaluation time.
      Vector v;
      v.reserve(m.size());
      for (Series& s : m) v.push_back(Sample{std::move(s.metric), start, s.points.at(0).v});
      result.value = std::move(v);
      break;
    }
    case parser::ValueType::kScalar:
      result.value = Scalar{start, m.empty() || m[0].points.empty() ? 0 : m[0].points[0].v};
      break;
    default:
      result.value = std::move(m);
      break;
  }
  return result;
}

}  // namespace argus::promql
