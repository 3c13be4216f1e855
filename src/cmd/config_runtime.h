// The configuration-driven part of `argus server`: loads the configuration file, runs service
// discovery and the scrape manager from it, and reloads it on demand (SIGHUP, POST /-/reload)
// as Prometheus does: a file that fails to load or apply leaves the running configuration in
// place, and reloading never loses data (unchanged targets keep their loops).
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "config/config.h"
#include "discovery/manager.h"
#include "metrics/registry.h"
#include "scrape/manager.h"

namespace argus::cmd {

// Thread-safe.
class ConfigRuntime {
 public:
  // Starts discovery and scraping into `appender` with `initial`, the configuration loaded
  // from `path` (which Reload reads again).
  ConfigRuntime(std::string path, config::Config initial, scrape::AppenderFactory appender,
                metrics::Registry& registry);
  ~ConfigRuntime();

  // Loads the file again and applies it. Errors: the file's (the old configuration stays).
  absl::Status Reload();

  std::shared_ptr<const config::Config> Current() const;
  // Whether the last load of the file (the initial one or a reload) applied.
  bool LastReloadSuccessful() const { return last_reload_successful_.Value() != 0; }
  // When the file was last applied, to the second.
  absl::Time LastReloadSuccessTime() const {
    return absl::FromUnixSeconds(static_cast<int64_t>(last_reload_success_time_.Value()));
  }
  const scrape::Manager& scrape() const { return *scrape_; }

 private:
  void Apply(std::shared_ptr<const config::Config> c);

  const std::string path_;
  metrics::Gauge& last_reload_successful_;
  metrics::Gauge& last_reload_success_time_;
  mutable std::mutex mu_;
  std::mutex reload_mu_;                           // one reload at a time
  std::shared_ptr<const config::Config> current_;  // guarded by mu_
  std::unique_ptr<scrape::Manager> scrape_;
  std::unique_ptr<discovery::Manager> discovery_;  // stopped first: it calls into scrape_
};

}  // namespace argus::cmd
