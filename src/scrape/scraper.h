// Runs the scrape loops of a set of targets (Prometheus v2.42's scrape loops and pools): each
// target is scraped every interval at an offset derived from its identity (so a fleet spreads
// its scrapes instead of firing at once), by the shared Fetcher; bodies are appended by a small
// worker pool, one scrape per target at a time. Targets that go away get their series and
// synthetic series marked stale.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/time/time.h"
#include "model/labels/labels.h"
#include "scrape/append.h"
#include "scrape/cache.h"
#include "scrape/fetcher.h"
#include "storage/storage.h"

namespace argus::scrape {

// What to scrape and how: the target's final labels (job, instance, ...), its request and the
// append options of its scrape config.
struct TargetSpec {
  std::string pool;           // the scrape pool (job_name) it belongs to
  labels::Labels labels;      // public labels: what every scraped series gets
  labels::Labels discovered;  // before relabeling, for /api/v1/targets
  FetchRequest request;
  absl::Duration interval = absl::Minutes(1);
  AppendOptions append;
  // Not OK: the target is not fetched; each scrape fails with this error (up=0, series marked
  // stale), as Prometheus's forced errors (target_limit exceeded, unreadable credentials).
  absl::Status forced_error;
};

// The state /api/v1/targets shows.
struct TargetHealth {
  enum class State { kUnknown, kUp, kDown };
  State state = State::kUnknown;
  absl::Time last_scrape = absl::InfinitePast();
  absl::Duration last_duration;
  std::string last_error;
};

using AppenderFactory = std::function<std::unique_ptr<storage::Appender>()>;

// Thread-safe.
class Scraper {
 public:
  // `jitter_seed` varies the offsets between servers (Prometheus hashes its external labels).
  Scraper(AppenderFactory appender, uint64_t jitter_seed, int workers = 2);
  // Stops every loop without marking anything stale (a shutdown, not targets going away).
  ~Scraper();

  // Makes the running set equal to `targets`: new ones start, vanished ones stop and have
  // their series marked stale, unchanged ones (same labels and URL) keep their loop and cache
  // and take the new options (interval, limits, relabeling...) from their next scrape on.
  void Sync(std::vector<TargetSpec> targets);

  struct TargetStatus {
    TargetSpec spec;
    TargetHealth health;
    std::shared_ptr<const MetadataStore> metadata;  // what its scrapes exposed, kept current
  };
  std::vector<TargetStatus> Targets() const;

  // Identity of a target: its labels and URL (two specs with equal keys are one target).
  static std::string Key(const TargetSpec& t);

 private:
  struct Loop;
  void Schedule();
  void OnFetched(const std::shared_ptr<Loop>& loop, absl::Time start, FetchResult r);
  // REQUIRES: mu_ held.
  void OnFetchedLocked(const std::shared_ptr<Loop>& loop, absl::Time start, FetchResult r);
  void Work();
  // The target's series, then its synthetic series, marked stale at `t`.
  void MarkStale(Loop& loop, absl::Time t);

  AppenderFactory appender_;
  const uint64_t jitter_seed_;
  std::unique_ptr<Fetcher> fetcher_;  // destroyed first: its cancellations call back
  mutable std::mutex mu_;
  std::condition_variable cv_;                          // wakes the scheduler
  std::condition_variable work_cv_;                     // wakes workers
  std::map<std::string, std::shared_ptr<Loop>> loops_;  // guarded by mu_
  std::deque<std::function<void()>> work_;              // guarded by mu_
  bool stopping_ = false;                               // guarded by mu_
  std::thread scheduler_;
  std::vector<std::thread> workers_;
};

}  // namespace argus::scrape
