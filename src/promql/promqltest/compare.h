// Comparison of a query result with an eval's expectation, as promql/test.go's compareResult.
#pragma once

#include "absl/status/status.h"
#include "promql/promqltest/script.h"
#include "promql/value.h"

namespace argus::promql::promqltest {

// test.go's almostEqual: NaN equals NaN; otherwise equal, or a relative difference
// |a-b| / (|a|+|b|) below 1e-6; when either is 0 or the difference is subnormal, the
// difference must be below 1e-6 times the smallest normal double.
bool AlmostEqual(double a, double b);

// OK when `result` matches `eval`'s expectation: a Vector must hold a sample for each expected
// label set and nothing else, values AlmostEqual (and, for eval_ordered, in the written order);
// a Scalar must equal the expected bare number. A Matrix or String never matches.
// Errors: FailedPrecondition with the first mismatch as test.go words it, then the expected
// and the actual result line by line.
absl::Status CompareResult(const EvalCmd& eval, const Value& result);

}  // namespace argus::promql::promqltest
