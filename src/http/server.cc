#include "http/server.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdlib>
#include <cstring>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/hostport.h"
#include "base/logging.h"
#include "httplib.h"
#include "metrics/text_format.h"

namespace argus::http {
namespace {

// Whether `sa` is the address `ip` (numeric, as httplib writes it) and port `port`.
bool SameEndpoint(const sockaddr_storage& sa, const std::string& ip, int port) {
  if (sa.ss_family == AF_INET) {
    const auto& in = reinterpret_cast<const sockaddr_in&>(sa);
    in_addr want;
    return ntohs(in.sin_port) == port && inet_pton(AF_INET, ip.c_str(), &want) == 1 &&
           want.s_addr == in.sin_addr.s_addr;
  }
  if (sa.ss_family == AF_INET6) {
    const auto& in6 = reinterpret_cast<const sockaddr_in6&>(sa);
    in6_addr want;
    return ntohs(in6.sin6_port) == port && inet_pton(AF_INET6, ip.c_str(), &want) == 1 &&
           std::memcmp(&want, &in6.sin6_addr, sizeof want) == 0;
  }
  return false;
}

// The descriptor of the TCP connection with these local and remote endpoints (unique while
// the connection is open), or -1. cpp-httplib 0.11 does not hand the socket to handlers, so
// it is found among the process's descriptors.
int FindConnection(const httplib::Request& r) {
  DIR* dir = opendir("/proc/self/fd");
  if (dir == nullptr) return -1;
  int found = -1;
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    const int fd = std::atoi(e->d_name);
    sockaddr_storage local{}, peer{};
    socklen_t len = sizeof local;
    if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &len) != 0 ||
        !SameEndpoint(local, r.local_addr, r.local_port)) {
      continue;
    }
    len = sizeof peer;
    if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) == 0 &&
        SameEndpoint(peer, r.remote_addr, r.remote_port)) {
      found = fd;
      break;
    }
  }
  closedir(dir);
  return found;
}

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
  // The peer closed (or reset) the connection: it hung up, or half-closed after its request,
  // which Go's server also takes as gone. Pipelined bytes waiting to be read are not a hang-up.
  bool ClientGone() const override {
    if (fd_ == kUnresolved) fd_ = FindConnection(r_);
    if (fd_ < 0) return false;
    pollfd p{fd_, POLLIN | POLLRDHUP, 0};
    if (poll(&p, 1, 0) <= 0) return false;
    return (p.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
  }

 private:
  static constexpr int kUnresolved = -2;
  const httplib::Request& r_;
  mutable int fd_ = kUnresolved;  // the connection's descriptor, found on first need
};

}  // namespace

struct Server::Impl {
  httplib::Server svr;
  std::string route_prefix;  // a regular expression matching the prefix literally
  metrics::CounterVec* requests = nullptr;
  metrics::HistogramVec* durations = nullptr;
};

Server::Server(metrics::Registry& registry, ServerOptions options)
    : impl_(std::make_unique<Impl>()), registry_(registry) {
  std::string prefix = options.route_prefix;
  while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
  if (!prefix.empty() && prefix.front() != '/') prefix.insert(prefix.begin(), '/');
  for (char c : prefix) {
    if (!absl::ascii_isalnum(c) && c != '/' && c != '-' && c != '_') impl_->route_prefix += '\\';
    impl_->route_prefix += c;
  }
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
  const std::string full = impl_->route_prefix + pattern;
  if (method == "GET") {
    impl_->svr.Get(full, std::move(wrapped));
  } else {
    impl_->svr.Post(full, std::move(wrapped));
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
