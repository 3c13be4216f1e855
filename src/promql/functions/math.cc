// Functions of each sample's value: abs, ceil, floor, exp, sqrt, ln, log2, log10, round, sgn,
// clamp, clamp_min, clamp_max, the trigonometric and hyperbolic functions, deg, rad, pi
// (functions.go of v2.42). All drop the metric name.
#include <cmath>
#include <numbers>

#include "promql/functions/internal.h"

namespace argus::promql::functions_internal {
namespace {

// Appends f(v) for every sample of the vector argument 0, without __name__.
template <double (*F)(double)>
void Simple(std::span<const Value* const> vals, std::span<const parser::ExprPtr>,
            EvalNodeHelper& enh, absl::Status&) {
  for (const Sample& s : VectorArg(vals, 0)) {
    AppendSample(enh, DropMetricName(enh, s.metric), F(s.v));
  }
}

double Abs(double v) { return std::fabs(v); }
double Ceil(double v) { return std::ceil(v); }
double Floor(double v) { return std::floor(v); }
double Exp(double v) { return std::exp(v); }
double Sqrt(double v) { return std::sqrt(v); }
double Ln(double v) { return std::log(v); }
// Go's math.Log2: exact for powers of two, else ln(frac) / ln(2) + exp.
double Log2(double v) {
  if (!std::isfinite(v) || v == 0) return std::log(v) * std::numbers::log2e;
  int exp = 0;
  const double frac = std::frexp(v, &exp);
  if (frac == 0.5) return exp - 1;
  return std::log(frac) * std::numbers::log2e + exp;
}
// Go's math.Log10: ln(v) / ln(10).
double Log10(double v) { return std::log(v) * std::numbers::log10e; }
double Sin(double v) { return std::sin(v); }
double Cos(double v) { return std::cos(v); }
double Tan(double v) { return std::tan(v); }
double Asin(double v) { return std::asin(v); }
double Acos(double v) { return std::acos(v); }
double Atan(double v) { return std::atan(v); }
double Sinh(double v) { return std::sinh(v); }
double Cosh(double v) { return std::cosh(v); }
double Tanh(double v) { return std::tanh(v); }
double Asinh(double v) { return std::asinh(v); }
double Acosh(double v) { return std::acosh(v); }
double Atanh(double v) { return std::atanh(v); }
double Deg(double v) { return v * 180 / std::numbers::pi; }
double Rad(double v) { return v * std::numbers::pi / 180; }
// -1, 1, or the value itself for zeros and NaN.
double Sgn(double v) { return v < 0 ? -1 : v > 0 ? 1 : v; }

// Go's math.Max and math.Min: an infinity in the right direction wins even over NaN, then
// NaN wins, and +0 is larger than -0.
double GoMax(double x, double y) {
  if (std::isinf(x) && x > 0) return x;
  if (std::isinf(y) && y > 0) return y;
  if (std::isnan(x) || std::isnan(y)) return std::nan("");
  if (x == 0 && x == y) return std::signbit(x) ? y : x;
  return x > y ? x : y;
}
double GoMin(double x, double y) {
  if (std::isinf(x) && x < 0) return x;
  if (std::isinf(y) && y < 0) return y;
  if (std::isnan(x) || std::isnan(y)) return std::nan("");
  if (x == 0 && x == y) return std::signbit(x) ? x : y;
  return x < y ? x : y;
}

// clamp(v, min, max): nothing at all when max < min.
void Clamp(std::span<const Value* const> vals, std::span<const parser::ExprPtr>,
           EvalNodeHelper& enh, absl::Status&) {
  const double min = ScalarArg(vals, 1);
  const double max = ScalarArg(vals, 2);
  if (max < min) return;
  for (const Sample& s : VectorArg(vals, 0)) {
    AppendSample(enh, DropMetricName(enh, s.metric), GoMax(min, GoMin(max, s.v)));
  }
}

void ClampMax(std::span<const Value* const> vals, std::span<const parser::ExprPtr>,
              EvalNodeHelper& enh, absl::Status&) {
  const double max = ScalarArg(vals, 1);
  for (const Sample& s : VectorArg(vals, 0)) {
    AppendSample(enh, DropMetricName(enh, s.metric), GoMin(max, s.v));
  }
}

void ClampMin(std::span<const Value* const> vals, std::span<const parser::ExprPtr>,
              EvalNodeHelper& enh, absl::Status&) {
  const double min = ScalarArg(vals, 1);
  for (const Sample& s : VectorArg(vals, 0)) {
    AppendSample(enh, DropMetricName(enh, s.metric), GoMax(min, s.v));
  }
}

// round(v, to_nearest = 1): to the nearest multiple, ties up; divides by the inverse as
// Prometheus does (fewer representation errors for to_nearest like 0.1).
void Round(std::span<const Value* const> vals, std::span<const parser::ExprPtr> args,
           EvalNodeHelper& enh, absl::Status&) {
  const double to_nearest = args.size() >= 2 ? ScalarArg(vals, 1) : 1;
  const double inverse = 1.0 / to_nearest;
  for (const Sample& s : VectorArg(vals, 0)) {
    AppendSample(enh, DropMetricName(enh, s.metric), std::floor(s.v * inverse + 0.5) / inverse);
  }
}

void Pi(std::span<const Value* const>, std::span<const parser::ExprPtr>, EvalNodeHelper& enh,
        absl::Status&) {
  AppendSample(enh, {}, std::numbers::pi);
}

constexpr NamedFunction kFunctions[] = {
    {"abs", Simple<Abs>},     {"ceil", Simple<Ceil>},
    {"floor", Simple<Floor>}, {"exp", Simple<Exp>},
    {"sqrt", Simple<Sqrt>},   {"ln", Simple<Ln>},
    {"log2", Simple<Log2>},   {"log10", Simple<Log10>},
    {"sin", Simple<Sin>},     {"cos", Simple<Cos>},
    {"tan", Simple<Tan>},     {"asin", Simple<Asin>},
    {"acos", Simple<Acos>},   {"atan", Simple<Atan>},
    {"sinh", Simple<Sinh>},   {"cosh", Simple<Cosh>},
    {"tanh", Simple<Tanh>},   {"asinh", Simple<Asinh>},
    {"acosh", Simple<Acosh>}, {"atanh", Simple<Atanh>},
    {"deg", Simple<Deg>},     {"rad", Simple<Rad>},
    {"sgn", Simple<Sgn>},     {"clamp", Clamp},
    {"clamp_max", ClampMax},  {"clamp_min", ClampMin},
    {"round", Round},         {"pi", Pi},
};

}  // namespace

std::span<const NamedFunction> MathFunctions() { return kFunctions; }

}  // namespace argus::promql::functions_internal
