// The HTTP server every Argus component runs: routing, GET and form-encoded POST, gzip when the
// client accepts it, request metrics (http_requests_total{handler,code},
// http_request_duration_seconds{handler}), and the probe and /metrics endpoints. Built on
// cpp-httplib (a thread pool; chosen and measured in bench/README.md); nothing of httplib shows
// in this header.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "metrics/registry.h"

namespace argus::http {

// A request as handlers see it. Valid only during the handler call.
class Request {
 public:
  virtual ~Request() = default;
  virtual absl::string_view method() const = 0;
  virtual absl::string_view path() const = 0;
  virtual absl::string_view body() const = 0;
  // Query-string and form-body parameters (POST application/x-www-form-urlencoded).
  virtual bool HasParam(absl::string_view name) const = 0;
  // The first value of `name`, or "".
  virtual std::string Param(absl::string_view name) const = 0;
  // Every value of `name` in order (e.g. match[]).
  virtual std::vector<std::string> Params(absl::string_view name) const = 0;
  // Header value (case-insensitive name), or "".
  virtual std::string Header(absl::string_view name) const = 0;
  // Capture group `i` (1-based) of the route's pattern.
  virtual std::string PathParam(size_t i) const = 0;
  // True once the client has closed its connection: its answer would not be read, so a long
  // handler may stop early (Go's request context being canceled). Cheap after the first call.
  virtual bool ClientGone() const { return false; }
};

struct Response {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

using Handler = std::function<void(const Request&, Response&)>;

struct ServerOptions {
  int threads = 32;                          // worker pool; each open connection holds one
  size_t max_body_bytes = 64 * 1024 * 1024;  // larger request bodies get 413
  int read_timeout_seconds = 300;            // as Prometheus's --web.read-timeout default (5m)
  int write_timeout_seconds = 300;
  int keep_alive_timeout_seconds = 30;
  // Put before every route (--web.route-prefix), e.g. "/thanos"; "" or "/" for none.
  std::string route_prefix;
};

// Lifecycle: construct, register routes, Start, ..., Shutdown (or destroy). Routes must all be
// registered before Start. Handlers run concurrently on the pool and must be thread-safe.
class Server {
 public:
  // Registers the request metrics in `registry`, which must outlive the server.
  explicit Server(metrics::Registry& registry, ServerOptions options = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // `pattern` is an exact path or a regular expression over the whole path (capture groups are
  // PathParam); `handler_name` is the metrics label (usually the pattern with names for
  // captures, e.g. "/api/v1/label/:name/values").
  void Get(const std::string& pattern, const std::string& handler_name, Handler handler);
  void Post(const std::string& pattern, const std::string& handler_name, Handler handler);
  // Both GET and POST (query, query_range, series, labels ...).
  void GetPost(const std::string& pattern, const std::string& handler_name, Handler handler);

  // /metrics (the registry's text exposition), /-/healthy, and /-/ready, which answers 200
  // once `ready()` is true and 503 before. `component` names the process in probe bodies
  // ("Argus Server is Healthy.").
  void AddStandardEndpoints(const std::string& component, std::function<bool()> ready);

  // Binds `listen_address` ("host:port", ":port"; port 0 picks a free one) and serves on a
  // background thread. Errors: InvalidArgument for a malformed address, Unavailable when the
  // address cannot be bound.
  absl::Status Start(absl::string_view listen_address);
  // The bound port (after Start).
  int port() const { return port_; }
  // Stops accepting, lets in-flight requests finish, joins the threads. Idempotent.
  void Shutdown();

 private:
  struct Impl;
  void Route(const std::string& method, const std::string& pattern, const std::string& handler_name,
             Handler handler);

  std::unique_ptr<Impl> impl_;
  metrics::Registry& registry_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> running_{false};
};

}  // namespace argus::http
