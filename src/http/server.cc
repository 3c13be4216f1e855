#include "http/server.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <chrono>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "base/hostport.h"
#include "base/logging.h"
#include "httplib.h"
#include "metrics/text_format.h"

namespace argus::http {
namespace {

class HttplibRequest : public Request {
 public:
  explicit HttplibRequest(const httplib::Request& r) : r_(r) {}

  absl::string_view method() const override { return r_.method; }
  absl::string_view path() const override { return r_.path; }
  absl::string_view body() const override { return r_.body; }
  bool HasParam(absl::string_view name) const override {
    return r_.has_param(std::string(name).c_str());
  }
  std::string Param(absl::string_view name) const override {
    return r_.get_param_value(std::string(name).c_str());
  }
  std::vector<std::string> Params(absl::string_view name) const override {
    std::vector<std::string> out;
    auto range = r_.params.equal_range(std::string(name));
    for (auto it = range.first; it != range.second; ++it) out.push_back(it->second);
    return out;
  }
  std::string Header(absl::string_view name) const override {
    return r_.get_header_value(std::string(name).c_str());
  }
  std::string PathParam(size_t i) const override {
    return i < r_.matches.size() ? r_.matches[i].str() : std::string();
  }

 private:
  const httplib::Request& r_;
};

}  // namespace

struct Server::Impl {
  httplib::Server svr;
  metrics::CounterVec* requests = nullptr;
  metrics::HistogramVec* durations = nullptr;
};

Server::Server(metrics::Registry& registry, ServerOptions options)
    : impl_(std::make_unique<Impl>()), registry_(registry) {
  impl_->requests = &registry.AddCounterVec("http_requests_total", "Counter of HTTP requests.",
                                            {"handler", "code"});
  impl_->durations = &registry.AddHistogramVec("http_request_duration_seconds",
                                               "Histogram of latencies for HTTP requests.",
                                               {"handler"}, {.1, .2, .4, 1, 3, 8, 20, 60, 120});
  httplib::Server& svr = impl_->svr;
  const int threads = options.threads;
  svr.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  svr.set_payload_max_length(options.max_body_bytes);
  svr.set_read_timeout(options.read_timeout_seconds, 0);
  svr.set_write_timeout(options.write_timeout_seconds, 0);
  svr.set_keep_alive_timeout(options.keep_alive_timeout_seconds);
  svr.set_keep_alive_max_count(100000);
  // httplib's default also sets SO_REUSEPORT, which would let a second process bind the same
  // port and silently share its traffic; a busy port must be an error, as in Prometheus.
  // TCP_NODELAY is inherited by accepted sockets: httplib writes headers and body separately,
  // and with Nagle + delayed ACK each keep-alive response would wait ~40 ms.
  svr.set_socket_options([](int sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    setsockopt(sock, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  });
  svr.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        log::Error("HTTP handler failed", {{"path", req.path}, {"err", what}});
        res.status = 500;
        res.set_content(absl::StrCat("internal error: ", what, "\n"), "text/plain; charset=utf-8");
      });
}

Server::~Server() { Shutdown(); }

void Server::Route(const std::string& method, const std::string& pattern,
                   const std::string& handler_name, Handler handler) {
  metrics::Histogram& duration = impl_->durations->WithLabelValues({handler_name});
  metrics::CounterVec* requests = impl_->requests;
  auto wrapped = [handler = std::move(handler), handler_name, &duration, requests](
                     const httplib::Request& req, httplib::Response& res) {
    const auto start = std::chrono::steady_clock::now();
    HttplibRequest request(req);
    Response out;
    handler(request, out);
    res.status = out.status;
    for (auto& [k, v] : out.headers) res.set_header(k.c_str(), v);
    res.set_content(std::move(out.body), out.content_type.c_str());
    requests->WithLabelValues({handler_name, std::to_string(out.status)}).Inc();
    duration.Observe(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  };
  if (method == "GET") {
    impl_->svr.Get(pattern, std::move(wrapped));
  } else {
    impl_->svr.Post(pattern, std::move(wrapped));
  }
}

void Server::Get(const std::string& pattern, const std::string& handler_name, Handler handler) {
  Route("GET", pattern, handler_name, std::move(handler));
}

void Server::Post(const std::string& pattern, const std::string& handler_name, Handler handler) {
  Route("POST", pattern, handler_name, std::move(handler));
}

void Server::GetPost(const std::string& pattern, const std::string& handler_name, Handler handler) {
  Route("GET", pattern, handler_name, handler);
  Route("POST", pattern, handler_name, std::move(handler));
}

void Server::AddStandardEndpoints(const std::string& component, std::function<bool()> ready) {
  metrics::Registry& registry = registry_;
  Get("/metrics", "/metrics", [&registry](const Request&, Response& res) {
    res.content_type = metrics::kTextContentType;
    res.body = registry.ExpositionText();
  });
  Get("/-/healthy", "/-/healthy", [component](const Request&, Response& res) {
    res.body = absl::StrCat(component, " is Healthy.\n");
  });
  Get("/-/ready", "/-/ready", [component, ready = std::move(ready)](const Request&, Response& res) {
    if (ready()) {
      res.body = absl::StrCat(component, " is Ready.\n");
    } else {
      res.status = 503;
      res.body = "Service Unavailable\n";
    }
  });
}

absl::Status Server::Start(absl::string_view listen_address) {
  absl::StatusOr<HostPort> hp = ParseHostPort(listen_address);
  if (!hp.ok()) return hp.status();
  std::string host = hp->host.empty() ? "0.0.0.0" : hp->host;
  httplib::Server& svr = impl_->svr;
  errno = 0;
  if (hp->port == 0) {
    port_ = svr.bind_to_any_port(host.c_str());
    if (port_ < 0) port_ = 0;
  } else {
    port_ = svr.bind_to_port(host.c_str(), hp->port) ? hp->port : 0;
  }
  if (port_ == 0) {
    return absl::UnavailableError(absl::StrCat("listen tcp ", listen_address, ": ",
                                               errno != 0 ? std::strerror(errno) : "bind failed"));
  }
  running_ = true;
  thread_ = std::thread([this] { impl_->svr.listen_after_bind(); });
  // httplib's stop() is a no-op until the accept loop has started; wait for it so that a
  // Shutdown right after Start cannot leave the loop running forever.
  while (!svr.is_running()) std::this_thread::sleep_for(std::chrono::microseconds(200));
  return absl::OkStatus();
}

void Server::Shutdown() {
  if (!running_.exchange(false)) return;
  impl_->svr.stop();
  if (thread_.joinable()) thread_.join();
}

}  // namespace argus::http
