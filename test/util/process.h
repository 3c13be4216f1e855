// Test helpers for running real programs (argus, promtool, Prometheus) as child processes.
#pragma once

#include <sys/types.h>

#include <memory>
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

// An empty directory <gtest TempDir>/<name>_<pid> (whatever was there before is removed).
std::string TestDir(const std::string& name);

// How StartServer runs `argus server` or Prometheus.
struct ServerSpec {
  std::vector<std::string> command;      // program and subcommand: {ArgusBinary(), "server"}
  std::string config_file;               // --config.file
  std::string data_dir;                  // --storage.tsdb.path
  std::vector<std::string> extra_flags;  // appended after the others
  std::string log_path;                  // its stdout and stderr
  int ready_timeout_ms = 30000;
};

// Starts `spec` listening on 127.0.0.1:*port (when *port is 0, a FreePort() is picked and stored
// in *port) and waits until its log says "Server is ready to receive web requests" (what both
// Argus and Prometheus log once their API answers). Returns nullptr, with the child killed and
// its log in *log, when that does not happen within spec.ready_timeout_ms.
std::unique_ptr<Child> StartServer(const ServerSpec& spec, int* port, std::string* log);

// Percent-encodes everything but RFC 3986 unreserved characters (for query parameters).
std::string UrlEncode(const std::string& s);

// GET http://127.0.0.1:port/path; returns the status code and fills `body`.
int HttpGet(int port, const std::string& path, std::string* body);

// POST `body` (form-encoded) to http://127.0.0.1:port/path; returns the status code and fills
// `response`.
int HttpPost(int port, const std::string& path, const std::string& body, std::string* response);

}  // namespace argus::testing
