// The labels of absent()'s and absent_over_time()'s one sample (createLabelsForAbsentFunction
// of v2.42), for the engine, which assembles absent_over_time's result across series.
#pragma once

#include "model/labels/labels.h"
#include "promql/parser/ast.h"

namespace argus::promql {

// For a vector or matrix selector argument (parentheses allowed): the label of each equality
// matcher but __name__'s, unless another matcher names that label — except that a second
// equality matcher after an equality one removes it (and a later third does not restore it),
// while an equality matcher after a non-equality one sets it. Empty for any other argument.
labels::Labels AbsentLabels(const parser::Expr& arg);

}  // namespace argus::promql
