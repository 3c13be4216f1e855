// Relabeling against the real Prometheus (Debian's 2.42): Prometheus loads a scrape config whose
// relabel_configs use every action, and its /api/v1/targets shows the labels of each active
// target after relabeling and how many it dropped. Argus parses the same file and runs the same
// rules over the labels Prometheus discovers for those static targets (its __address__,
// __scheme__, __metrics_path__, __scrape_interval__, __scrape_timeout__ and job, plus the
// group's labels); after Prometheus's two post-relabeling steps (instance defaults to
// __address__, labels starting with "__" are removed) the results must be identical. (The
// API's own discoveredLabels cannot be the input: 2.42 shows them already partly relabeled.)
#include <csignal>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>

#include "absl/strings/match.h"
#include "base/yaml.h"
#include "gtest/gtest.h"
#include "model/relabel/relabel.h"
#include "nlohmann/json.hpp"
#include "util/process.h"

namespace argus {
namespace {

constexpr char kPrometheus[] = "/usr/bin/prometheus";

constexpr char kConfig[] = R"(global:
  scrape_interval: 1h
scrape_configs:
  - job_name: relabel
    static_configs:
      - targets: ['10.0.0.1:9100', '10.0.0.2:9100', 'Web-3.example:9100']
        labels: {app: Api, tier: web, env: prod, team: a, name: 'ÄΣİKßſǅᾈxİ'}
      - targets: ['10.0.0.9:8080']
        labels: {app: batch, tier: worker, env: dev, team: b, owner: b}
      - targets: ['10.0.0.10:8080']
        labels: {app: skipme, tier: web, env: prod, team: c, owner: c}
    relabel_configs:
      - source_labels: [app]
        regex: skip.*
        action: drop
      - source_labels: [env]
        regex: prod|dev
        action: keep
      - source_labels: [__address__]
        regex: '([^:]+):(\d+)'
        target_label: host
        replacement: '${1}'
      - source_labels: [host]
        target_label: host_lower
        action: lowercase
      - source_labels: [name]
        target_label: name_lower
        action: lowercase
      - source_labels: [name]
        target_label: name_upper
        action: uppercase
      - source_labels: [env]
        target_label: 'x_$1x'
        replacement: z
      - source_labels: [tier, env]
        separator: '-'
        target_label: TIER_ENV
        action: uppercase
      - source_labels: [__address__]
        modulus: 4
        target_label: shard
        action: hashmod
      - regex: '(app|tier)'
        replacement: 'k8s_$1'
        action: labelmap
      - source_labels: [team]
        target_label: owner
        action: dropequal
      - source_labels: [env]
        regex: '(.*)'
        target_label: 'env_$1'
        replacement: 'yes'
      - regex: 'team|app'
        action: labeldrop
      - source_labels: [k8s_tier]
        target_label: k8s_tier
        action: keepequal
      - source_labels: [tier]
        regex: 'w(.*)'
        target_label: tier
        replacement: '$2'
)";

labels::Labels FromJson(const nlohmann::json& m) {
  std::vector<labels::Label> out;
  for (auto it = m.begin(); it != m.end(); ++it) out.push_back({it.key(), it.value()});
  return labels::Labels::FromUnsorted(std::move(out));
}

// What Prometheus shows as a target's labels after relabeling.
labels::Labels Finish(const labels::Labels& relabeled) {
  std::vector<labels::Label> out;
  for (const labels::Label& l : relabeled) {
    if (!absl::StartsWith(l.name, "__")) out.push_back(l);
  }
  if (!relabeled.Has("instance")) {
    out.push_back({"instance", std::string(relabeled.Get("__address__"))});
  }
  return labels::Labels::FromUnsorted(std::move(out));
}

TEST(RelabelPrometheusCompatTest, SameLabelsAndDropsAsPrometheus) {
  ASSERT_TRUE(std::filesystem::exists(kPrometheus))
      << kPrometheus << " is missing: install Debian's prometheus package (2.42)";
  const std::string dir = testing::TestDir("relabel_compat");
  struct Cleanup {
    std::string dir;
    ~Cleanup() { std::filesystem::remove_all(dir); }
  } cleanup{dir};
  std::ofstream(dir + "/prometheus.yml") << kConfig;

  absl::StatusOr<YamlDoc> doc = YamlDoc::LoadFile(dir + "/prometheus.yml");
  ASSERT_TRUE(doc.ok()) << doc.status();
  absl::StatusOr<std::vector<relabel::Config>> rules =
      relabel::ParseConfigs(*doc, doc->root()["scrape_configs"][0]["relabel_configs"],
                            "target relabeling rule in scrape config");
  ASSERT_TRUE(rules.ok()) << rules.status();
  ASSERT_EQ(rules->size(), 15u);

  int port = 0;
  std::string log;
  std::unique_ptr<testing::Child> prom =
      testing::StartServer({.command = {kPrometheus},
                            .config_file = dir + "/prometheus.yml",
                            .data_dir = dir + "/data",
                            .log_path = dir + "/prometheus.log",
                            .ready_timeout_ms = 60000},
                           &port, &log);
  ASSERT_NE(prom, nullptr) << log;
  std::string body;
  nlohmann::json targets;
  for (int i = 0; i < 50; ++i) {  // discovery reaches the API shortly after start
    ASSERT_EQ(testing::HttpGet(port, "/api/v1/targets", &body), 200) << body;
    targets = nlohmann::json::parse(body)["data"];
    if (targets["activeTargets"].size() + targets["droppedTargets"].size() == 5) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  ASSERT_EQ(targets["activeTargets"].size(), 3u) << body;
  ASSERT_EQ(targets["droppedTargets"].size(), 2u) << body;
  std::set<std::string> theirs, ours;
  for (const auto& t : targets["activeTargets"]) theirs.insert(FromJson(t["labels"]).ToString());
  int dropped = 0;
  for (const auto& group : doc->root()["scrape_configs"][0]["static_configs"]) {
    for (const auto& target : group["targets"]) {
      std::vector<labels::Label> discovered = {{"__address__", target.as<std::string>()},
                                               {"__metrics_path__", "/metrics"},
                                               {"__scheme__", "http"},
                                               {"__scrape_interval__", "1h"},
                                               {"__scrape_timeout__", "10s"},
                                               {"job", "relabel"}};
      for (const auto& kv : group["labels"]) {
        discovered.push_back({kv.first.as<std::string>(), kv.second.as<std::string>()});
      }
      std::optional<labels::Labels> out =
          relabel::Process(labels::Labels::FromUnsorted(std::move(discovered)), *rules);
      if (out.has_value()) {
        ours.insert(Finish(*out).ToString());
      } else {
        ++dropped;
      }
    }
  }
  EXPECT_EQ(ours, theirs) << body;
  EXPECT_EQ(dropped, 2);
  EXPECT_EQ(prom->Stop(SIGTERM), 0);
}

}  // namespace
}  // namespace argus
