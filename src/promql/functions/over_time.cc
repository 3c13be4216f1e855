// Aggregations of a series over its window: avg, min, max, sum, count, last, present, stddev,
// stdvar and quantile _over_time (functions.go of v2.42). absent_over_time is in absent.cc.
#include <algorithm>
#include <cmath>
#include <limits>

#include "promql/functions/internal.h"
#include "promql/functions/quantile.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace argus::promql::functions_internal {
namespace {

// Accumulators of one window's values, in order: constructed with the first value, then given
// every value (the first included), then asked the Result.

// The incremental mean with Kahan compensation, keeping an infinite mean infinite rather
// than turning it into NaN by subtracting it from itself.
struct AvgAcc {
  explicit AvgAcc(double) {}
  AvgAcc(double mean, double count, double c) : mean(mean), count(count), c(c) {}
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

// Adds the values at positions [0, n) of four windows (p0..p3) to their accumulators, in
// lockstep and in order, as far as it can do so faster than one by one; returns how far it got
// (the kernel adds the rest). This default leaves everything to the kernel.
template <typename Acc>
size_t AddInLockstep(Acc&, Acc&, Acc&, Acc&, const FPoint*, const FPoint*, const FPoint*,
                     const FPoint*, size_t) {
  return 0;
}

#ifdef __SSE2__
// KahanSumInc on two lanes: both branches' operations, the right one's result selected.
inline void KahanSumInc2(__m128d inc, __m128d& sum, __m128d& c) {
  const __m128d sign = _mm_set1_pd(-0.0);
  const __m128d t = _mm_add_pd(sum, inc);
  const __m128d sum_bigger = _mm_cmpge_pd(_mm_andnot_pd(sign, sum), _mm_andnot_pd(sign, inc));
  const __m128d if_bigger = _mm_add_pd(_mm_sub_pd(sum, t), inc);
  const __m128d if_smaller = _mm_add_pd(_mm_sub_pd(inc, t), sum);
  c = _mm_add_pd(
      c, _mm_or_pd(_mm_and_pd(sum_bigger, if_bigger), _mm_andnot_pd(sum_bigger, if_smaller)));
  sum = t;
}

// avg_over_time two windows to a register: AvgAcc::Add's operations on packed doubles, halving
// the divisions that bound it. Stops where a mean becomes infinite (AvgAcc's special case).
// The four accumulators are fresh: their counts are the position.
template <>
size_t AddInLockstep(AvgAcc& a0, AvgAcc& a1, AvgAcc& a2, AvgAcc& a3, const FPoint* p0,
                     const FPoint* p1, const FPoint* p2, const FPoint* p3, size_t n) {
  const __m128d inf = _mm_set1_pd(std::numeric_limits<double>::infinity());
  const __m128d sign = _mm_set1_pd(-0.0);
  __m128d mean01 = _mm_setzero_pd(), c01 = _mm_setzero_pd();
  __m128d mean23 = _mm_setzero_pd(), c23 = _mm_setzero_pd();
  size_t j = 0;
  for (; j < n; ++j) {
    const __m128d any_inf = _mm_or_pd(_mm_cmpeq_pd(_mm_andnot_pd(sign, mean01), inf),
                                      _mm_cmpeq_pd(_mm_andnot_pd(sign, mean23), inf));
    if (_mm_movemask_pd(any_inf) != 0) break;
    const __m128d count = _mm_set1_pd(static_cast<double>(j + 1));
    const __m128d v01 = _mm_set_pd(p1[j].v, p0[j].v);
    const __m128d v23 = _mm_set_pd(p3[j].v, p2[j].v);
    KahanSumInc2(_mm_sub_pd(_mm_div_pd(v01, count), _mm_div_pd(mean01, count)), mean01, c01);
    KahanSumInc2(_mm_sub_pd(_mm_div_pd(v23, count), _mm_div_pd(mean23, count)), mean23, c23);
  }
  const auto count = static_cast<double>(j);
  a0 = AvgAcc(_mm_cvtsd_f64(mean01), count, _mm_cvtsd_f64(c01));
  a1 = AvgAcc(_mm_cvtsd_f64(_mm_unpackhi_pd(mean01, mean01)), count,
              _mm_cvtsd_f64(_mm_unpackhi_pd(c01, c01)));
  a2 = AvgAcc(_mm_cvtsd_f64(mean23), count, _mm_cvtsd_f64(c23));
  a3 = AvgAcc(_mm_cvtsd_f64(_mm_unpackhi_pd(mean23, mean23)), count,
              _mm_cvtsd_f64(_mm_unpackhi_pd(c23, c23)));
  return j;
}
#endif

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
    size_t j = AddInLockstep(a0, a1, a2, a3, &points[w0.lo], &points[w1.lo], &points[w2.lo],
                             &points[w3.lo], common);
    for (; j < common; ++j) {
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
