#include "scrape/manager.h"

#include <set>

#include "absl/strings/str_format.h"
#include "base/logging.h"
#include "scrape/target.h"

namespace argus::scrape {

Manager::Manager(AppenderFactory appender, uint64_t jitter_seed)
    : scraper_(std::move(appender), jitter_seed) {}

void Manager::ApplyConfig(std::vector<config::ScrapeConfig> configs) {
  std::lock_guard l(mu_);
  configs_.clear();
  for (config::ScrapeConfig& c : configs) configs_.emplace(c.job_name, std::move(c));
  Rebuild();
}

void Manager::Sync(std::map<std::string, std::vector<labels::Labels>> discovered) {
  std::lock_guard l(mu_);
  discovered_ = std::move(discovered);
  Rebuild();
}

void Manager::Rebuild() {
  std::vector<TargetSpec> all;
  dropped_.clear();
  for (const auto& [job, cfg] : configs_) {
    auto found = discovered_.find(job);
    if (found == discovered_.end()) continue;
    std::vector<TargetSpec> pool;
    std::set<std::string> seen;  // the same labels and URL twice is one target
    for (size_t i = 0; i < found->second.size(); ++i) {
      absl::StatusOr<PopulatedLabels> p = PopulateLabels(found->second[i], cfg);
      if (!p.ok()) {
        log::Error("Creating target failed",
                   {{"scrape_pool", job},
                    {"err", absl::StrFormat("instance %d in group %s: %s", i,
                                            found->second[i].ToString(), p.status().message())}});
        continue;
      }
      if (p->labels.empty()) {
        dropped_.push_back({job, std::move(p->discovered)});
        continue;
      }
      TargetSpec t = MakeTargetSpec(p->labels, p->discovered, cfg);
      if (seen.insert(Scraper::Key(t)).second) {
        pool.push_back(std::move(t));
      }
    }
    if (cfg.target_limit > 0 && pool.size() > cfg.target_limit) {
      const absl::Status err = absl::ResourceExhaustedError(
          absl::StrFormat("target_limit exceeded (number of targets: %d, limit: %d)", pool.size(),
                          cfg.target_limit));
      for (TargetSpec& t : pool) t.forced_error = err;
    }
    for (TargetSpec& t : pool) all.push_back(std::move(t));
  }
  scraper_.Sync(std::move(all));
}

std::vector<Scraper::TargetStatus> Manager::ActiveTargets() const { return scraper_.Targets(); }

std::vector<Manager::Dropped> Manager::DroppedTargets() const {
  std::lock_guard l(mu_);
  return dropped_;
}

}  // namespace argus::scrape
