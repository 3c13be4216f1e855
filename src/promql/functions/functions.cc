#include "promql/functions/functions.h"

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

}  // namespace argus::promql
