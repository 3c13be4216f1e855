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
  // 0: exactly arg_types; n > 0: the last n arguments may be left out; -1: the last argument
  // type repeats any number of times (label_join).
  int variadic = 0;
  ValueType return_type = ValueType::kVector;
};

// The function called `name`, or nullptr. The table is static; pointers stay valid.
const Function* LookupFunction(absl::string_view name);

}  // namespace argus::promql::parser
