#include "promql/functions/quantile.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace argus::promql {

double Quantile(double q, std::span<double> values) {
  if (values.empty() || std::isnan(q)) return std::numeric_limits<double>::quiet_NaN();
  if (q < 0) return -std::numeric_limits<double>::infinity();
  if (q > 1) return std::numeric_limits<double>::infinity();
  // Prometheus orders NaN below every number.
  std::sort(values.begin(), values.end(),
            [](double a, double b) { return (std::isnan(a) && !std::isnan(b)) || a < b; });
  const double n = static_cast<double>(values.size());
  const double rank = q * (n - 1);
  const double lower = std::max(0.0, std::floor(rank));
  const double upper = std::min(n - 1, lower + 1);
  const double weight = rank - std::floor(rank);
  return values[static_cast<size_t>(lower)] * (1 - weight) +
         values[static_cast<size_t>(upper)] * weight;
}

}  // namespace argus::promql
