// How an /api/v1 endpoint answers: it appends the JSON of "data" to the response body and may
// add warnings, or fails with a status that errors.h maps to Prometheus's error type; Serve
// wraps it in Prometheus's envelope ({"status":"success","data":...,"warnings":[...]} or
// {"status":"error","errorType":"bad_data","error":"..."}) with the matching HTTP code.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "http/server.h"

namespace argus::http::api {

struct Reply {
  std::string* data;                  // append the value of "data" here
  std::vector<std::string> warnings;  // shown as "warnings" when any
};

using Endpoint = std::function<absl::Status(const Request&, Reply&)>;

// The HTTP handler answering with `endpoint`'s result as application/json.
Handler Serve(Endpoint endpoint);

}  // namespace argus::http::api
