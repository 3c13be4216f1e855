// Prometheus's quantile (promql/quantile.go of v2.42), shared by quantile_over_time and the
// engine's quantile aggregation.
#pragma once

#include <span>

namespace argus::promql {

// The q-quantile of `values`, interpolating linearly between the two nearest ranks: NaN for no
// values or a NaN q, -Inf for q < 0, +Inf for q > 1. Sorts `values` (NaNs first) in place.
double Quantile(double q, std::span<double> values);

}  // namespace argus::promql
