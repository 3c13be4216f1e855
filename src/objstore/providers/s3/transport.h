// HTTP(S) for the S3 client: libcurl easy handles kept in a pool (each keeps its connections
// alive), with the timeouts and TLS settings of the S3 config's http_config.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "objstore/bucket.h"
#include "objstore/providers/s3/config.h"
#include "objstore/providers/s3/sign.h"

namespace argus::objstore::s3 {

struct HttpRequest {
  std::string method;  // GET, HEAD, PUT, POST, DELETE
  std::string url;
  HeaderList headers;
  absl::string_view body;  // sent for PUT and POST; the caller keeps it alive
  // For a GET with a Range starting here: a server that ignores Range answers 200 with the
  // whole object, whose first `range_start` bytes are then dropped before the sink.
  int64_t range_start = 0;
};

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // names lowercase
  std::string body;                            // the body, unless a 2xx body went to the sink
  int64_t received = 0;   // body bytes of a 2xx answer that went to the sink (or were dropped)
  int64_t delivered = 0;  // bytes given to the sink
};

// Thread-safe.
class Transport {
 public:
  // Errors: InvalidArgument when a TLS file named in `config` cannot be read.
  static absl::StatusOr<std::unique_ptr<Transport>> New(const HttpConfig& config);
  ~Transport();

  // Performs one request. Any HTTP answer is OK with its status; a 2xx body goes to `sink` when
  // one is given (a sink error aborts the transfer and is returned as is). Failures below HTTP
  // (connect, TLS, timeouts, stalls, resets, a body shorter than its Content-Length) are
  // Unavailable with curl's message; a certificate that fails verification is
  // FailedPrecondition (no retry helps).
  absl::StatusOr<HttpResponse> Do(const HttpRequest& req, const ByteSink* sink = nullptr);

 private:
  explicit Transport(const HttpConfig& config) : config_(config) {}
  void* Acquire();
  void Release(void* handle);

  const HttpConfig config_;
  std::mutex mu_;
  std::vector<void*> idle_ ABSL_GUARDED_BY(mu_);
};

}  // namespace argus::objstore::s3
