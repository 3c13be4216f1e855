// Prometheus v2.42's discovery manager: runs the providers (static and file SD) of every job
// and hands the consumer (the scrape manager) the full set of groups of every job, throttled.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"
#include "config/discovery.h"
#include "discovery/discovery.h"
#include "metrics/registry.h"

namespace argus::discovery {

// The discovery self-metrics; each may be null. Register them once per process
// (Manager::RegisterMetrics) and share them between managers, as Prometheus's are process-wide.
struct ManagerMetrics {
  metrics::Counter* file_read_errors = nullptr;  // prometheus_sd_file_read_errors_total
};

// Thread-safe. Providers with equal configurations are shared by the jobs that use them, as in
// Prometheus. kubernetes_sd_configs are not implemented: they discover nothing (a warning is
// logged once per job that has them).
class Manager {
 public:
  // Each job's groups: those of its providers in the order they were created, each provider's
  // by source.
  using Groups = std::map<std::string /*job*/, std::vector<Group>>;

  using Metrics = ManagerMetrics;
  static Metrics RegisterMetrics(metrics::Registry& registry);

  // `on_update` receives, on the manager's own thread and one call at a time, the groups of
  // every configured job (a job without any has an empty list): at most once per
  // `update_interval` (Prometheus: 5s) when some group changed, and promptly after each
  // ApplyConfig, once the providers it started have sent their first groups (or at the next
  // interval, whichever comes first).
  explicit Manager(std::function<void(const Groups&)> on_update,
                   absl::Duration update_interval = absl::Seconds(5), Metrics metrics = {});
  // Stops the providers and the thread; returns after any running `on_update` returns.
  // REQUIRES: not called from `on_update`.
  ~Manager();
  Manager(const Manager&) = delete;
  Manager& operator=(const Manager&) = delete;

  // Replaces the configuration: providers whose configuration some job still has keep running
  // (with their groups); the others stop (their groups go) and new ones start. A job with no
  // static or file SD gets one empty group (source ""), as in Prometheus. Returns once stopped
  // providers have stopped. REQUIRES: not called from `on_update`.
  void ApplyConfig(const std::map<std::string, config::ServiceDiscoveryConfigs>& jobs);

  // The current groups, as `on_update` would get them now. Groups of a provider started by the
  // last ApplyConfig appear once it has sent them.
  Groups Current() const;

 private:
  struct Provider;

  // Registers `job` with the provider of config `key`, creating it if needed.
  void AddProvider(const std::string& key, const std::string& type, const std::string& job,
                   const std::function<std::unique_ptr<Discoverer>()>& make)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // What a provider's Sink calls.
  void Update(uint64_t id, std::vector<Group> groups);
  Groups AllGroups() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool StartedProvidersReported() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void SendLoop();

  const std::function<void(const Groups&)> on_update_;
  const absl::Duration update_interval_;
  const Metrics metrics_;

  std::mutex apply_mu_;  // serializes ApplyConfig and the destructor
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<uint64_t, std::unique_ptr<Provider>> providers_ ABSL_GUARDED_BY(mu_);  // by id
  uint64_t next_id_ ABSL_GUARDED_BY(mu_) = 0;
  std::set<std::string> jobs_ ABSL_GUARDED_BY(mu_);
  std::set<std::string> kubernetes_jobs_ ABSL_GUARDED_BY(mu_);  // warned about
  bool dirty_ ABSL_GUARDED_BY(mu_) = false;          // a group changed since the last send
  bool apply_pending_ ABSL_GUARDED_BY(mu_) = false;  // ApplyConfig since the last send
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread sender_;
};

}  // namespace argus::discovery
