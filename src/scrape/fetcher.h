// Fetches scrape targets over HTTP(S) as Prometheus v2.42's targetScraper does, with libcurl's
// multi interface: one thread drives every transfer, so thousands of targets need no thousands
// of threads, and connections are kept alive between a target's scrapes. Requests carry
// Prometheus's Accept header, `Accept-Encoding: gzip` (bodies are decompressed) and
// X-Prometheus-Scrape-Timeout-Seconds.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace argus::scrape {

struct FetchRequest {
  std::string url;  // scheme://host:port/path?params
  absl::Duration timeout = absl::Seconds(10);
  // Extra request headers, "Name: value" (e.g. "Authorization: Bearer ...").
  std::vector<std::string> headers;
  std::optional<std::pair<std::string, std::string>> basic_auth;  // user, password
  std::string ca_file, cert_file, key_file;  // empty: system CAs, no client certificate
  bool insecure_skip_verify = false;
  // Allowed TLS versions, "TLS10".."TLS13" (empty: libcurl's defaults).
  std::string tls_min_version, tls_max_version;
  std::string proxy_url;  // empty: none (curl's proxy environment variables are ignored)
  bool follow_redirects = true;
  uint64_t body_size_limit = 0;  // decompressed bytes; 0: none
  size_t body_size_hint = 0;     // expected body size (the last one), reserved up front
};

struct FetchResult {
  // Errors, in Prometheus's words where it has them: Unavailable "server returned HTTP
  // status 503 Service Unavailable", DeadlineExceeded "context deadline exceeded",
  // ResourceExhausted "body size limit exceeded", Unavailable with curl's
  // message for connection and TLS failures.
  absl::Status status;
  std::string body;
  std::string content_type;
};

// Thread-safe. Completion callbacks run on the fetcher's thread and must not block long.
class Fetcher {
 public:
  Fetcher();
  // Cancels transfers in flight (their callbacks get Cancelled) and joins the thread.
  ~Fetcher();
  Fetcher(const Fetcher&) = delete;
  Fetcher& operator=(const Fetcher&) = delete;

  void Fetch(FetchRequest request, std::function<void(FetchResult)> done);

 private:
  struct Transfer;
  void Run();
  void Finish(Transfer* t, int curl_code);

  void* multi_;  // CURLM*
  std::mutex mu_;
  std::deque<std::unique_ptr<Transfer>> queued_;    // guarded by mu_
  bool stopping_ = false;                           // guarded by mu_
  std::vector<std::unique_ptr<Transfer>> running_;  // fetcher thread only
  std::thread thread_;
};

}  // namespace argus::scrape
