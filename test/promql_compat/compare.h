// Comparing two Prometheus query API responses (/api/v1/query, /api/v1/query_range) the way
// the PromQL differential test needs: same status and error type (and message), same result
// type, same series, same timestamps, values equal within 1e-6 relative (NaN == NaN, +-Inf
// exactly), series order only where PromQL defines one.
#pragma once

#include <string>

namespace argus::testing::promql_compat {

// An HTTP answer: status code (-1 when the request failed) and body.
struct Response {
  int code = -1;
  std::string body;
};

// The result of a comparison: empty `kind` when the responses agree; otherwise a short class
// of the difference ("http-code", "error", "result-type", "series", "order", "timestamps",
// "values", "unparsable") and a readable diff showing the first few differences.
struct Diff {
  std::string kind;
  std::string text;
  bool ok() const { return kind.empty(); }
};

// Compares `got` with `want`. `ordered`: the order of an instant vector is significant.
Diff CompareResponses(const Response& want, const Response& got, bool ordered);

// Whether PromQL defines the order of `query`'s instant-vector result: the whole expression
// is a call to sort or sort_desc, or topk/bottomk without grouping (one group, by value).
bool IsOrderedQuery(const std::string& query);

// Values as the API prints them ("NaN", "+Inf", "1.5e-07") equal within 1e-6 relative.
bool SameValue(const std::string& a, const std::string& b);

}  // namespace argus::testing::promql_compat
