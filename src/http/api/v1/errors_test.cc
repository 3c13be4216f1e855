#include "http/api/v1/errors.h"

#include "gtest/gtest.h"

namespace argus::http::api {
namespace {

TEST(ErrorsTest, CodesMapToPrometheusTypes) {
  struct Case {
    absl::StatusCode code;
    absl::string_view type;
    int http;
  } cases[] = {
      {absl::StatusCode::kInvalidArgument, "bad_data", 400},
      {absl::StatusCode::kFailedPrecondition, "execution", 422},
      {absl::StatusCode::kResourceExhausted, "execution", 422},
      {absl::StatusCode::kDeadlineExceeded, "timeout", 503},
      {absl::StatusCode::kCancelled, "canceled", 503},
      {absl::StatusCode::kNotFound, "not_found", 404},
      {absl::StatusCode::kUnavailable, "unavailable", 500},
      {absl::StatusCode::kInternal, "internal", 500},
      {absl::StatusCode::kUnknown, "internal", 500},
      {absl::StatusCode::kDataLoss, "internal", 500},
  };
  for (const Case& c : cases) {
    const ErrorType t = ErrorTypeOf(c.code);
    EXPECT_EQ(ErrorTypeName(t), c.type) << absl::StatusCodeToString(c.code);
    EXPECT_EQ(HttpStatusOf(t), c.http) << absl::StatusCodeToString(c.code);
  }
}

TEST(ErrorsTest, MakeErrorRoundTrips) {
  for (ErrorType t :
       {ErrorType::kTimeout, ErrorType::kCanceled, ErrorType::kExecution, ErrorType::kBadData,
        ErrorType::kInternal, ErrorType::kUnavailable, ErrorType::kNotFound}) {
    const absl::Status st = MakeError(t, "boom");
    EXPECT_EQ(ErrorTypeOf(st.code()), t) << ErrorTypeName(t);
    EXPECT_EQ(st.message(), "boom");
  }
}

TEST(ErrorsTest, StorageErrorKeepsCancellationAndTimeoutOnly) {
  EXPECT_EQ(StorageError(absl::CancelledError("c")), absl::CancelledError("c"));
  EXPECT_EQ(StorageError(absl::DeadlineExceededError("d")), absl::DeadlineExceededError("d"));
  for (const absl::Status& st : {absl::InternalError("disk"), absl::DataLossError("disk"),
                                 absl::UnavailableError("disk"), absl::NotFoundError("disk")}) {
    const absl::Status got = StorageError(st);
    EXPECT_EQ(ErrorTypeOf(got.code()), ErrorType::kExecution) << st;
    EXPECT_EQ(got.message(), "disk");
  }
}

}  // namespace
}  // namespace argus::http::api
