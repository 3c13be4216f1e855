// Test helpers for running real programs (argus, promtool, Prometheus) as child processes.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace argus::testing {

struct CommandResult {
  int exit_code = -1;  // -1 when killed by a signal
  std::string output;  // stdout and stderr together
};

// Runs `argv` to completion with `input` on stdin. A missing program gives exit code 127.
CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& input = "");

// A child process running in the background; stderr+stdout go to a log file.
class Child {
 public:
  Child(const std::vector<std::string>& argv, const std::string& log_path);
  ~Child();  // SIGKILLs the child if still running
  // Sends `sig` and waits; returns the exit code (-1 if it died from a signal).
  int Stop(int sig);
  // Waits up to `timeout_ms` for `needle` to appear in the log; returns the log so far.
  bool WaitForLog(const std::string& needle, int timeout_ms, std::string* log);
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  std::string log_path_;
};

// The argus binary under test (from $ARGUS_BIN, set by CTest).
std::string ArgusBinary();

// A TCP port on 127.0.0.1 that was free a moment ago (for peers that cannot listen on port 0).
int FreePort();

// Percent-encodes everything but RFC 3986 unreserved characters (for query parameters).
std::string UrlEncode(const std::string& s);

// GET http://127.0.0.1:port/path; returns the status code and fills `body`.
int HttpGet(int port, const std::string& path, std::string* body);

// POST `body` (form-encoded) to http://127.0.0.1:port/path; returns the status code and fills
// `response`.
int HttpPost(int port, const std::string& path, const std::string& body, std::string* response);

}  // namespace argus::testing
