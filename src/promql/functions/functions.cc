#include "promql/functions/functions.h"

#include <utility>
#include <vector>

#include "absl/algorithm/container.h"
#include "absl/container/flat_hash_map.h"
#include "promql/functions/internal.h"

namespace argus::promql {

FunctionCall LookupFunctionCall(absl::string_view name) {
  using namespace functions_internal;
  static const auto* const kTable = [] {
    auto* table = new absl::flat_hash_map<absl::string_view, FunctionCall>();
    for (auto family :
         {RateFunctions(), OverTimeFunctions(), MathFunctions(), TimeFunctions(), LabelFunctions(),
          HistogramFunctions(), SortFunctions(), AbsentFunctions()}) {
      for (const NamedFunction& f : family) table->emplace(f.name, f.call);
    }
    return table;
  }();
  auto it = kTable->find(name);
  return it == kTable->end() ? nullptr : it->second;
}

RangeKernel LookupRangeKernel(absl::string_view name) {
  using namespace functions_internal;
  static const auto* const kTable = [] {
    auto* table = new absl::flat_hash_map<absl::string_view, RangeKernel>();
    for (auto family : {RateKernels(), OverTimeKernels()}) {
      for (const NamedKernel& k : family) table->emplace(k.name, k.kernel);
    }
    return table;
  }();
  auto it = kTable->find(name);
  return it == kTable->end() ? nullptr : it->second;
}

labels::Labels LabelsWithout(const labels::Labels& l,
                             std::initializer_list<absl::string_view> names) {
  std::vector<labels::Label> kept;
  kept.reserve(l.size());
  for (const labels::Label& label : l) {
    if (!absl::c_linear_search(names, label.name)) kept.push_back(label);
  }
  return labels::Labels::FromSorted(std::move(kept));
}

labels::Labels DropMetricName(const labels::Labels& l) {
  if (!l.Has(labels::kMetricName)) return l;
  return LabelsWithout(l, {labels::kMetricName});
}

}  // namespace argus::promql
