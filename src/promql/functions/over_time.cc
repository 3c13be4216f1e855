// Aggregations of a series over its window: avg, min, max, sum, count, last, present, stddev,
// stdvar and quantile _over_time (functions.go of v2.42). absent_over_time is in absent.cc.
#include <algorithm>
#include <cmath>

#include "promql/functions/internal.h"
#include "promql/functions/quantile.h"

namespace argus::promql::functions_internal {
namespace {

// Accumulators of one window's values, in order: constructed with the first value, then given
// every value (the first included), then asked the Result.

// The incremental mean with Kahan compensation, keeping an infinite mean infinite rather
// than turning it into NaN by subtracting it from itself.
struct AvgAcc {
  explicit AvgAcc(double) {}
  void Add(double v) {
    count++;
    if (std::isinf(mean)) {
      // Inf of the same sign, or a finite value, leaves an infinite mean as it is.
      if (std::isinf(v) && (mean > 0) == (v > 0)) return;
      if (!std::isinf(v) && !std::isnan(v)) return;
    }
    KahanSumInc(v / count - mean / count, mean, c);
  }
  double Result() const { return std::isinf(mean) ? mean : mean + c; }
  double mean = 0, count = 0, c = 0;
};

struct SumAcc {
  explicit SumAcc(double) {}
  void Add(double v) { KahanSumInc(v, sum, c); }
  double Result() const { return std::isinf(sum) ? sum : sum + c; }
  double sum = 0, c = 0;
};

// NaNs lose against any number; only NaNs give NaN.
struct MaxAcc {
  explicit MaxAcc(double first) : max(first) {}
  void Add(double v) {
    if (v > max || std::isnan(max)) max = v;
  }
  double Result() const { return max; }
  double max;
};

struct MinAcc {
  explicit MinAcc(double first) : min(first) {}
  void Add(double v) {
    if (v < min || std::isnan(min)) min = v;
  }
  double Result() const { return min; }
  double min;
};

struct CountAcc {
  explicit CountAcc(double) {}
  void Add(double) { count++; }
  double Result() const { return count; }
  double count = 0;
};

struct PresentAcc {
  explicit PresentAcc(double) {}
  void Add(double) {}
  double Result() const { return 1; }
};

// The population variance by Welford's method with Kahan-compensated sums.
struct VarianceAcc {
  explicit VarianceAcc(double) {}
  void Add(double v) {
    count++;
    const double delta = v - (mean + c_mean);
    KahanSumInc(delta / count, mean, c_mean);
    KahanSumInc(delta * (v - (mean + c_mean)), aux, c_aux);
  }
  double Result() const { return (aux + c_aux) / count; }
  double count = 0, mean = 0, c_mean = 0, aux = 0, c_aux = 0;
};

struct StddevAcc : VarianceAcc {
  using VarianceAcc::VarianceAcc;
  double Result() const { return std::sqrt(VarianceAcc::Result()); }
};

// Acc over every step's window, four windows at a time: each window's values go through its
// own accumulator in order (so the result is that of one window alone), while the four
// independent dependency chains overlap in the pipeline. Four named accumulators rather than
// an array, so that they stay in registers.
template <typename Acc>
void OverTimeKernel(std::span<const FPoint> points, std::span<const StepWindow> steps, int64_t,
                    int64_t, std::vector<FPoint>* out) {
  auto one = [&](const StepWindow& w, Acc& acc, size_t from) {
    for (size_t j = from; j < w.hi; ++j) acc.Add(points[j].v);
    out->push_back({w.ts, acc.Result()});
  };
  size_t i = 0;
  for (; i + 4 <= steps.size(); i += 4) {
    const StepWindow &w0 = steps[i], &w1 = steps[i + 1], &w2 = steps[i + 2], &w3 = steps[i + 3];
    Acc a0(points[w0.lo].v), a1(points[w1.lo].v), a2(points[w2.lo].v), a3(points[w3.lo].v);
    const size_t common =
        std::min(std::min(w0.hi - w0.lo, w1.hi - w1.lo), std::min(w2.hi - w2.lo, w3.hi - w3.lo));
    for (size_t j = 0; j < common; ++j) {
      a0.Add(points[w0.lo + j].v);
      a1.Add(points[w1.lo + j].v);
      a2.Add(points[w2.lo + j].v);
      a3.Add(points[w3.lo + j].v);
    }
    one(w0, a0, w0.lo + common);
    one(w1, a1, w1.lo + common);
    one(w2, a2, w2.lo + common);
    one(w3, a3, w3.lo + common);
  }
  for (; i < steps.size(); ++i) {
    Acc acc(points[steps[i].lo].v);
    one(steps[i], acc, steps[i].lo);
  }
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
  const Series& in = RangeArg(vals, 1);
  if (in.points.empty()) return;
  std::vector<double>& values = State(enh).values;
  values.clear();
  for (const FPoint& p : in.points) values.push_back(p.v);
  AppendRangeResult(enh, in, Quantile(ScalarArg(vals, 0), values));
}

constexpr NamedFunction kFunctions[] = {
    {"last_over_time", LastOverTime},
    {"quantile_over_time", QuantileOverTime},
};

constexpr NamedKernel kKernels[] = {
    {"avg_over_time", OverTimeKernel<AvgAcc>},
    {"sum_over_time", OverTimeKernel<SumAcc>},
    {"max_over_time", OverTimeKernel<MaxAcc>},
    {"min_over_time", OverTimeKernel<MinAcc>},
    {"count_over_time", OverTimeKernel<CountAcc>},
    {"present_over_time", OverTimeKernel<PresentAcc>},
    {"stdvar_over_time", OverTimeKernel<VarianceAcc>},
    {"stddev_over_time", OverTimeKernel<StddevAcc>},
};

}  // namespace

std::span<const NamedFunction> OverTimeFunctions() { return kFunctions; }
std::span<const NamedKernel> OverTimeKernels() { return kKernels; }

}  // namespace argus::promql::functions_internal
