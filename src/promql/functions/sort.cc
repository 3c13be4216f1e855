// sort and sort_desc (functions.go of v2.42): the samples by value, NaN last either way, the
// labels kept. Equal values keep their input order.
#include <algorithm>
#include <cmath>

#include "promql/functions/internal.h"

namespace argus::promql::functions_internal {
namespace {

template <bool kDescending>
void SortByValue(std::span<const Value* const> vals, std::span<const parser::ExprPtr>,
                 EvalNodeHelper& enh, absl::Status&) {
  const Vector& in = VectorArg(vals, 0);
  enh.out.insert(enh.out.end(), in.begin(), in.end());
  std::stable_sort(enh.out.begin(), enh.out.end(), [](const Sample& a, const Sample& b) {
    if (std::isnan(a.v) || std::isnan(b.v)) return !std::isnan(a.v);
    return kDescending ? a.v > b.v : a.v < b.v;
  });
  for (Sample& s : enh.out) s.t = enh.ts;
}

constexpr NamedFunction kFunctions[] = {
    {"sort", SortByValue<false>},
    {"sort_desc", SortByValue<true>},
};

}  // namespace

std::span<const NamedFunction> SortFunctions() { return kFunctions; }

}  // namespace argus::promql::functions_internal
