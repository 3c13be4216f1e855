// `argus server` driven by its configuration file, as a Prometheus user drives it: file_sd
// targets that follow their file, reloads through POST /-/reload and SIGHUP that apply a good
// file and keep the running configuration on a bad one, /api/v1/status/config and
// --web.enable-lifecycle.
#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>
#include <string>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "util/process.h"

namespace argus {
namespace {

using testing::ArgusBinary;
using testing::Child;
using ::testing::HasSubstr;
using testing::HttpGet;
using testing::HttpPost;
using testing::StartServer;
using testing::TestDir;

class ServerConfigTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = TestDir("server_config_test"); }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  void WriteConfig(const std::string& text) {
    // Written aside and renamed, so the server never reads half a file.
    std::ofstream(dir_ + "/prometheus.yml.tmp") << text;
    std::filesystem::rename(dir_ + "/prometheus.yml.tmp", dir_ + "/prometheus.yml");
  }
  void WriteTargets(const std::string& json) {
    std::ofstream(dir_ + "/targets.json.tmp") << json;
    std::filesystem::rename(dir_ + "/targets.json.tmp", dir_ + "/targets.json");
  }
  std::unique_ptr<Child> Start(bool lifecycle) {
    port_ = 0;
    std::string log;
    std::unique_ptr<Child> c =
        StartServer({.command = {ArgusBinary(), "server"},
                     .config_file = dir_ + "/prometheus.yml",
                     .data_dir = dir_ + "/data",
                     .extra_flags = lifecycle ? std::vector<std::string>{"--web.enable-lifecycle"}
                                              : std::vector<std::string>{},
                     .log_path = dir_ + "/argus.log"},
                    &port_, &log);
    EXPECT_NE(c, nullptr) << log;
    return c;
  }
  // "pool instance" of every active target.
  std::set<std::string> Targets() {
    std::string body;
    EXPECT_EQ(HttpGet(port_, "/api/v1/targets", &body), 200);
    std::set<std::string> out;
    const nlohmann::json doc = nlohmann::json::parse(body);
    for (const auto& t : doc["data"]["activeTargets"]) {
      out.insert(absl::StrCat(t["scrapePool"].get<std::string>(), " ",
                              t["labels"]["instance"].get<std::string>()));
    }
    return out;
  }
  // Polls until Targets() == want (discovery and reloads are asynchronous); returns the last.
  std::set<std::string> WaitForTargets(const std::set<std::string>& want) {
    std::set<std::string> got;
    for (int i = 0; i < 200 && (got = Targets()) != want; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return got;
  }
  std::string ConfigYaml() {
    std::string body;
    EXPECT_EQ(HttpGet(port_, "/api/v1/status/config", &body), 200);
    return nlohmann::json::parse(body)["data"]["yaml"];
  }

  std::string dir_;
  int port_ = 0;
};

TEST_F(ServerConfigTest, FileDiscoveryAndReloads) {
  WriteTargets(R"([{"targets": ["127.0.0.1:1", "127.0.0.1:2"], "labels": {"env": "a"}}])");
  WriteConfig(
      absl::StrCat("global: {scrape_interval: 1s, external_labels: {cluster: c1}}\n"
                   "scrape_configs:\n"
                   "  - job_name: files\n"
                   "    file_sd_configs: [{files: ['",
                   dir_, "/targets.json'], refresh_interval: 1s}]\n"));
  std::unique_ptr<Child> server = Start(/*lifecycle=*/true);
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(WaitForTargets({"files 127.0.0.1:1", "files 127.0.0.1:2"}),
            (std::set<std::string>{"files 127.0.0.1:1", "files 127.0.0.1:2"}));
  EXPECT_THAT(ConfigYaml(), HasSubstr("cluster: c1"));

  // The file changes: the targets follow.
  WriteTargets(R"([{"targets": ["127.0.0.1:3"]}])");
  EXPECT_EQ(WaitForTargets({"files 127.0.0.1:3"}), (std::set<std::string>{"files 127.0.0.1:3"}));

  // A good reload adds a job.
  WriteConfig(
      absl::StrCat("global: {scrape_interval: 1s, external_labels: {cluster: c2}}\n"
                   "scrape_configs:\n"
                   "  - job_name: files\n"
                   "    file_sd_configs: [{files: ['",
                   dir_,
                   "/targets.json'], refresh_interval: 1s}]\n"
                   "  - job_name: static\n"
                   "    static_configs: [{targets: ['127.0.0.1:4']}]\n"));
  std::string body;
  EXPECT_EQ(HttpPost(port_, "/-/reload", "", &body), 200) << body;
  const std::set<std::string> both = {"files 127.0.0.1:3", "static 127.0.0.1:4"};
  EXPECT_EQ(WaitForTargets(both), both);
  EXPECT_THAT(ConfigYaml(), HasSubstr("cluster: c2"));

  // A bad one is refused with file:line, and everything keeps running as it was.
  WriteConfig("scrape_configs:\n  - job_name: x\n    scrape_intervall: 1s\n");
  EXPECT_EQ(HttpPost(port_, "/-/reload", "", &body), 500);
  EXPECT_THAT(body, HasSubstr("failed to reload config"));
  EXPECT_THAT(body, HasSubstr("prometheus.yml:3:"));
  EXPECT_THAT(body, HasSubstr("field scrape_intervall not found"));
  EXPECT_EQ(Targets(), both);
  EXPECT_THAT(ConfigYaml(), HasSubstr("cluster: c2"));
  std::string metrics;
  ASSERT_EQ(HttpGet(port_, "/metrics", &metrics), 200);
  EXPECT_THAT(metrics, HasSubstr("prometheus_config_last_reload_successful 0"));

  // SIGHUP reloads too.
  WriteConfig(
      "global: {scrape_interval: 1s}\n"
      "scrape_configs:\n  - job_name: static\n    static_configs: [{targets: ['127.0.0.1:5']}]\n");
  ASSERT_EQ(kill(server->pid(), SIGHUP), 0);
  EXPECT_EQ(WaitForTargets({"static 127.0.0.1:5"}), (std::set<std::string>{"static 127.0.0.1:5"}));
  // The targets may follow the new configuration a moment before the gauge is set.
  for (int i = 0; i < 50; ++i) {
    ASSERT_EQ(HttpGet(port_, "/metrics", &metrics), 200);
    if (absl::StrContains(metrics, "prometheus_config_last_reload_successful 1")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_THAT(metrics, HasSubstr("prometheus_config_last_reload_successful 1"));

  // Nothing listens on port 5: the target is down with the connection error.
  std::string targets;
  for (int i = 0; i < 50; ++i) {
    HttpGet(port_, "/api/v1/targets", &targets);
    if (absl::StrContains(targets, "\"health\":\"down\"")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_THAT(targets, HasSubstr("\"health\":\"down\""));
  EXPECT_EQ(server->Stop(SIGTERM), 0);
}

TEST_F(ServerConfigTest, LifecycleEndpointsNeedTheFlag) {
  WriteConfig("");
  std::unique_ptr<Child> server = Start(/*lifecycle=*/false);
  ASSERT_NE(server, nullptr);
  std::string body;
  EXPECT_EQ(HttpPost(port_, "/-/reload", "", &body), 403);
  EXPECT_THAT(body, HasSubstr("Lifecycle API is not enabled."));
  EXPECT_EQ(HttpPost(port_, "/-/quit", "", &body), 403);
  EXPECT_EQ(server->Stop(SIGTERM), 0);

  server = Start(/*lifecycle=*/true);
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(HttpPost(port_, "/-/quit", "", &body), 200);
  std::string log;
  EXPECT_TRUE(server->WaitForLog("See you next time!", 20000, &log)) << log;
}

}  // namespace
}  // namespace argus
