#include "promql/functions/internal.h"

#include <variant>

namespace argus::promql::functions_internal {

FunctionState& State(EvalNodeHelper& enh) {
  if (enh.state == nullptr) enh.state = std::make_shared<FunctionState>();
  return *enh.state;
}

absl::string_view StringArg(std::span<const parser::ExprPtr> args, size_t i) {
  return parser::As<parser::StringLiteral>(parser::Unwrap(*args[i])).value;
}

const Vector& VectorArg(std::span<const Value* const> vals, size_t i) {
  return *std::get_if<Vector>(vals[i]);
}

double ScalarArg(std::span<const Value* const> vals, size_t i) { return VectorArg(vals, i)[0].v; }

const Series& RangeArg(std::span<const Value* const> vals, size_t i) {
  return (*std::get_if<Matrix>(vals[i]))[0];
}

const labels::Labels& DropMetricName(EvalNodeHelper& enh, const labels::Labels& l) {
  auto [it, inserted] = State(enh).labels_cache.try_emplace(l.Hash());
  if (inserted) it->second = promql::DropMetricName(l);
  return it->second;
}

void AppendRangeResult(EvalNodeHelper& enh, const Series& in, double v, bool keep_name) {
  if (!enh.label_range_results) {
    enh.out.push_back(Sample{{}, enh.ts, v});
  } else if (keep_name) {
    AppendSample(enh, in.metric, v);
  } else {
    AppendSample(enh, DropMetricName(enh, in.metric), v);
  }
}

void AppendSample(EvalNodeHelper& enh, const labels::Labels& metric, double v) {
  enh.out.push_back(Sample{metric, enh.ts, v});
}

}  // namespace argus::promql::functions_internal
