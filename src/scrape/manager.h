// Prometheus v2.42's scrape manager and pools: the scrape configs of the loaded configuration
// and the targets discovery found for each job become the running scrape loops (one Scraper
// for every pool, so thousands of targets share one fetcher thread and a few workers).
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "config/scrape_config.h"
#include "model/labels/labels.h"
#include "scrape/scraper.h"

namespace argus::scrape {

// Thread-safe.
class Manager {
 public:
  // `jitter_seed` spreads scrape offsets between servers (see Scraper).
  Manager(AppenderFactory appender, uint64_t jitter_seed);

  // Takes the scrape configs of a (re)loaded configuration and rebuilds the targets from the
  // last discovered ones: jobs that are gone stop (their series marked stale), targets whose
  // labels and URL are unchanged keep their loop and cache.
  void ApplyConfig(std::vector<config::ScrapeConfig> configs);

  // Replaces the discovered targets: for every job, each target's labels (its group's labels
  // merged in, the target's own winning). Targets that fail PopulateLabels are logged and
  // skipped, as Prometheus does; relabel-dropped ones are kept for DroppedTargets. A pool with
  // more targets than its target_limit scrapes none of them: each reports "target_limit
  // exceeded (number of targets: N, limit: L)" (up=0).
  void Sync(std::map<std::string, std::vector<labels::Labels>> discovered);

  std::vector<Scraper::TargetStatus> ActiveTargets() const;
  struct Dropped {
    std::string pool;
    labels::Labels discovered;
  };
  std::vector<Dropped> DroppedTargets() const;

 private:
  // Recomputes the targets of every configured job and syncs the scraper. REQUIRES: mu_ held.
  void Rebuild();

  mutable std::mutex mu_;
  std::map<std::string, config::ScrapeConfig> configs_;            // by job; guarded by mu_
  std::map<std::string, std::vector<labels::Labels>> discovered_;  // guarded by mu_
  std::vector<Dropped> dropped_;                                   // guarded by mu_
  Scraper scraper_;
};

}  // namespace argus::scrape
