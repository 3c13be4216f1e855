#include "discovery/internal/dir_watcher.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>

#include "base/env.h"

namespace argus::discovery::internal {
namespace {

// fsnotify's events minus IN_ATTRIB (Prometheus ignores chmod-only events).
constexpr uint32_t kMask =
    IN_CREATE | IN_MODIFY | IN_DELETE | IN_MOVED_FROM | IN_MOVED_TO | IN_DELETE_SELF | IN_MOVE_SELF;

}  // namespace

absl::StatusOr<std::unique_ptr<DirWatcher>> DirWatcher::Create() {
  int in = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (in < 0) return ErrnoStatus("inotify_init1", "", errno);
  int ev = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (ev < 0) {
    int err = errno;
    ::close(in);
    return ErrnoStatus("eventfd", "", err);
  }
  return std::unique_ptr<DirWatcher>(new DirWatcher(in, ev));
}

DirWatcher::~DirWatcher() {
  ::close(inotify_fd_);
  ::close(wake_fd_);
}

absl::Status DirWatcher::Watch(const std::string& dir) {
  if (Watching(dir)) return absl::OkStatus();
  int wd = ::inotify_add_watch(inotify_fd_, dir.c_str(), kMask | IN_ONLYDIR);
  if (wd < 0) return ErrnoStatus("inotify_add_watch", dir, errno);
  dirs_[wd] = dir;
  return absl::OkStatus();
}

bool DirWatcher::Watching(const std::string& dir) const {
  return std::any_of(dirs_.begin(), dirs_.end(), [&](const auto& kv) { return kv.second == dir; });
}

bool DirWatcher::Drain() {
  alignas(inotify_event) char buf[16 * 1024];
  bool changed = false;
  while (true) {
    ssize_t n = ::read(inotify_fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return changed;  // EAGAIN: drained
    for (ssize_t off = 0; off < n;) {
      inotify_event ev;
      std::memcpy(&ev, buf + off, sizeof ev);
      off += static_cast<ssize_t>(sizeof(inotify_event) + ev.len);
      if (ev.mask & IN_Q_OVERFLOW) changed = true;
      if (ev.mask & kMask) changed = true;
      if (ev.mask & IN_MOVE_SELF) {
        // The watch would follow the directory to its new path; drop it (IN_IGNORED follows).
        ::inotify_rm_watch(inotify_fd_, ev.wd);
      }
      if (ev.mask & IN_IGNORED) dirs_.erase(ev.wd);
    }
  }
}

DirWatcher::Result DirWatcher::Wait(absl::Duration timeout) {
  const auto deadline = std::chrono::steady_clock::now() + absl::ToChronoNanoseconds(timeout);
  while (true) {
    auto left =
        std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    int ms = static_cast<int>(std::clamp<int64_t>(left.count(), 0, 3600 * 1000));
    pollfd fds[2] = {{inotify_fd_, POLLIN, 0}, {wake_fd_, POLLIN, 0}};
    int rc = ::poll(fds, 2, ms);
    if (rc < 0) {
      if (errno == EINTR) continue;
      return Result::kTimeout;  // not expected with valid descriptors; never spin
    }
    if (fds[1].revents & POLLIN) {
      uint64_t v;
      while (::read(wake_fd_, &v, sizeof v) < 0 && errno == EINTR) {
      }
      return Result::kWoken;
    }
    if ((fds[0].revents & POLLIN) && Drain()) return Result::kChanged;
    if (rc == 0 && std::chrono::steady_clock::now() >= deadline) return Result::kTimeout;
  }
}

void DirWatcher::Wake() {
  uint64_t one = 1;
  while (::write(wake_fd_, &one, sizeof one) < 0 && errno == EINTR) {
  }
}

}  // namespace argus::discovery::internal
