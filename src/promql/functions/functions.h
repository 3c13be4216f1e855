// What the PromQL functions of v2.42 compute (promql/functions.go): for each name in
// parser/functions.h either a FunctionCall, called by the engine once per evaluation step (and,
// for functions of a range vector, once per series and step), or a RangeKernel, called once per
// series for all steps.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "promql/parser/ast.h"
#include "promql/value.h"

namespace argus::promql {

struct FunctionState;  // functions/internal.h

// State kept by the engine for one call node across the steps of a query (Prometheus's
// EvalNodeHelper): the step's timestamp, the output buffer, and caches functions may keep.
// Give every call node its own helper: the caches assume one function with the same string
// arguments (label_replace's compiled regex, ...).
struct EvalNodeHelper {
  int64_t ts = 0;  // the evaluation timestamp of this step, ms
  Vector out;      // the engine clears it before each call; the function appends its result
  // Functions of a range vector append one sample per call. When true they label it as
  // Prometheus labels the output series: the input series' labels without __name__ (kept by
  // last_over_time). When false they leave its labels empty, for an engine that names each
  // output series once rather than copying the labels at every step.
  bool label_range_results = true;
  // The functions' caches (label sets without __name__, regexes, bucket groups, scratch
  // buffers), created on first use. Copies of the helper share it.
  std::shared_ptr<FunctionState> state;
};

// The arguments at one step, in argument order (Prometheus's `vals`):
// - an instant-vector argument: the Vector at this step;
// - a scalar argument: a one-sample Vector holding the scalar (empty labels);
// - a range-vector argument: a Matrix of exactly one Series, its points those of the window
//   (t - range - offset, t - offset] (the metric name kept);
// - a string argument: an empty Vector (read the literal from `args`).
// `args` are the call's argument expressions (strings, and the selector for range and offset).
// The function appends its result to enh.out. Errors (label_replace's bad regex, ...) are
// reported through `error`, set to a non-OK status; the engine then fails the query with it.
using FunctionCall = void (*)(std::span<const Value* const> vals,
                              std::span<const parser::ExprPtr> args, EvalNodeHelper& enh,
                              absl::Status& error);

// The implementation of the function called `name`, or nullptr when a RangeKernel computes it.
FunctionCall LookupFunctionCall(absl::string_view name);

// One evaluation step of a function of a range vector: the step's time and its window, the
// points [lo, hi) of the series' points (never empty).
struct StepWindow {
  int64_t ts = 0;
  size_t lo = 0, hi = 0;
};

// The batched form of a function whose only argument is a range vector (rate, increase, delta
// and the *_over_time aggregations but last_over_time): computes it for one series at every
// step of `steps` over `points` (the series' points without stale markers, in time order; the
// windows in increasing time, each [ts - range - offset, ts - offset]) and appends {ts, value}
// to `out` for each step with a result. The engine labels the series, without __name__.
using RangeKernel = void (*)(std::span<const FPoint> points, std::span<const StepWindow> steps,
                             int64_t range_ms, int64_t offset_ms, std::vector<FPoint>* out);

// The batched form of the function called `name`, or nullptr (LookupFunctionCall has it).
RangeKernel LookupRangeKernel(absl::string_view name);

// `l` without the labels called one of `names`.
labels::Labels LabelsWithout(const labels::Labels& l,
                             std::initializer_list<absl::string_view> names);

// `l` without __name__, as functions and arithmetic label their results.
labels::Labels DropMetricName(const labels::Labels& l);

}  // namespace argus::promql
