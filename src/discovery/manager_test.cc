#include "discovery/manager.h"

#include <filesystem>
#include <mutex>
#include <sstream>
#include <thread>

#include "base/logging.h"
#include "discovery/file.h"
#include "discovery/internal/test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace argus::discovery {
namespace {

using testing::Eventually;
using testing::TempDir;
using testing::WriteFile;

// The targets of `job`'s groups, in order, as "address" strings.
std::vector<std::string> Addresses(const Manager::Groups& all, const std::string& job) {
  std::vector<std::string> out;
  auto it = all.find(job);
  if (it == all.end()) return out;
  for (const Group& g : it->second) {
    for (const labels::Labels& t : g.targets) out.emplace_back(t.Get("__address__"));
  }
  return out;
}

// Records what the manager sends.
class Recorder {
 public:
  std::function<void(const Manager::Groups&)> Callback() {
    return [this](const Manager::Groups& g) {
      std::lock_guard<std::mutex> l(mu_);
      updates_.push_back(g);
    };
  }
  size_t count() {
    std::lock_guard<std::mutex> l(mu_);
    return updates_.size();
  }
  Manager::Groups last() {
    std::lock_guard<std::mutex> l(mu_);
    return updates_.empty() ? Manager::Groups{} : updates_.back();
  }
  // Waits for an update after the `after`-th whose `job` has exactly `want`.
  bool WaitFor(const std::string& job, const std::vector<std::string>& want, size_t after = 0) {
    return Eventually([&] { return count() > after && Addresses(last(), job) == want; });
  }

 private:
  std::mutex mu_;
  std::vector<Manager::Groups> updates_;
};

config::ServiceDiscoveryConfigs Static(std::vector<std::string> targets) {
  config::ServiceDiscoveryConfigs sd;
  sd.static_configs.push_back({std::move(targets), labels::Labels{{"env", "prod"}}});
  return sd;
}

config::ServiceDiscoveryConfigs FileSD(std::vector<std::string> files, int64_t refresh_ms = 50) {
  config::ServiceDiscoveryConfigs sd;
  sd.file_sd_configs.push_back({std::move(files), refresh_ms});
  return sd;
}

TEST(ManagerTest, StaticGroupsArrivePromptlyAfterApplyConfig) {
  Recorder rec;
  // An hour between throttled updates: only ApplyConfig's own update can arrive in time.
  Manager m(rec.Callback(), absl::Hours(1));
  m.ApplyConfig({{"api", Static({"a:1", "a:2"})}, {"empty", {}}});
  ASSERT_TRUE(rec.WaitFor("api", {"a:1", "a:2"}));
  Manager::Groups g = rec.last();
  ASSERT_EQ(g.size(), 2u);
  ASSERT_EQ(g["api"].size(), 1u);
  EXPECT_EQ(g["api"][0].source, "0");
  EXPECT_EQ(g["api"][0].labels, (labels::Labels{{"env", "prod"}}));
  // A job without discovery gets Prometheus's empty group.
  EXPECT_EQ(g["empty"], (std::vector<Group>{Group{}}));
  EXPECT_EQ(m.Current(), g);

  m.ApplyConfig({{"api", Static({"a:3"})}});
  ASSERT_TRUE(rec.WaitFor("api", {"a:3"}, 1));
  EXPECT_EQ(rec.last().size(), 1u);  // "empty" is gone
  EXPECT_EQ(rec.count(), 2u);
}

TEST(ManagerTest, FileSDJsonAndYamlFollowRewritesAndDeletion) {
  TempDir dir;
  const std::string j = dir.Path("t.json"), y = dir.Path("t.yaml");
  WriteFile(j, R"([{"targets": ["j:1"], "labels": {"env": "a"}}])");
  WriteFile(y, "- targets: ['y:1', 'y:2']\n");
  Recorder rec;
  Manager m(rec.Callback(), absl::Milliseconds(50));
  m.ApplyConfig({{"json", FileSD({j}, 3600 * 1000)}, {"yaml", FileSD({y}, 3600 * 1000)}});
  ASSERT_TRUE(Eventually([&] {
    Manager::Groups g = rec.last();
    return Addresses(g, "json") == std::vector<std::string>{"j:1"} &&
           Addresses(g, "yaml") == std::vector<std::string>{"y:1", "y:2"};
  }));
  const Group jg = rec.last()["json"].at(0);
  EXPECT_EQ(jg.source, j + ":0");
  EXPECT_EQ(jg.labels, (labels::Labels{{"__meta_filepath", j}, {"env", "a"}}));

  // Rewritten: noticed through inotify (the refresh interval is an hour).
  WriteFile(j, R"([{"targets": ["j:2"]}, {"targets": ["j:3"]}])");
  ASSERT_TRUE(rec.WaitFor("json", {"j:2", "j:3"}));

  // Deleted: its groups stay, empty.
  std::filesystem::remove(y);
  ASSERT_TRUE(rec.WaitFor("yaml", {}));
  const std::vector<Group> yaml_groups = rec.last()["yaml"];
  EXPECT_EQ(yaml_groups, (std::vector<Group>{Group{.source = y + ":0"}}));
}

TEST(ManagerTest, MalformedRewriteKeepsTheOldGroups) {
  TempDir dir;
  const std::string j = dir.Path("t.json");
  WriteFile(j, R"([{"targets": ["j:1"]}])");
  metrics::Registry registry;
  Manager::Metrics metrics = Manager::RegisterMetrics(registry);
  Recorder rec;
  Manager m(rec.Callback(), absl::Milliseconds(50), metrics);
  m.ApplyConfig({{"job", FileSD({j})}});
  ASSERT_TRUE(rec.WaitFor("job", {"j:1"}));
  WriteFile(j, R"([{"targets": ["j:2"]})");
  ASSERT_TRUE(Eventually([&] { return metrics.file_read_errors->Value() >= 1; }));
  EXPECT_EQ(Addresses(m.Current(), "job"), (std::vector<std::string>{"j:1"}));
  WriteFile(j, R"([{"targets": ["j:2"]}])");
  ASSERT_TRUE(rec.WaitFor("job", {"j:2"}));
}

TEST(ManagerTest, UnchangedConfigKeepsItsProviderAndGroups) {
  TempDir dir;
  const std::string j = dir.Path("t.json");
  WriteFile(j, R"([{"targets": ["j:1"]}])");
  metrics::Registry registry;
  Manager::Metrics metrics = Manager::RegisterMetrics(registry);
  Recorder rec;
  Manager m(rec.Callback(), absl::Milliseconds(50), metrics);
  m.ApplyConfig({{"job", FileSD({j})}});
  ASSERT_TRUE(rec.WaitFor("job", {"j:1"}));

  // Broken now: a provider started afresh would find no groups; the running one keeps them.
  WriteFile(j, "[");
  ASSERT_TRUE(Eventually([&] { return metrics.file_read_errors->Value() >= 1; }));
  size_t before = rec.count();
  m.ApplyConfig({{"job", FileSD({j})}, {"other", FileSD({j})}});
  ASSERT_TRUE(Eventually([&] { return rec.count() > before; }));
  EXPECT_EQ(Addresses(rec.last(), "job"), (std::vector<std::string>{"j:1"}));
  // A new job with the same configuration shares the provider and its groups.
  EXPECT_EQ(Addresses(rec.last(), "other"), (std::vector<std::string>{"j:1"}));

  // A different configuration (refresh interval) is a new provider.
  m.ApplyConfig({{"job", FileSD({j}, 60)}});
  ASSERT_TRUE(Eventually([&] {
    Manager::Groups g = m.Current();
    return g.size() == 1 && g.count("job") == 1 && g["job"].empty();
  }));
}

TEST(ManagerTest, GlobsPickUpNewFiles) {
  TempDir dir;
  WriteFile(dir.Path("a.json"), R"([{"targets": ["a:1"]}])");
  WriteFile(dir.Path("skip.yml"), "- targets: [s:1]\n");
  Recorder rec;
  Manager m(rec.Callback(), absl::Milliseconds(50));
  m.ApplyConfig({{"job", FileSD({dir.Path("*.json")}, 3600 * 1000)}});
  ASSERT_TRUE(rec.WaitFor("job", {"a:1"}));
  WriteFile(dir.Path("b.json"), R"([{"targets": ["b:1"]}])");
  ASSERT_TRUE(rec.WaitFor("job", {"a:1", "b:1"}));
}

TEST(ManagerTest, SendsOnlyWhenSomethingChanged) {
  TempDir dir;
  const std::string j = dir.Path("t.json");
  WriteFile(j, R"([{"targets": ["j:1"]}])");
  Recorder rec;
  Manager m(rec.Callback(), absl::Milliseconds(20));
  m.ApplyConfig({{"job", FileSD({j}, 5)}});  // re-read every 5 ms, always the same
  ASSERT_TRUE(rec.WaitFor("job", {"j:1"}));
  const size_t n = rec.count();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // ~40 re-reads, 10 ticks
  EXPECT_EQ(rec.count(), n);
}

TEST(ManagerTest, KubernetesDiscoversNothingAndWarnsOncePerJob) {
  std::ostringstream logs;
  ASSERT_TRUE(log::Configure("info", "logfmt", &logs).ok());
  {
    config::ServiceDiscoveryConfigs k8s;
    k8s.kubernetes_sd_configs.push_back({.role = "pod"});
    config::ServiceDiscoveryConfigs mixed = Static({"a:1"});
    mixed.kubernetes_sd_configs.push_back({.role = "node"});
    Recorder rec;
    Manager m(rec.Callback(), absl::Hours(1));
    m.ApplyConfig({{"k8s", k8s}, {"mixed", mixed}});
    ASSERT_TRUE(rec.WaitFor("mixed", {"a:1"}));
    EXPECT_EQ(rec.last()["k8s"], (std::vector<Group>{Group{}}));
    m.ApplyConfig({{"k8s", k8s}, {"mixed", mixed}});
    ASSERT_TRUE(rec.WaitFor("mixed", {"a:1"}, 1));
  }
  ASSERT_TRUE(log::Configure("info", "logfmt").ok());
  const std::string text = logs.str();
  EXPECT_THAT(text, ::testing::HasSubstr("level=warn"));
  EXPECT_THAT(text, ::testing::HasSubstr("job=k8s"));
  size_t warnings = 0;
  for (size_t pos = 0;
       (pos = text.find("kubernetes_sd_configs discover nothing", pos)) != std::string::npos;
       ++pos) {
    ++warnings;
  }
  EXPECT_EQ(warnings, 2u);  // one per job, not per ApplyConfig
}

TEST(ManagerTest, StopsWithRunningProviders) {
  TempDir dir;
  Recorder rec;
  auto m = std::make_unique<Manager>(rec.Callback(), absl::Milliseconds(10));
  m->ApplyConfig({{"a", FileSD({dir.Path("*.json")}, 3600 * 1000)}, {"b", Static({"b:1"})}});
  ASSERT_TRUE(rec.WaitFor("b", {"b:1"}));
  m.reset();  // must not hang
}

}  // namespace
}  // namespace argus::discovery
