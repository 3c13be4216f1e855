// Private to promql/functions: the caches a call node keeps across steps, argument access, and
// the per-family tables LookupFunctionCall merges.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "model/labels/labels.h"
#include "model/relabel/internal/template.h"
#include "promql/functions/functions.h"
#include "re2/re2.h"

namespace argus::promql {

// One classic histogram bucket: its `le` bound and cumulative count.
struct Bucket {
  double upper_bound = 0;
  double count = 0;
};

struct FunctionState {
  // Prometheus's EvalNodeHelper.Dmn: an input label set's hash -> the output label set
  // (without __name__, or as label_replace/label_join rewrote it).
  absl::flat_hash_map<uint64_t, labels::Labels> labels_cache;

  // label_replace: the anchored regex and the parsed replacement, from the first call.
  std::unique_ptr<const RE2> regex;
  std::optional<relabel::internal::Template> replacement;
  std::vector<re2::StringPiece> submatches;

  // histogram_quantile: the bucket series of one histogram (same labels but `le`), kept
  // across steps with their buckets emptied at each step.
  struct BucketGroup {
    labels::Labels metric;  // without __name__ and le
    std::vector<Bucket> buckets;
  };
  absl::flat_hash_map<uint64_t, size_t> group_index;  // hash of the labels but le -> groups[i]
  std::vector<BucketGroup> groups;

  // Scratch values (quantile_over_time).
  std::vector<double> values;
};

namespace functions_internal {

// The node's caches, created on first use.
FunctionState& State(EvalNodeHelper& enh);

// The literal of the string argument `i`. REQUIRES: the parser typed it as a string.
absl::string_view StringArg(std::span<const parser::ExprPtr> args, size_t i);

// Typed access to the evaluated arguments (see FunctionCall). REQUIRES: the argument has
// that type.
const Vector& VectorArg(std::span<const Value* const> vals, size_t i);
double ScalarArg(std::span<const Value* const> vals, size_t i);
const Series& RangeArg(std::span<const Value* const> vals, size_t i);

// `l` without __name__, cached per node (Prometheus's enh.DropMetricName).
const labels::Labels& DropMetricName(EvalNodeHelper& enh, const labels::Labels& l);

// Appends the one result of a function of the range vector `in` at this step, labelled as
// EvalNodeHelper::label_range_results says (keeping __name__ only when `keep_name`).
void AppendRangeResult(EvalNodeHelper& enh, const Series& in, double v, bool keep_name = false);

// Appends a sample labelled `metric` at the step's timestamp.
void AppendSample(EvalNodeHelper& enh, const labels::Labels& metric, double v);

// One step of Kahan-Babuska-Neumaier summation: adds `inc` to `sum`, the lost low-order bits
// to `c` (the total is sum + c).
inline void KahanSumInc(double inc, double& sum, double& c) {
  const double t = sum + inc;
  if (std::fabs(sum) >= std::fabs(inc)) {
    c += (sum - t) + inc;
  } else {
    c += (inc - t) + sum;
  }
  sum = t;
}

struct NamedFunction {
  absl::string_view name;
  FunctionCall call;
};
// Each family's functions (the file named in the comment).
std::span<const NamedFunction> RateFunctions();       // rate.cc
std::span<const NamedFunction> OverTimeFunctions();   // over_time.cc
std::span<const NamedFunction> MathFunctions();       // math.cc
std::span<const NamedFunction> TimeFunctions();       // time.cc
std::span<const NamedFunction> LabelFunctions();      // labels.cc
std::span<const NamedFunction> HistogramFunctions();  // histogram.cc
std::span<const NamedFunction> SortFunctions();       // sort.cc
std::span<const NamedFunction> AbsentFunctions();     // absent.cc

struct NamedKernel {
  absl::string_view name;
  RangeKernel kernel;
};
std::span<const NamedKernel> RateKernels();      // rate.cc
std::span<const NamedKernel> OverTimeKernels();  // over_time.cc

}  // namespace functions_internal
}  // namespace argus::promql
