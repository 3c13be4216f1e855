// Aggregations of a series over its window: avg, min, max, sum, count, last, present, stddev,
// stdvar and quantile _over_time (functions.go of v2.42). absent_over_time is in absent.cc.
#include <cmath>

#include "promql/functions/internal.h"
#include "promql/functions/quantile.h"

namespace argus::promql::functions_internal {
namespace {

// Appends fn(points) for the range argument `arg`; nothing for an empty window.
template <typename Fn>
void AggrOverTime(std::span<const Value* const> vals, size_t arg, EvalNodeHelper& enh, Fn fn) {
  const Series& in = RangeArg(vals, arg);
  if (in.points.empty()) return;
  AppendRangeResult(enh, in, fn(std::span<const FPoint>(in.points)));
}

// The incremental mean with Kahan compensation, keeping an infinite mean infinite rather
// than turning it into NaN by subtracting it from itself.
double Avg(std::span<const FPoint> pts) {
  double mean = 0, count = 0, c = 0;
  for (const FPoint& p : pts) {
    count++;
    if (std::isinf(mean)) {
      // Inf of the same sign, or a finite value, leaves an infinite mean as it is.
      if (std::isinf(p.v) && (mean > 0) == (p.v > 0)) continue;
      if (!std::isinf(p.v) && !std::isnan(p.v)) continue;
    }
    KahanSumInc(p.v / count - mean / count, mean, c);
  }
  return std::isinf(mean) ? mean : mean + c;
}

double Sum(std::span<const FPoint> pts) {
  double sum = 0, c = 0;
  for (const FPoint& p : pts) KahanSumInc(p.v, sum, c);
  return std::isinf(sum) ? sum : sum + c;
}

// NaNs lose against any number; only NaNs give NaN.
double Max(std::span<const FPoint> pts) {
  double max = pts[0].v;
  for (const FPoint& p : pts) {
    if (p.v > max || std::isnan(max)) max = p.v;
  }
  return max;
}

double Min(std::span<const FPoint> pts) {
  double min = pts[0].v;
  for (const FPoint& p : pts) {
    if (p.v < min || std::isnan(min)) min = p.v;
  }
  return min;
}

// The population variance by Welford's method with Kahan-compensated sums.
double Variance(std::span<const FPoint> pts) {
  double count = 0, mean = 0, c_mean = 0, aux = 0, c_aux = 0;
  for (const FPoint& p : pts) {
    count++;
    const double delta = p.v - (mean + c_mean);
    KahanSumInc(delta / count, mean, c_mean);
    KahanSumInc(delta * (p.v - (mean + c_mean)), aux, c_aux);
  }
  return (aux + c_aux) / count;
}

void AvgOverTime(std::span<const Value* const> vals, std::span<const parser::ExprPtr>,
                 EvalNodeHelper& enh, absl::Status&) {
  AggrOverTime(vals, 0, enh, Avg);
}

void SumOverTime(std::span<const Value* const> vals, std::span<const parser::ExprPtr>,
                 EvalNodeHelper& enh, absl::Status&) {
  AggrOverTime(vals, 0, enh, Sum);
}

void MaxOverTime(std::span<const Value* const> vals, std::span<const parser::ExprPtr>,
                 EvalNodeHelper& enh, absl::Status&) {
  AggrOverTime(vals, 0, enh, Max);
}

void MinOverTime(std::span<const Value* const> vals, std::span<const parser::ExprPtr>,
                 EvalNodeHelper& enh, absl::Status&) {
  AggrOverTime(vals, 0, enh, Min);
}

void CountOverTime(std::span<const Value* const> vals, std::span<const parser::ExprPtr>,
                   EvalNodeHelper& enh, absl::Status&) {
  AggrOverTime(vals, 0, enh,
               [](std::span<const FPoint> pts) { return static_cast<double>(pts.size()); });
}

void PresentOverTime(std::span<const Value* const> vals, std::span<const parser::ExprPtr>,
                     EvalNodeHelper& enh, absl::Status&) {
  AggrOverTime(vals, 0, enh, [](std::span<const FPoint>) { return 1.0; });
}

void StdvarOverTime(std::span<const Value* const> vals, std::span<const parser::ExprPtr>,
                    EvalNodeHelper& enh, absl::Status&) {
  AggrOverTime(vals, 0, enh, Variance);
}

void StddevOverTime(std::span<const Value* const> vals, std::span<const parser::ExprPtr>,
                    EvalNodeHelper& enh, absl::Status&) {
  AggrOverTime(vals, 0, enh, [](std::span<const FPoint> pts) { return std::sqrt(Variance(pts)); });
}

// Like offset, last_over_time keeps the metric name.
void LastOverTime(std::span<const Value* const> vals, std::span<const parser::ExprPtr>,
                  EvalNodeHelper& enh, absl::Status&) {
  const Series& in = RangeArg(vals, 0);
  if (in.points.empty()) return;
  AppendRangeResult(enh, in, in.points.back().v, /*keep_name=*/true);
}

void QuantileOverTime(std::span<const Value* const> vals, std::span<const parser::ExprPtr>,
                      EvalNodeHelper& enh, absl::Status&) {
  const double q = ScalarArg(vals, 0);
  std::vector<double>& values = State(enh).values;
  AggrOverTime(vals, 1, enh, [&](std::span<const FPoint> pts) {
    values.clear();
    for (const FPoint& p : pts) values.push_back(p.v);
    return Quantile(q, values);
  });
}

constexpr NamedFunction kFunctions[] = {
    {"avg_over_time", AvgOverTime},       {"sum_over_time", SumOverTime},
    {"max_over_time", MaxOverTime},       {"min_over_time", MinOverTime},
    {"count_over_time", CountOverTime},   {"present_over_time", PresentOverTime},
    {"stdvar_over_time", StdvarOverTime}, {"stddev_over_time", StddevOverTime},
    {"last_over_time", LastOverTime},     {"quantile_over_time", QuantileOverTime},
};

}  // namespace

std::span<const NamedFunction> OverTimeFunctions() { return kFunctions; }

}  // namespace argus::promql::functions_internal
