// The Prometheus HTTP API's error types (web/api/v1's errorType) and the one table mapping
// absl status codes to them, and them to HTTP status codes.
#pragma once

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace argus::http::api {

enum class ErrorType {
  kTimeout,
  kCanceled,
  kExecution,
  kBadData,
  kInternal,
  kUnavailable,
  kNotFound
};

// The code -> type table (see promql/engine.h):
//   InvalidArgument                         bad_data
//   FailedPrecondition, ResourceExhausted   execution
//   DeadlineExceeded                        timeout
//   Cancelled                               canceled
//   Unavailable                             unavailable
//   NotFound                                not_found
//   anything else                           internal
ErrorType ErrorTypeOf(absl::StatusCode code);

// "bad_data", "execution", ...
absl::string_view ErrorTypeName(ErrorType type);

// As Prometheus's respondError: bad_data 400, execution 422, canceled and timeout 503,
// not_found 404, internal and unavailable 500 (v2.42 has no case for unavailable).
int HttpStatusOf(ErrorType type);

// An error of `type` with `message`, as a status whose code the table maps back to `type`.
absl::Status MakeError(ErrorType type, absl::string_view message);

// A storage error (opening a querier, reading a series set, looking labels up) typed as
// Prometheus's returnAPIError types it: Cancelled and DeadlineExceeded keep their code
// (canceled, timeout), anything else is an execution error with the same message.
// REQUIRES: !status.ok().
absl::Status StorageError(const absl::Status& status);

}  // namespace argus::http::api
