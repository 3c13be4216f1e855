// The PromQL functions of v2.42 as the parser sees them (promql/parser/functions.go): name,
// argument types and return type. What they compute lives in promql/functions.
#pragma once

#include <vector>

#include "absl/strings/string_view.h"
#include "promql/parser/ast.h"

namespace argus::promql::parser {

struct Function {
  absl::string_view name;
  std::vector<ValueType> arg_types;
  // As Prometheus's Variadic: 0: exactly arg_types; n > 0: the last argument may be left out
  // or repeated, up to arg_types.size() - 1 + n arguments in all (every variadic function of
  // v2.42 has n = 1: one optional last argument); -1: the last argument type repeats any
  // number of times (label_join). Extra arguments take the last argument type.
  int variadic = 0;
  ValueType return_type = ValueType::kVector;
};

// The function called `name`, or nullptr. The table is static; pointers stay valid.
const Function* LookupFunction(absl::string_view name);

// Whether the function's value changes with the evaluation time even when its arguments do
// not (AtModifierUnsafeFunctions): such a call is never step invariant.
bool IsAtModifierUnsafe(absl::string_view name);

}  // namespace argus::promql::parser
