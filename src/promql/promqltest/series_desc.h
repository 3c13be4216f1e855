// Series descriptions of the PromQL test scripts (Prometheus's parser.ParseSeriesDesc, which
// only its test harness uses): a label set, optionally preceded by a metric name, then values
// separated by white space:
//   foo{a="b"} 1 2 _ stale 0+10x3 5-1x2 _x2 7x2
// 'a+bxN' and 'a-bxN' are the N+1 values a, a±b, ... (added up step by step, as Prometheus
// does); 'axN' is a repeated N+1 times; '_' is one missing value, '_xN' N missing values;
// 'stale' is a staleness marker. Numbers are read as Go's ParseInt(base 0) then ParseFloat;
// Inf and NaN in any letter case; no hexadecimal (ambiguous with 'x').
#pragma once

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "model/labels/labels.h"

namespace argus::promql::promqltest {

// One value of a sequence: a sample value, or a gap (`_`) without a sample.
struct SequenceValue {
  double value = 0;
  bool omitted = false;
};

struct SeriesDesc {
  labels::Labels metric;  // __name__ included when a metric name was written
  std::vector<SequenceValue> values;
};

// Parses one trimmed series line. Label values keep their exact (unquoted) content; an empty
// label set (`{}`) is allowed. Errors: InvalidArgument naming the column and the problem.
absl::StatusOr<SeriesDesc> ParseSeriesDesc(absl::string_view line);

}  // namespace argus::promql::promqltest
