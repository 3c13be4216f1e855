#include "util/process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "httplib.h"

namespace argus::testing {
namespace {

std::vector<char*> CArgs(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const std::string& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

int DecodeWait(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }

// Unblocks the signals a test binary may have blocked, so children behave normally.
void ResetSignals() {
  sigset_t all;
  sigemptyset(&all);
  sigprocmask(SIG_SETMASK, &all, nullptr);
}

}  // namespace

CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& input) {
  int in_pipe[2], out_pipe[2];
  if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0) return {};
  pid_t pid = fork();
  if (pid == 0) {
    ResetSignals();
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(out_pipe[1], 2);
    close(in_pipe[1]);
    close(out_pipe[0]);
    auto args = CArgs(argv);
    execvp(args[0], args.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  std::thread writer([&] {
    size_t off = 0;
    while (off < input.size()) {
      ssize_t n = write(in_pipe[1], input.data() + off, input.size() - off);
      if (n <= 0) break;
      off += static_cast<size_t>(n);
    }
    close(in_pipe[1]);
  });
  CommandResult r;
  char buf[4096];
  ssize_t n;
  while ((n = read(out_pipe[0], buf, sizeof buf)) > 0) r.output.append(buf, n);
  close(out_pipe[0]);
  writer.join();
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = DecodeWait(status);
  return r;
}

Child::Child(const std::vector<std::string>& argv, const std::string& log_path)
    : log_path_(log_path) {
  // Opened (and truncated) before the fork, so WaitForLog never sees a previous run's lines.
  int fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  pid_ = fork();
  if (pid_ == 0) {
    // A test that crashes or is killed takes its servers with it.
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    ResetSignals();
    dup2(fd, 1);
    dup2(fd, 2);
    auto args = CArgs(argv);
    execvp(args[0], args.data());
    _exit(127);
  }
  if (fd >= 0) close(fd);
}

Child::~Child() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

int Child::Stop(int sig) {
  if (pid_ <= 0) return -1;
  kill(pid_, sig);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
  return DecodeWait(status);
}

bool Child::WaitForLog(const std::string& needle, int timeout_ms, std::string* log) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  while (true) {
    std::ifstream in(log_path_);
    std::stringstream ss;
    ss << in.rdbuf();
    *log = ss.str();
    if (log->find(needle) != std::string::npos) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

std::string ArgusBinary() {
  const char* bin = std::getenv("ARGUS_BIN");
  return bin != nullptr ? bin : "argus";
}

int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = -1;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  ::close(fd);
  return port;
}

std::string TestDir(const std::string& name) {
  const std::string dir = ::testing::TempDir() + "/" + name + "_" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::unique_ptr<Child> StartServer(const ServerSpec& spec, int* port, std::string* log) {
  if (*port == 0) *port = FreePort();
  std::vector<std::string> argv = spec.command;
  argv.push_back("--config.file=" + spec.config_file);
  argv.push_back("--storage.tsdb.path=" + spec.data_dir);
  argv.push_back(absl::StrCat("--web.listen-address=127.0.0.1:", *port));
  argv.insert(argv.end(), spec.extra_flags.begin(), spec.extra_flags.end());
  auto child = std::make_unique<Child>(argv, spec.log_path);
  if (!child->WaitForLog("Server is ready to receive web requests", spec.ready_timeout_ms, log)) {
    return nullptr;
  }
  return child;
}

std::string UrlEncode(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      static const char kHex[] = "0123456789ABCDEF";
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

int HttpGet(int port, const std::string& path, std::string* body) {
  httplib::Client c("127.0.0.1", port);
  auto res = c.Get(path.c_str());
  if (!res) return -1;
  *body = res->body;
  return res->status;
}

int HttpPost(int port, const std::string& path, const std::string& body, std::string* response) {
  httplib::Client c("127.0.0.1", port);
  auto res = c.Post(path.c_str(), body, "application/x-www-form-urlencoded");
  if (!res) return -1;
  *response = res->body;
  return res->status;
}

}  // namespace argus::testing
