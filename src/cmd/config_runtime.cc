#include "cmd/config_runtime.h"

#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "base/fnv.h"
#include "base/hostport.h"
#include "base/logging.h"

namespace argus::cmd {
namespace {

// Prometheus's scrape offset seed: FNV-1a of the host name and the external labels, so that
// HA replicas with different external labels scrape at different moments.
uint64_t OffsetSeed(const labels::Labels& external) {
  return Fnv1a64(absl::StrCat(Hostname(), external.ToString()));
}

// Each discovered target's labels with its group's labels merged in (the target's win).
std::map<std::string, std::vector<labels::Labels>> Flatten(
    const discovery::Manager::Groups& groups) {
  std::map<std::string, std::vector<labels::Labels>> out;
  for (const auto& [job, list] : groups) {
    std::vector<labels::Labels>& targets = out[job];
    for (const discovery::Group& g : list) {
      for (const labels::Labels& t : g.targets) {
        std::vector<labels::Label> all(g.labels.begin(), g.labels.end());
        all.insert(all.end(), t.begin(), t.end());
        targets.push_back(labels::Labels::FromUnsorted(std::move(all)));
      }
    }
  }
  return out;
}

}  // namespace

ConfigRuntime::ConfigRuntime(std::string path, config::Config initial,
                             scrape::AppenderFactory appender, metrics::Registry& registry)
    : path_(std::move(path)),
      last_reload_successful_(
          registry.AddGauge("prometheus_config_last_reload_successful",
                            "Whether the last configuration reload attempt was successful.")),
      last_reload_success_time_(
          registry.AddGauge("prometheus_config_last_reload_success_timestamp_seconds",
                            "Timestamp of the last successful configuration reload.")),
      scrape_(std::make_unique<scrape::Manager>(std::move(appender),
                                                OffsetSeed(initial.global.external_labels))) {
  discovery_ = std::make_unique<discovery::Manager>(
      [this](const discovery::Manager::Groups& groups) { scrape_->Sync(Flatten(groups)); },
      absl::Seconds(5), discovery::Manager::RegisterMetrics(registry));
  Apply(std::make_shared<const config::Config>(std::move(initial)));
}

ConfigRuntime::~ConfigRuntime() { discovery_.reset(); }

void ConfigRuntime::Apply(std::shared_ptr<const config::Config> c) {
  scrape_->ApplyConfig(c->scrape_configs);
  std::map<std::string, config::ServiceDiscoveryConfigs> sd;
  for (const config::ScrapeConfig& s : c->scrape_configs) sd.emplace(s.job_name, s.discovery);
  discovery_->ApplyConfig(sd);
  {
    std::lock_guard l(mu_);
    current_ = std::move(c);
  }
  last_reload_successful_.Set(1);
  last_reload_success_time_.Set(absl::ToDoubleSeconds(absl::Now() - absl::UnixEpoch()));
}

absl::Status ConfigRuntime::Reload() {
  std::lock_guard r(reload_mu_);
  log::Info("Loading configuration file", {{"filename", path_}});
  absl::StatusOr<config::Config> c = config::LoadFile(path_);
  if (!c.ok()) {
    last_reload_successful_.Set(0);
    log::Error("Error reloading config", {{"filename", path_}, {"err", c.status()}});
    return absl::InvalidArgumentError(absl::StrCat("couldn't load configuration (--config.file=\"",
                                                   path_, "\"): ", c.status().message()));
  }
  Apply(std::make_shared<const config::Config>(*std::move(c)));
  log::Info("Completed loading of configuration file", {{"filename", path_}});
  return absl::OkStatus();
}

std::shared_ptr<const config::Config> ConfigRuntime::Current() const {
  std::lock_guard l(mu_);
  return current_;
}

}  // namespace argus::cmd
