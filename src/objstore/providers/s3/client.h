// The request layer of the S3 provider: builds each request's URL (path-style or
// virtual-hosted), adds SSE and signature headers, sends it, turns S3's answers into Status
// codes, and retries transient failures with backoff and jitter.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "objstore/providers/s3/config.h"
#include "objstore/providers/s3/s3.h"
#include "objstore/providers/s3/sign.h"
#include "objstore/providers/s3/transport.h"

namespace argus::objstore::s3 {

// One S3 request.
struct Call {
  std::string method;
  std::string key;  // the object; empty for a request on the bucket (listing)
  HeaderList query;
  HeaderList headers;
  absl::string_view body;
  int64_t range_start = 0;  // where a Range header starts (see HttpRequest)
};

// Whether a failure may pass on retry: Unavailable (5xx, SlowDown, network), DeadlineExceeded
// and DataLoss (a body cut short).
bool IsTransient(const absl::Status& st);

// Thread-safe.
class Client {
 public:
  Client(S3Config config, Credentials creds, std::unique_ptr<Transport> transport,
         ClientOptions options);

  const S3Config& config() const { return config_; }

  // One attempt: signs `call` at the current time and sends it. A 2xx answer is OK (its body
  // goes to `sink` when given); otherwise the error S3 sent as a Status: NotFound (404),
  // OutOfRange (416, a range starting past the end),
  // PermissionDenied (403, expired tokens), Unavailable (5xx, 429, SlowDown, RequestTimeout),
  // FailedPrecondition for other refusals; each message names the request and S3's code.
  absl::StatusOr<HttpResponse> Once(const Call& call, const ByteSink* sink = nullptr);

  // Once, retried on transient failures up to max_retries times.
  absl::StatusOr<HttpResponse> Do(const Call& call);

  // Runs `attempt` until it succeeds, fails permanently or the retries are used up, sleeping
  // the backoff between attempts. Returns the last status.
  absl::Status Retry(const std::function<absl::Status()>& attempt);

  // The encryption headers a request needs: with `upload_start` (PutObject,
  // CreateMultipartUpload) those of every SSE type; otherwise (GET, HEAD, UploadPart) only
  // SSE-C's customer key, which S3 needs to read or extend such an object.
  HeaderList SseHeaders(bool upload_start) const;

 private:
  std::string Url(const Call& call, std::string* host, std::string* path) const;

  const S3Config config_;
  const Credentials creds_;
  const std::unique_ptr<Transport> transport_;
  const ClientOptions options_;
  const bool virtual_hosted_;
  const std::string region_;
  std::string sse_c_key_;  // raw 32 bytes, when SSE-C

  friend absl::StatusOr<std::unique_ptr<Client>> NewClient(const S3Config&, const ClientOptions&);
};

// Builds a client for `config`. Errors as s3::NewBucket's.
absl::StatusOr<std::unique_ptr<Client>> NewClient(const S3Config& config,
                                                  const ClientOptions& options);

}  // namespace argus::objstore::s3
