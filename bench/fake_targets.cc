// Fake node_exporter-like scrape targets for the ingestion benchmark (bench/compare_ingest.sh):
// one single-threaded epoll process listens on N ports of 127.0.0.1 and answers every GET
// (any path, keep-alive) with the same kind of exposition text a node exporter serves.
//
// Each target exposes SERIES series: metric family local % 125 of node_fleet.h's names
// (node_cpu_seconds_total, node_disk_read_bytes_total, node_memory_available_bytes, ...; counters
// get _total), grouped by family with "# HELP" and "# TYPE" lines, labels cpu and mode (the
// combination local / 125 picks a distinct pair per family). No instance or job label: the
// scraper adds them, so every target's series are distinct only through its address, as for
// real node exporters. Values follow node_fleet.h's NextState: a fifth are gauges (constant
// sizes, and available bytes that move every render), the rest counters (cpu ticks / 100,
// bytes, packets, and error counters that rarely move), seeded per target and series.
//
// Cost: the series text ("name{cpu=\"3\",mode=\"idle\"} ") is rendered once and shared by all
// targets; a target's body (~65 bytes a series, identity encoding: the Accept-Encoding: gzip
// of scrapers is ignored, so neither server spends time inflating) is re-rendered, advancing
// every value one step, only when a scrape comes at least MIN_RENDER_MS after its last render.
// Scrapers that come within that time of each other (two servers scraping side by side) get
// the same body; a single scraper every interval > MIN_RENDER_MS sees new values every time.
// Rendering and sending cost ~0.1 us of CPU per series served (2.3% of a core for 1M series
// every 5 s to one server).
//
// Usage: fake_targets PORT_BASE N SERIES [MIN_RENDER_MS=1000]
// Listens on PORT_BASE .. PORT_BASE+N-1, or on N ephemeral ports when PORT_BASE is 0. Prints
// one "127.0.0.1:PORT" line per target on stdout once all listen, then serves until SIGINT or
// SIGTERM, when it prints scrapes, renders and bytes sent on stderr. Exit code 1 when a port
// cannot be bound.
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

#include "bench/node_fleet.h"

namespace {

namespace fleet = argus::bench;

volatile std::sig_atomic_t g_stop = 0;
void OnSignal(int) { g_stop = 1; }

int64_t NowMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

// One exposed series: its text up to the value, and the node_fleet index whose value rules
// (name index and kind) it follows.
struct SeriesText {
  std::string prefix;  // "# HELP ...\n# TYPE ...\n" for a family's first series, then "name{...} "
  uint64_t fleet_index;
};

std::vector<SeriesText> BuildSeries(int series) {
  static constexpr const char* kModes[] = {"idle",    "iowait", "irq",    "nice",
                                           "softirq", "steal",  "system", "user"};
  std::vector<SeriesText> out;
  out.reserve(series);
  for (int name = 0; name < fleet::kNamesPerInstance; ++name) {
    for (int local = name; local < series; local += fleet::kNamesPerInstance) {
      const int combo = local / fleet::kNamesPerInstance;
      // A fleet index with the same name index (i % 1000 % 125 == name), distinct per series.
      const uint64_t i = static_cast<uint64_t>(local) * 1000 + static_cast<uint64_t>(name);
      std::string s;
      if (local == name) {
        const std::string family = fleet::FamilyName(name);
        const bool gauge = fleet::IsGauge(i);
        s = absl::StrCat("# HELP ", family, gauge ? "" : "_total",
                         " Synthetic node exporter metric.\n# TYPE ", family, gauge ? "" : "_total",
                         gauge ? " gauge\n" : " counter\n");
      }
      absl::StrAppend(&s, fleet::MetricName(i), "{cpu=\"", combo / 8, "\",mode=\"",
                      kModes[(combo + name) % 8], "\"} ");
      out.push_back({std::move(s), i});
    }
  }
  return out;
}

struct Target {
  int listen_fd = -1;
  int port = 0;
  uint64_t seed = 0;
  int round = -1;
  int64_t rendered_ms = 0;
  std::vector<int64_t> state;
  std::shared_ptr<const std::string> body;
};

struct Conn {
  int target = -1;
  std::string in;
  std::string header;
  std::shared_ptr<const std::string> body;  // the body being sent (kept alive across renders)
  size_t sent = 0;                          // bytes of header + body sent
  bool writing = false;
};

class Server {
 public:
  Server(int n, int series, int64_t min_render_ms)
      : series_(BuildSeries(series)), targets_(n), min_render_ms_(min_render_ms) {}

  bool Listen(int port_base) {
    epfd_ = epoll_create1(EPOLL_CLOEXEC);
    for (size_t t = 0; t < targets_.size(); ++t) {
      Target& tg = targets_[t];
      tg.seed = fleet::Mix(t + 1);
      tg.state.resize(series_.size());
      const int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
      const int one = 1;
      setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      addr.sin_port = htons(port_base == 0 ? 0 : static_cast<uint16_t>(port_base + t));
      if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || listen(fd, 128) != 0) {
        std::fprintf(stderr, "fake_targets: port %d: %s\n", ntohs(addr.sin_port),
                     std::strerror(errno));
        return false;
      }
      socklen_t len = sizeof(addr);
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
      tg.listen_fd = fd;
      tg.port = ntohs(addr.sin_port);
      Watch(fd, EPOLLIN);
      if (static_cast<size_t>(fd) >= listener_of_.size()) listener_of_.resize(fd + 1, -1);
      listener_of_[fd] = static_cast<int>(t);
    }
    for (const Target& tg : targets_) std::printf("127.0.0.1:%d\n", tg.port);
    std::fflush(stdout);
    return true;
  }

  void Run() {
    std::vector<epoll_event> events(256);
    while (g_stop == 0) {
      const int n = epoll_wait(epfd_, events.data(), static_cast<int>(events.size()), 1000);
      for (int k = 0; k < n; ++k) {
        const int fd = events[k].data.fd;
        if (static_cast<size_t>(fd) < listener_of_.size() && listener_of_[fd] >= 0) {
          Accept(fd, listener_of_[fd]);
          continue;
        }
        if (events[k].events & (EPOLLERR | EPOLLHUP)) {
          Close(fd);
          continue;
        }
        if ((events[k].events & EPOLLOUT) && !Flush(fd)) continue;
        if (events[k].events & EPOLLIN) {
          if (!Read(fd)) continue;
        }
        Serve(fd);
      }
    }
    std::fprintf(stderr, "fake_targets: %llu scrapes, %llu renders, %.1f MB sent\n",
                 static_cast<unsigned long long>(scrapes_),
                 static_cast<unsigned long long>(renders_), static_cast<double>(bytes_) / 1e6);
  }

 private:
  void Watch(int fd, uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.fd = fd;
    epoll_ctl(epfd_, EPOLL_CTL_ADD, fd, &ev);
  }
  void Modify(int fd, uint32_t events) {
    epoll_event ev{};
    ev.events = events;
    ev.data.fd = fd;
    epoll_ctl(epfd_, EPOLL_CTL_MOD, fd, &ev);
  }

  void Accept(int lfd, int target) {
    for (;;) {
      const int fd = accept4(lfd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) return;
      const int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      if (static_cast<size_t>(fd) >= conns_.size()) conns_.resize(fd + 1);
      conns_[fd] = std::make_unique<Conn>();
      conns_[fd]->target = target;
      Watch(fd, EPOLLIN | EPOLLRDHUP);
    }
  }

  void Close(int fd) {
    epoll_ctl(epfd_, EPOLL_CTL_DEL, fd, nullptr);
    close(fd);
    if (static_cast<size_t>(fd) < conns_.size()) conns_[fd].reset();
  }

  // Reads what is there; false when the connection was closed.
  bool Read(int fd) {
    Conn* c = conns_[fd].get();
    if (c == nullptr) return false;
    char buf[8192];
    for (;;) {
      const ssize_t r = read(fd, buf, sizeof(buf));
      if (r > 0) {
        c->in.append(buf, static_cast<size_t>(r));
        continue;
      }
      if (r == 0 || (errno != EAGAIN && errno != EINTR)) {
        Close(fd);
        return false;
      }
      if (errno == EAGAIN) return true;
    }
  }

  // One request at a time: answers the next complete one once the previous reply is out.
  void Serve(int fd) {
    for (;;) {
      Conn* c = conns_[fd].get();
      if (c == nullptr || c->writing) return;
      const size_t end = c->in.find("\r\n\r\n");
      if (end == std::string::npos) return;
      c->in.erase(0, end + 4);
      Respond(c);
      if (!Flush(fd)) return;
    }
  }

  void Respond(Conn* c) {
    Target& tg = targets_[c->target];
    const int64_t now = NowMs();
    if (tg.body == nullptr || now - tg.rendered_ms >= min_render_ms_) Render(&tg, now);
    c->body = tg.body;
    c->header = absl::StrCat(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
        "Content-Length: ",
        c->body->size(), "\r\n\r\n");
    c->sent = 0;
    c->writing = true;
    ++scrapes_;
  }

  // Sends what it can; false when the connection was closed.
  bool Flush(int fd) {
    Conn* c = conns_[fd].get();
    if (c == nullptr) return false;
    if (!c->writing) return true;
    const size_t total = c->header.size() + c->body->size();
    while (c->sent < total) {
      iovec iov[2];
      int cnt = 0;
      if (c->sent < c->header.size()) {
        iov[cnt++] = {c->header.data() + c->sent, c->header.size() - c->sent};
        iov[cnt++] = {const_cast<char*>(c->body->data()), c->body->size()};
      } else {
        const size_t off = c->sent - c->header.size();
        iov[cnt++] = {const_cast<char*>(c->body->data()) + off, c->body->size() - off};
      }
      const ssize_t w = writev(fd, iov, cnt);
      if (w < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN) {
          Modify(fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP);
          return true;
        }
        Close(fd);
        return false;
      }
      c->sent += static_cast<size_t>(w);
      bytes_ += static_cast<uint64_t>(w);
    }
    c->writing = false;
    c->body.reset();
    Modify(fd, EPOLLIN | EPOLLRDHUP);
    return true;
  }

  void Render(Target* tg, int64_t now) {
    ++tg->round;
    ++renders_;
    auto body = std::make_shared<std::string>();
    body->reserve(tg->body != nullptr ? tg->body->size() + 4096 : series_.size() * 128);
    char num[64];
    for (size_t s = 0; s < series_.size(); ++s) {
      const SeriesText& st = series_[s];
      // Seed the node_fleet state per target; the name index (i % 1000 % 125) is kept.
      const uint64_t i = st.fleet_index + (tg->seed % 1000000) * 1000000000ull;
      tg->state[s] = fleet::NextState(i, tg->round, tg->state[s]);
      body->append(st.prefix);
      auto [end, ec] = std::to_chars(num, num + sizeof(num), fleet::Value(i, tg->state[s]));
      if (ec == std::errc()) body->append(num, end);
      body->push_back('\n');
    }
    tg->body = std::move(body);
    tg->rendered_ms = now;
  }

  std::vector<SeriesText> series_;
  std::vector<Target> targets_;
  int64_t min_render_ms_;
  int epfd_ = -1;
  std::vector<int> listener_of_;
  std::vector<std::unique_ptr<Conn>> conns_;
  uint64_t scrapes_ = 0, renders_ = 0, bytes_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4 || argc > 5) {
    std::fprintf(stderr, "usage: fake_targets PORT_BASE N SERIES [MIN_RENDER_MS=1000]\n");
    return 2;
  }
  const int port_base = std::atoi(argv[1]);
  const int n = std::atoi(argv[2]);
  const int series = std::atoi(argv[3]);
  const int64_t min_render_ms = argc > 4 ? std::atoll(argv[4]) : 1000;
  if (n <= 0 || series <= 0 || port_base < 0 || port_base + n > 65536) {
    std::fprintf(stderr, "fake_targets: bad arguments\n");
    return 2;
  }
  std::signal(SIGPIPE, SIG_IGN);
  struct sigaction sa {};
  sa.sa_handler = OnSignal;  // no SA_RESTART: epoll_wait returns EINTR
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
  Server server(n, series, min_render_ms);
  if (!server.Listen(port_base)) return 1;
  server.Run();
  return 0;
}
