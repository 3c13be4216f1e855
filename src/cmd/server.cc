// `argus server`: today the HTTP skeleton every later part hangs on (self metrics, probes,
// graceful shutdown). Scraping, the TSDB and the query API arrive with their issues.
#include "http/server.h"

#include <memory>
#include <string>

#include "base/buildinfo.h"
#include "base/logging.h"
#include "base/signals.h"
#include "cmd/command.h"
#include "metrics/process_collector.h"
#include "metrics/registry.h"

namespace argus::cmd {
namespace {

struct ServerFlags {
  std::string listen_address = "0.0.0.0:9090";
};

int RunServer(const ServerFlags& flags) {
  log::Info("Starting Argus Server", {{"version", GetBuildInfo().version}});
  metrics::Registry registry;
  metrics::RegisterProcessCollector(registry);
  http::Server web(registry);
  web.AddStandardEndpoints("Argus Server", [] { return true; });
  if (absl::Status s = web.Start(flags.listen_address); !s.ok()) {
    log::Error("Error starting web server", {{"err", s}});
    return 1;
  }
  log::Info("Server is ready to receive web requests.",
            {{"address", flags.listen_address}, {"port", web.port()}});
  int sig = WaitForTermination(
      [] { log::Info("Received SIGHUP; nothing to reload yet (no configuration file)"); });
  log::Warn("Received termination signal, exiting gracefully...", {{"signal", sig}});
  web.Shutdown();
  log::Info("See you next time!");
  return 0;
}

}  // namespace

Command AddServerCommand(CLI::App& root) {
  auto flags = std::make_shared<ServerFlags>();
  CLI::App* sub = root.add_subcommand(
      "server", "Scrape targets, store samples in the local TSDB and serve the Prometheus API");
  sub->add_option("--web.listen-address", flags->listen_address,
                  "Address to listen on for UI, API, and telemetry")
      ->capture_default_str();
  return {sub, [flags] { return RunServer(*flags); }};
}

}  // namespace argus::cmd
