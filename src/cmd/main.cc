// The `argus` binary: one executable, one subcommand per role (as `thanos` has).
#include <malloc.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "base/buildinfo.h"
#include "base/logging.h"
#include "base/signals.h"
#include "cmd/command.h"

namespace {

// Roles that later work fills in. They are listed in --help so the binary's shape is visible,
// and refuse to run with a clear message rather than pretend.
struct PendingRole {
  const char* name;
  const char* description;
  const char* tracking;
};
constexpr PendingRole kPendingRoles[] = {
    {"compact", "Compact and downsample the blocks in a bucket", "a later issue"},
};

}  // namespace

int main(int argc, char** argv) {
  // Before any thread exists, so that only the waiting thread ever sees these signals.
  argus::BlockTerminationSignals();
  // Debian's Abseil is built without NDEBUG, which turns on absl::Mutex deadlock detection:
  // a lock-order graph updated on every nested acquisition. Tests keep it; the program does not.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  // glibc gives each thread that allocates its own heap arena (up to 8 per core), each holding
  // freed memory of its own; two suffice for Argus's few allocating threads and keep RSS
  // lower (4 MiB of 81 at 100k scraped series). MALLOC_ARENA_MAX still overrides.
  if (std::getenv("MALLOC_ARENA_MAX") == nullptr) mallopt(M_ARENA_MAX, 2);
  // A large query answer (tens of MB of points and JSON) is allocated and freed per request.
  // By default glibc maps blocks that large afresh, or hands freed memory back to the kernel,
  // so each request page-faulted ~6500 new pages (26 MB) in; kept for reuse, ~400 (and such a
  // query took ~12% less time). Blocks up to 32 MiB (glibc's maximum) come from the heap, and
  // up to 128 MiB of free memory stays with the process. The MALLOC_*_ variables override.
  if (std::getenv("MALLOC_MMAP_THRESHOLD_") == nullptr) mallopt(M_MMAP_THRESHOLD, 32 << 20);
  if (std::getenv("MALLOC_TRIM_THRESHOLD_") == nullptr) mallopt(M_TRIM_THRESHOLD, 128 << 20);

  CLI::App app{"Argus: multi-cluster monitoring compatible with Prometheus and Thanos.", "argus"};
  app.set_version_flag("--version",
                       std::string(absl::StripSuffix(argus::VersionText("argus"), "\n")));
  app.require_subcommand(1);
  app.fallthrough();  // global flags may follow the subcommand, as in Thanos
  std::string log_level = "info";
  std::string log_format = "logfmt";
  app.add_option("--log.level", log_level, "Only log messages with the given severity or above")
      ->check(CLI::IsMember({"debug", "info", "warn", "error"}))
      ->capture_default_str();
  app.add_option("--log.format", log_format, "Output format of log messages")
      ->check(CLI::IsMember({"logfmt", "json"}))
      ->capture_default_str();

  std::vector<argus::cmd::Command> commands;
  commands.push_back(argus::cmd::AddServerCommand(app));
  commands.push_back(argus::cmd::AddSidecarCommand(app));
  commands.push_back(argus::cmd::AddStoreCommand(app));
  commands.push_back(argus::cmd::AddQueryCommand(app));
  commands.push_back(argus::cmd::AddToolsCommand(app));
  for (const PendingRole& role : kPendingRoles) {
    CLI::App* sub = app.add_subcommand(role.name, role.description);
    sub->allow_extras();
    std::string name = role.name, tracking = role.tracking;
    commands.push_back({sub, [name, tracking] {
                          std::cerr << "argus " << name << ": not available in this version yet ("
                                    << tracking << ")\n";
                          return 2;
                        }});
  }

  // "--name=" gives an option the empty value, as Go's flag packages read it; CLI11 would take
  // the next argument instead, so it gets the empty value as an argument of its own.
  std::vector<std::string> args;
  for (int i = argc - 1; i >= 1; --i) {
    const std::string a = argv[i];
    if (a.size() > 3 && absl::StartsWith(a, "--") && a.back() == '=' &&
        a.find('=') == a.size() - 1) {
      args.push_back("");
      args.push_back(a.substr(0, a.size() - 1));
    } else {
      args.push_back(a);
    }
  }
  try {
    app.parse(args);  // CLI11 takes a vector in reverse order
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  if (absl::Status s = argus::log::Configure(log_level, log_format); !s.ok()) {
    std::cerr << "argus: " << s.message() << "\n";
    return 2;
  }
  for (const argus::cmd::Command& c : commands) {
    if (c.app->parsed()) return c.run();
  }
  return 2;  // unreachable: require_subcommand(1)
}
