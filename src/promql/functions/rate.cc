// How a series changes over its window: rate, increase, delta, irate, idelta, deriv,
// predict_linear, holt_winters, resets, changes (functions.go of v2.42).
#include <cmath>
#include <limits>

#include "absl/strings/str_format.h"
#include "promql/functions/internal.h"

namespace argus::promql::functions_internal {
namespace {

// Prometheus's extrapolatedRate over the window pts (at least two points) of
// [range_start, range_end] (range_s seconds long) given the change over it, `result` (counter
// resets added back for a counter): extrapolated towards the window's edges when the first and last
// samples lie within 1.1 average intervals of them (else by half an interval), never below a
// counter's zero point; per second when kRate.
template <bool kCounter, bool kRate>
double ExtrapolatedRate(std::span<const FPoint> pts, double result, int64_t range_start,
                        int64_t range_end, double range_s) {
  const FPoint& first = pts.front();
  const FPoint& last = pts.back();
  double to_start = static_cast<double>(first.t - range_start) / 1000;
  const double to_end = static_cast<double>(range_end - last.t) / 1000;
  const double sampled = static_cast<double>(last.t - first.t) / 1000;
  const double avg_interval = sampled / static_cast<double>(pts.size() - 1);

  if (kCounter && result > 0 && first.v >= 0) {
    // A counter starts at zero: do not extrapolate back past the point where the line
    // through the samples would cross it.
    const double to_zero = sampled * (first.v / result);
    if (to_zero < to_start) to_start = to_zero;
  }

  const double threshold = avg_interval * 1.1;
  double interval = sampled;
  interval += to_start < threshold ? to_start : avg_interval / 2;
  interval += to_end < threshold ? to_end : avg_interval / 2;
  double factor = interval / sampled;
  if (kRate) factor /= range_s;
  return result * factor;
}

// rate, increase and delta: nothing for a window of fewer than two points.
template <bool kCounter, bool kRate>
void ExtrapolatedRateKernel(std::span<const FPoint> points, std::span<const StepWindow> steps,
                            int64_t range_ms, int64_t offset_ms, std::vector<FPoint>* out) {
  // A counter's resets in the current window, kept as the windows move forward: the points j
  // in (counted_from, counted_to] lower than the point before them. A window without any (most
  // are) needs no walk over its points, and the loop over steps no data-dependent branch.
  size_t counted_from = 0, counted_to = 0, resets = 0;
  const double range_s = static_cast<double>(range_ms) / 1000;
  auto is_reset = [&](size_t j) -> size_t { return points[j].v < points[j - 1].v; };
  for (const StepWindow& s : steps) {
    if (s.hi - s.lo < 2) continue;
    const std::span<const FPoint> pts = points.subspan(s.lo, s.hi - s.lo);
    double result = pts.back().v - pts.front().v;
    if (kCounter) {
      for (; counted_to < s.hi - 1; ++counted_to) resets += is_reset(counted_to + 1);
      for (; counted_from < s.lo; ++counted_from) resets -= is_reset(counted_from + 1);
      if (resets != 0) {
        // Added back in order, as Prometheus adds them.
        for (size_t j = 1; j < pts.size(); ++j) {
          if (pts[j].v < pts[j - 1].v) result += pts[j - 1].v;
        }
      }
    }
    const int64_t range_end = s.ts - offset_ms;
    out->push_back({s.ts, ExtrapolatedRate<kCounter, kRate>(pts, result, range_end - range_ms,
                                                            range_end, range_s)});
  }
}

// irate/idelta: from the last two samples only; irate treats a drop as a counter reset.
void InstantValue(std::span<const Value* const> vals, EvalNodeHelper& enh, bool is_rate) {
  const Series& in = RangeArg(vals, 0);
  const size_t n = in.points.size();
  if (n < 2) return;
  const FPoint& last = in.points[n - 1];
  const FPoint& prev = in.points[n - 2];
  double result = is_rate && last.v < prev.v ? last.v : last.v - prev.v;
  const int64_t interval = last.t - prev.t;
  if (interval == 0) return;
  if (is_rate) result /= static_cast<double>(interval) / 1000;
  AppendRangeResult(enh, in, result);
}

void Irate(std::span<const Value* const> vals, std::span<const parser::ExprPtr>,
           EvalNodeHelper& enh, absl::Status&) {
  InstantValue(vals, enh, /*is_rate=*/true);
}

void Idelta(std::span<const Value* const> vals, std::span<const parser::ExprPtr>,
            EvalNodeHelper& enh, absl::Status&) {
  InstantValue(vals, enh, /*is_rate=*/false);
}

struct Line {
  double slope = 0;
  double intercept = 0;
};

// Least-squares fit of value against time in seconds relative to `intercept_ms` (Kahan sums
// as v2.42); a constant series gives slope 0, or NaN when the constant is infinite.
Line LinearRegression(std::span<const FPoint> pts, int64_t intercept_ms) {
  double n = 0, sum_x = 0, c_x = 0, sum_y = 0, c_y = 0, sum_xy = 0, c_xy = 0, sum_x2 = 0, c_x2 = 0;
  const double init_y = pts[0].v;
  bool const_y = true;
  for (const FPoint& p : pts) {
    if (const_y && p.v != init_y) const_y = false;
    n += 1;
    const double x = static_cast<double>(p.t - intercept_ms) / 1e3;
    KahanSumInc(x, sum_x, c_x);
    KahanSumInc(p.v, sum_y, c_y);
    KahanSumInc(x * p.v, sum_xy, c_xy);
    KahanSumInc(x * x, sum_x2, c_x2);
  }
  if (const_y) {
    if (std::isinf(init_y)) {
      const double nan = std::numeric_limits<double>::quiet_NaN();
      return {nan, nan};
    }
    return {0, init_y};
  }
  sum_x += c_x;
  sum_y += c_y;
  sum_xy += c_xy;
  sum_x2 += c_x2;
  const double cov_xy = sum_xy - sum_x * sum_y / n;
  const double var_x = sum_x2 - sum_x * sum_x / n;
  const double slope = cov_xy / var_x;
  return {slope, sum_y / n - slope * sum_x / n};
}

void Deriv(std::span<const Value* const> vals, std::span<const parser::ExprPtr>,
           EvalNodeHelper& enh, absl::Status&) {
  const Series& in = RangeArg(vals, 0);
  if (in.points.size() < 2) return;
  // Times relative to the first sample keep the sums small (prometheus#2674).
  AppendRangeResult(enh, in, LinearRegression(in.points, in.points[0].t).slope);
}

void PredictLinear(std::span<const Value* const> vals, std::span<const parser::ExprPtr>,
                   EvalNodeHelper& enh, absl::Status&) {
  const Series& in = RangeArg(vals, 0);
  const double duration = ScalarArg(vals, 1);
  if (in.points.size() < 2) return;
  const Line line = LinearRegression(in.points, enh.ts);
  AppendRangeResult(enh, in, line.slope * duration + line.intercept);
}

// Go's %f: six decimals; NaN and ±Inf spelled as Go spells them.
std::string GoFormatFixed(double v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  return absl::StrFormat("%f", v);
}

// Double exponential smoothing with smoothing factor sf and trend factor tf, both in (0, 1).
void HoltWinters(std::span<const Value* const> vals, std::span<const parser::ExprPtr>,
                 EvalNodeHelper& enh, absl::Status& error) {
  const Series& in = RangeArg(vals, 0);
  const double sf = ScalarArg(vals, 1);
  const double tf = ScalarArg(vals, 2);
  if (!(sf > 0 && sf < 1)) {
    error = absl::FailedPreconditionError("invalid smoothing factor. Expected: 0 < sf < 1, got: " +
                                          GoFormatFixed(sf));
    return;
  }
  if (!(tf > 0 && tf < 1)) {
    error = absl::FailedPreconditionError("invalid trend factor. Expected: 0 < tf < 1, got: " +
                                          GoFormatFixed(tf));
    return;
  }
  const std::span<const FPoint> pts = in.points;
  if (pts.size() < 2) return;
  double s0 = 0;
  double s1 = pts[0].v;
  double b = pts[1].v - pts[0].v;
  for (size_t i = 1; i < pts.size(); ++i) {
    const double x = sf * pts[i].v;
    // The trend: the first step keeps the initial one.
    if (i > 1) b = tf * (s1 - s0) + (1 - tf) * b;
    const double y = (1 - sf) * (s1 + b);
    s0 = s1;
    s1 = x + y;
  }
  AppendRangeResult(enh, in, s1);
}

void Resets(std::span<const Value* const> vals, std::span<const parser::ExprPtr>,
            EvalNodeHelper& enh, absl::Status&) {
  const Series& in = RangeArg(vals, 0);
  if (in.points.empty()) return;
  int resets = 0;
  for (size_t i = 1; i < in.points.size(); ++i) {
    if (in.points[i].v < in.points[i - 1].v) ++resets;
  }
  AppendRangeResult(enh, in, resets);
}

void Changes(std::span<const Value* const> vals, std::span<const parser::ExprPtr>,
             EvalNodeHelper& enh, absl::Status&) {
  const Series& in = RangeArg(vals, 0);
  if (in.points.empty()) return;
  int changes = 0;
  for (size_t i = 1; i < in.points.size(); ++i) {
    const double prev = in.points[i - 1].v;
    const double cur = in.points[i].v;
    if (cur != prev && !(std::isnan(cur) && std::isnan(prev))) ++changes;
  }
  AppendRangeResult(enh, in, changes);
}

constexpr NamedFunction kFunctions[] = {
    {"irate", Irate},
    {"idelta", Idelta},
    {"deriv", Deriv},
    {"predict_linear", PredictLinear},
    {"holt_winters", HoltWinters},
    {"resets", Resets},
    {"changes", Changes},
};

constexpr NamedKernel kKernels[] = {
    {"rate", ExtrapolatedRateKernel</*kCounter=*/true, /*kRate=*/true>},
    {"increase", ExtrapolatedRateKernel</*kCounter=*/true, /*kRate=*/false>},
    {"delta", ExtrapolatedRateKernel</*kCounter=*/false, /*kRate=*/false>},
};

}  // namespace

std::span<const NamedFunction> RateFunctions() { return kFunctions; }
std::span<const NamedKernel> RateKernels() { return kKernels; }

}  // namespace argus::promql::functions_internal
