#include "discovery/manager.h"

#include <algorithm>
#include <chrono>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/logging.h"
#include "discovery/file.h"

namespace argus::discovery {
namespace {

// Provider identity: equal keys mean equal configurations (Prometheus compares them with
// reflect.DeepEqual). Every field is length-prefixed so no two configurations share a key.
void AppendField(std::string* key, absl::string_view s) { absl::StrAppend(key, s.size(), ":", s); }

std::string StaticKey(const std::vector<Group>& groups) {
  std::string key = "static;";
  for (const Group& g : groups) {
    AppendField(&key, g.source);
    AppendField(&key, g.labels.ToString());
    absl::StrAppend(&key, g.targets.size(), ";");
    for (const labels::Labels& t : g.targets) AppendField(&key, t.ToString());
  }
  return key;
}

std::string FileKey(const config::FileSDConfig& c) {
  std::string key = absl::StrCat("file;", c.refresh_interval_ms, ";");
  for (const std::string& f : c.files) AppendField(&key, f);
  return key;
}

}  // namespace

struct Manager::Provider {
  std::string key;
  std::string name;                     // "static/0", "file/1": type and creation order
  std::set<std::string> jobs;           // the jobs using it
  std::set<std::string> new_jobs;       // the jobs using it under the config being applied
  std::map<std::string, Group> groups;  // by source
  bool reported = false;                // has sent its first groups
  std::unique_ptr<Discoverer> discoverer;
  std::jthread thread;  // declared last: joined before `discoverer` is destroyed
};

Manager::Metrics Manager::RegisterMetrics(metrics::Registry& registry) {
  Metrics m;
  m.file_read_errors = &registry.AddCounter("prometheus_sd_file_read_errors_total",
                                            "The number of File-SD read errors.");
  return m;
}

Manager::Manager(std::function<void(const Groups&)> on_update, absl::Duration update_interval,
                 Metrics metrics)
    : on_update_(std::move(on_update)), update_interval_(update_interval), metrics_(metrics) {
  sender_ = std::thread(&Manager::SendLoop, this);
}

Manager::~Manager() {
  std::lock_guard<std::mutex> apply(apply_mu_);
  std::map<uint64_t, std::unique_ptr<Provider>> providers;
  {
    std::lock_guard<std::mutex> l(mu_);
    stopping_ = true;
    providers.swap(providers_);
  }
  cv_.notify_all();
  for (auto& [id, p] : providers) p->thread.request_stop();
  providers.clear();  // joins the providers' threads
  sender_.join();
}

void Manager::AddProvider(const std::string& key, const std::string& type, const std::string& job,
                          const std::function<std::unique_ptr<Discoverer>()>& make) {
  for (auto& [id, p] : providers_) {
    if (p->key == key) {
      p->new_jobs.insert(job);
      return;
    }
  }
  auto p = std::make_unique<Provider>();
  const uint64_t id = next_id_++;
  p->key = key;
  p->name = absl::StrCat(type, "/", id);
  p->new_jobs.insert(job);
  p->discoverer = make();
  providers_[id] = std::move(p);
}

void Manager::ApplyConfig(const std::map<std::string, config::ServiceDiscoveryConfigs>& jobs) {
  std::lock_guard<std::mutex> apply(apply_mu_);
  std::vector<std::unique_ptr<Provider>> stale;
  {
    std::lock_guard<std::mutex> l(mu_);
    for (auto& [id, p] : providers_) p->new_jobs.clear();
    std::set<std::string> kubernetes_jobs;
    jobs_.clear();
    for (const auto& [job, sd] : jobs) {
      jobs_.insert(job);
      bool added = false;
      if (!sd.static_configs.empty()) {
        std::vector<Group> groups = StaticGroups(sd.static_configs);
        AddProvider(StaticKey(groups), "static", job,
                    [&] { return std::make_unique<StaticDiscoverer>(groups); });
        added = true;
      }
      for (const config::FileSDConfig& f : sd.file_sd_configs) {
        AddProvider(FileKey(f), "file", job,
                    [&] { return std::make_unique<FileDiscoverer>(f, metrics_.file_read_errors); });
        added = true;
      }
      if (!sd.kubernetes_sd_configs.empty()) {
        kubernetes_jobs.insert(job);
        if (!kubernetes_jobs_.contains(job)) {
          log::Warn(
              "kubernetes_sd_configs discover nothing yet in Argus; the job gets no targets "
              "from them",
              {{"job", job}, {"configs", sd.kubernetes_sd_configs.size()}});
        }
      }
      if (!added) {
        // Prometheus's empty group: the job has no targets (yet), and its consumer learns so.
        std::vector<Group> empty(1);
        AddProvider(StaticKey(empty), "static", job,
                    [&] { return std::make_unique<StaticDiscoverer>(empty); });
      }
    }
    kubernetes_jobs_ = std::move(kubernetes_jobs);

    for (auto it = providers_.begin(); it != providers_.end();) {
      Provider& p = *it->second;
      if (p.new_jobs.empty()) {
        log::Debug("Stopping provider", {{"provider", p.name}});
        p.thread.request_stop();
        stale.push_back(std::move(it->second));
        it = providers_.erase(it);
        continue;
      }
      p.jobs = std::move(p.new_jobs);
      p.new_jobs.clear();
      if (!p.thread.joinable()) {
        log::Debug("Starting provider", {{"provider", p.name}});
        p.thread = std::jthread([this, id = it->first, d = p.discoverer.get()](std::stop_token st) {
          d->Run(st, [this, id](std::vector<Group> groups) { Update(id, std::move(groups)); });
        });
      }
      ++it;
    }
    apply_pending_ = true;
  }
  cv_.notify_all();
  stale.clear();  // joins their threads; without mu_, which their last Update may need
}

void Manager::Update(uint64_t id, std::vector<Group> groups) {
  std::lock_guard<std::mutex> l(mu_);
  auto it = providers_.find(id);
  if (it == providers_.end()) return;  // stopped
  Provider& p = *it->second;
  for (Group& g : groups) {
    auto [pos, inserted] = p.groups.try_emplace(g.source);
    if (inserted || !(pos->second == g)) {
      pos->second = std::move(g);
      dirty_ = true;
    }
  }
  if (!p.reported) {
    p.reported = true;
    if (apply_pending_) cv_.notify_all();
  }
}

bool Manager::StartedProvidersReported() const {
  for (const auto& [id, p] : providers_) {
    if (!p->reported) return false;
  }
  return true;
}

Manager::Groups Manager::AllGroups() const {
  Groups out;
  for (const std::string& job : jobs_) out[job];
  for (const auto& [id, p] : providers_) {
    for (const std::string& job : p->jobs) {
      std::vector<Group>& dst = out[job];
      for (const auto& [source, g] : p->groups) dst.push_back(g);
    }
  }
  return out;
}

Manager::Groups Manager::Current() const {
  std::lock_guard<std::mutex> l(mu_);
  return AllGroups();
}

void Manager::SendLoop() {
  using Clock = std::chrono::steady_clock;
  const Clock::duration interval =
      absl::ToChronoNanoseconds(std::max(update_interval_, absl::Milliseconds(1)));
  Clock::time_point next_tick = Clock::now() + interval;
  std::unique_lock<std::mutex> l(mu_);
  while (true) {
    auto applied = [&] { return apply_pending_ && StartedProvidersReported(); };
    cv_.wait_until(l, next_tick, [&] { return stopping_ || applied(); });
    if (stopping_) return;
    bool send = applied();
    if (Clock::now() >= next_tick) {
      // A ticker: slow `on_update` calls drop ticks rather than queue them.
      while (next_tick <= Clock::now()) next_tick += interval;
      send = send || dirty_ || apply_pending_;
    }
    if (!send) continue;
    dirty_ = false;
    apply_pending_ = false;
    const Groups groups = AllGroups();
    l.unlock();
    on_update_(groups);
    l.lock();
  }
}

}  // namespace argus::discovery
