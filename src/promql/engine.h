// The PromQL engine (promql/engine.go of v2.42): evaluates a parsed expression over any
// storage::Queryable (the local TSDB for `argus server`, the StoreAPI fan-out for
// `argus query`), as an instant query or a range query, with Prometheus's limits.
//
// Errors of Query/Exec, by status code, and the HTTP API error type each maps to:
//   InvalidArgument     bad_data  (400)  parse errors, a bad range/step
//   FailedPrecondition  execution (422)  evaluation errors (many-to-many matching, ...)
//   ResourceExhausted   execution (422)  more than max_samples samples loaded at once
//   DeadlineExceeded    timeout   (503)  the query ran longer than `timeout` or past `deadline`
//   Cancelled           canceled  (503)  the caller's `cancelled` turned true
//   anything else       internal  (500)  storage errors
// The messages are Prometheus's ("query processing would load too many samples into memory
// in query execution", "query timed out in expression evaluation", ...).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "promql/parser/ast.h"
#include "promql/value.h"
#include "storage/storage.h"

namespace argus::promql {

struct EngineOptions {
  int64_t lookback_delta_ms = 5 * 60 * 1000;  // --query.lookback-delta
  absl::Duration timeout = absl::Minutes(2);  // --query.timeout
  int64_t max_samples = 50'000'000;           // --query.max-samples
  int max_concurrency = 20;                   // --query.max-concurrency: queries run at once
  // The step of subqueries written without one (`x[5m:]`), asked once per query: the global
  // evaluation_interval of the running configuration, which a reload may change. Empty: 1m.
  std::function<int64_t()> no_step_subquery_interval_ms;
};

struct QueryParams {
  // Instant query: start_ms == end_ms == the evaluation time and step_ms == 0.
  // Range query: start_ms <= end_ms, step_ms > 0; the result is always a Matrix.
  int64_t start_ms = 0;
  int64_t end_ms = 0;
  int64_t step_ms = 0;
  // Polled during evaluation; returning true aborts the query with Cancelled (the HTTP client
  // went away). May be empty.
  std::function<bool()> cancelled;
  // The caller's own deadline (e.g. the API's `timeout` parameter). The query, its wait for a
  // concurrency slot included, ends with DeadlineExceeded at the earlier of this and
  // now + EngineOptions::timeout. Empty: only the engine's timeout applies.
  std::optional<absl::Time> deadline;
};

struct QueryResult {
  Value value;
  std::vector<std::string> warnings;  // e.g. from the storage, shown in the API's "warnings"
};

// Thread-safe: any number of threads may run queries; at most max_concurrency evaluate at a
// time, the others wait (their wait counts against their timeout).
class Engine {
 public:
  explicit Engine(EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  const EngineOptions& options() const { return options_; }

  // Parses `query` and evaluates it. `queryable` must outlive the call.
  absl::StatusOr<QueryResult> Query(storage::Queryable& queryable, absl::string_view query,
                                    const QueryParams& params);
  // Evaluates an already parsed expression (rules, tests); takes the tree because evaluation
  // preprocesses it (step invariants, @ offsets).
  absl::StatusOr<QueryResult> Exec(storage::Queryable& queryable, parser::ExprPtr expr,
                                   const QueryParams& params);

 private:
  struct Gate;  // the max_concurrency semaphore
  EngineOptions options_;
  std::unique_ptr<Gate> gate_;
};

}  // namespace argus::promql
