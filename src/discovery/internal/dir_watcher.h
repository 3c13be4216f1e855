// Linux inotify on directories, for file discovery (what fsnotify does for Prometheus): Wait
// returns once something in a watched directory was created, written, deleted or moved.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace argus::discovery::internal {

// Wait and Watch belong to one thread; Wake may be called from any thread.
class DirWatcher {
 public:
  // Errors: those of inotify_init1 and eventfd (e.g. ResourceExhausted-like Internal errors
  // when the per-user inotify limit is reached), as ErrnoStatus words them.
  static absl::StatusOr<std::unique_ptr<DirWatcher>> Create();
  ~DirWatcher();
  DirWatcher(const DirWatcher&) = delete;
  DirWatcher& operator=(const DirWatcher&) = delete;

  // Watches the entries of `dir`, and `dir` itself being deleted or moved (after which it is
  // no longer watched: watch it again to follow the new directory at that path). Watching a
  // watched directory again does nothing. Errors: NotFound, PermissionDenied, ... naming `dir`.
  absl::Status Watch(const std::string& dir);
  bool Watching(const std::string& dir) const;

  enum class Result { kChanged, kTimeout, kWoken };
  // Blocks until an event in a watched directory (all pending events are consumed: kChanged),
  // `timeout` passes (kTimeout) or Wake was called since the last Wait (kWoken).
  Result Wait(absl::Duration timeout);

  // Makes the current or next Wait return kWoken.
  void Wake();

 private:
  DirWatcher(int inotify_fd, int wake_fd) : inotify_fd_(inotify_fd), wake_fd_(wake_fd) {}

  // Reads the pending events; true when one of them reports a change.
  bool Drain();

  const int inotify_fd_;
  const int wake_fd_;                // eventfd
  std::map<int, std::string> dirs_;  // by watch descriptor
};

}  // namespace argus::discovery::internal
