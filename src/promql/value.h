// The values PromQL evaluates to (promql/value.go): instant vectors, range matrices, scalars
// and strings. Timestamps are milliseconds since the epoch.
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "model/labels/labels.h"

namespace argus::promql {

struct FPoint {
  int64_t t = 0;
  double v = 0;
};

// One element of an instant vector.
struct Sample {
  labels::Labels metric;
  int64_t t = 0;
  double v = 0;
};
using Vector = std::vector<Sample>;

// One series of a range matrix; points in time order.
struct Series {
  labels::Labels metric;
  std::vector<FPoint> points;
};
using Matrix = std::vector<Series>;

struct Scalar {
  int64_t t = 0;
  double v = 0;
};

struct String {
  int64_t t = 0;
  std::string v;
};

// What a query returns: an instant query a Vector, Scalar or String (a Matrix for a bare range
// selector); a range query always a Matrix.
using Value = std::variant<Vector, Matrix, Scalar, String>;

}  // namespace argus::promql
