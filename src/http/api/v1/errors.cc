#include "http/api/v1/errors.h"

namespace argus::http::api {

ErrorType ErrorTypeOf(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kInvalidArgument:
      return ErrorType::kBadData;
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kResourceExhausted:
      return ErrorType::kExecution;
    case absl::StatusCode::kDeadlineExceeded:
      return ErrorType::kTimeout;
    case absl::StatusCode::kCancelled:
      return ErrorType::kCanceled;
    case absl::StatusCode::kUnavailable:
      return ErrorType::kUnavailable;
    case absl::StatusCode::kNotFound:
      return ErrorType::kNotFound;
    default:
      return ErrorType::kInternal;
  }
}

absl::string_view ErrorTypeName(ErrorType type) {
  switch (type) {
    case ErrorType::kTimeout:
      return "timeout";
    case ErrorType::kCanceled:
      return "canceled";
    case ErrorType::kExecution:
      return "execution";
    case ErrorType::kBadData:
      return "bad_data";
    case ErrorType::kUnavailable:
      return "unavailable";
    case ErrorType::kNotFound:
      return "not_found";
    case ErrorType::kInternal:
      break;
  }
  return "internal";
}

int HttpStatusOf(ErrorType type) {
  switch (type) {
    case ErrorType::kBadData:
      return 400;
    case ErrorType::kExecution:
      return 422;
    case ErrorType::kCanceled:
    case ErrorType::kTimeout:
      return 503;
    case ErrorType::kNotFound:
      return 404;
    case ErrorType::kInternal:
    case ErrorType::kUnavailable:
      break;
  }
  return 500;
}

absl::Status MakeError(ErrorType type, absl::string_view message) {
  switch (type) {
    case ErrorType::kTimeout:
      return absl::DeadlineExceededError(message);
    case ErrorType::kCanceled:
      return absl::CancelledError(message);
    case ErrorType::kExecution:
      return absl::FailedPreconditionError(message);
    case ErrorType::kBadData:
      return absl::InvalidArgumentError(message);
    case ErrorType::kUnavailable:
      return absl::UnavailableError(message);
    case ErrorType::kNotFound:
      return absl::NotFoundError(message);
    case ErrorType::kInternal:
      break;
  }
  return absl::InternalError(message);
}

absl::Status StorageError(const absl::Status& status) {
  if (absl::IsCancelled(status) || absl::IsDeadlineExceeded(status)) return status;
  return MakeError(ErrorType::kExecution, status.message());
}

}  // namespace argus::http::api
