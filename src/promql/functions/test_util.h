// Test-only helpers: build a call's arguments by hand and run one function at one step.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "model/labels/labels.h"
#include "promql/functions/functions.h"
#include "promql/parser/ast.h"
#include "promql/value.h"

namespace argus::promql::testing {

// `metric[range] offset offset` as the engine hands it over (offset already @-adjusted).
inline parser::ExprPtr MatrixSel(int64_t range_ms, int64_t offset_ms = 0,
                                 std::vector<labels::Matcher> matchers = {}) {
  auto vs = std::make_unique<parser::VectorSelector>();
  vs->offset_ms = offset_ms;
  vs->matchers = std::move(matchers);
  auto ms = std::make_unique<parser::MatrixSelector>();
  ms->vector_selector = std::move(vs);
  ms->range_ms = range_ms;
  return ms;
}

inline parser::ExprPtr StringLit(std::string s) {
  auto lit = std::make_unique<parser::StringLiteral>();
  lit->value = std::move(s);
  return lit;
}

// A placeholder for an argument whose expression the function does not read.
inline parser::ExprPtr Num(double v) {
  auto lit = std::make_unique<parser::NumberLiteral>();
  lit->value = v;
  return lit;
}

// Points as the load command's "start+incxN" writes them: n+1 values every step_ms from 0.
inline std::vector<FPoint> Seq(double start, double inc, int n, int64_t step_ms) {
  std::vector<FPoint> pts;
  for (int i = 0; i <= n; ++i) pts.push_back({i * step_ms, start + inc * i});
  return pts;
}

// Points `values` every step_ms from 0.
inline std::vector<FPoint> Vals(std::initializer_list<double> values, int64_t step_ms) {
  std::vector<FPoint> pts;
  int64_t t = 0;
  for (double v : values) {
    pts.push_back({t, v});
    t += step_ms;
  }
  return pts;
}

// The points of `pts` in the v2.42 window [ts - range - offset, ts - offset].
inline std::vector<FPoint> Window(const std::vector<FPoint>& pts, int64_t ts, int64_t range_ms,
                                  int64_t offset_ms = 0) {
  std::vector<FPoint> out;
  for (const FPoint& p : pts) {
    if (p.t >= ts - offset_ms - range_ms && p.t <= ts - offset_ms) out.push_back(p);
  }
  return out;
}

inline Value RangeValue(labels::Labels metric, std::vector<FPoint> pts) {
  return Matrix{Series{std::move(metric), std::move(pts)}};
}

inline Value ScalarValue(double v) { return Vector{Sample{{}, 0, v}}; }

// The result of one call of `name` at `ts` (a RangeKernel's: one step over a matrix
// selector argument).
struct CallResult {
  Vector out;
  absl::Status status;
};
inline CallResult RunCall(absl::string_view name, const std::vector<const Value*>& vals,
                          const std::vector<parser::ExprPtr>& args, int64_t ts,
                          EvalNodeHelper* enh_in = nullptr) {
  EvalNodeHelper local;
  EvalNodeHelper& enh = enh_in != nullptr ? *enh_in : local;
  enh.ts = ts;
  enh.out.clear();
  CallResult r;
  if (RangeKernel k = LookupRangeKernel(name); k != nullptr) {
    // As the engine runs a kernel: one step, the window all of the range argument's points.
    const Series& in = std::get<Matrix>(*vals[0])[0];
    const auto& ms = parser::As<parser::MatrixSelector>(parser::Unwrap(*args[0]));
    const int64_t offset_ms = parser::As<parser::VectorSelector>(*ms.vector_selector).offset_ms;
    std::vector<FPoint> out;
    if (!in.points.empty()) {
      const StepWindow w{ts, 0, in.points.size()};
      k(in.points, {&w, 1}, ms.range_ms, offset_ms, &out);
    }
    for (const FPoint& p : out) r.out.push_back(Sample{DropMetricName(in.metric), p.t, p.v});
    return r;
  }
  FunctionCall f = LookupFunctionCall(name);
  if (f == nullptr) {
    r.status = absl::NotFoundError(std::string(name));
    return r;
  }
  f(vals, args, enh, r.status);
  r.out = enh.out;
  return r;
}

}  // namespace argus::promql::testing
