// Remote write and remote read between the real Prometheus (Debian's 2.42) and `argus server
// --web.enable-remote-write-receiver`: one Prometheus scrapes itself every second and
// remote-writes to Argus; a second one answers a query through remote_read from Argus and
// federates from it (Prometheus must parse /federate). Every sample
// Argus stored, and every sample the second Prometheus read from it, is one the first Prometheus
// stored (same series, timestamp and value, compared through the dump tools' format), and there are
// several scrapes' worth.
#include <chrono>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <memory>
#include <regex>
#include <set>
#include <string>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "util/process.h"

namespace argus {
namespace {

using testing::ArgusBinary;
using testing::Child;
using testing::CommandResult;
using testing::FreePort;
using testing::HttpGet;
using testing::RunCommand;
using testing::StartServer;
using testing::TestDir;

constexpr char kPrometheus[] = "/usr/bin/prometheus";

std::set<std::string> DumpLines(const std::string& output) {
  std::set<std::string> out;
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    if (absl::StartsWith(line, "{__name__=\"up\"")) out.emplace(line);
  }
  return out;
}

// The value of the remote-write 204 counter in an exposition body (0 when absent).
int Writes(const std::string& metrics) {
  std::smatch m;
  static const std::regex re(
      R"re(http_requests_total\{handler="/api/v1/write",code="204"\} ([0-9]+))re");
  return std::regex_search(metrics, m, re) ? std::stoi(m[1]) : 0;
}

TEST(RemotePrometheusCompatTest, PrometheusWritesIntoAndReadsFromArgus) {
  ASSERT_TRUE(std::filesystem::exists(kPrometheus))
      << kPrometheus << " is missing: install Debian's prometheus package (2.42)";
  const std::string dir = TestDir("remote_write_compat");
  struct Cleanup {
    std::string dir;
    ~Cleanup() { std::filesystem::remove_all(dir); }
  } cleanup{dir};

  int argus_port = 0;
  std::ofstream(dir + "/argus.yml") << "";  // scrapes nothing: it only receives
  std::string log;
  std::unique_ptr<Child> argus = StartServer({.command = {ArgusBinary(), "server"},
                                              .config_file = dir + "/argus.yml",
                                              .data_dir = dir + "/argus",
                                              .extra_flags = {"--web.enable-remote-write-receiver"},
                                              .log_path = dir + "/argus.log"},
                                             &argus_port, &log);
  ASSERT_NE(argus, nullptr) << log;

  int prom_port = FreePort();
  std::ofstream(dir + "/prometheus.yml") << absl::StrCat(
      "global:\n  scrape_interval: 1s\n"
      "scrape_configs:\n  - job_name: prometheus\n    static_configs:\n"
      "      - targets: ['127.0.0.1:",
      prom_port,
      "']\n"
      "remote_write:\n  - url: http://127.0.0.1:",
      argus_port, "/api/v1/write\n    queue_config:\n      batch_send_deadline: 500ms\n");
  std::unique_ptr<Child> prom = StartServer({.command = {kPrometheus},
                                             .config_file = dir + "/prometheus.yml",
                                             .data_dir = dir + "/prom",
                                             .log_path = dir + "/prometheus.log",
                                             .ready_timeout_ms = 60000},
                                            &prom_port, &log);
  ASSERT_NE(prom, nullptr) << log;

  std::string metrics;
  for (int i = 0; i < 150 && Writes(metrics) < 5; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    HttpGet(argus_port, "/metrics", &metrics);
  }
  ASSERT_GE(Writes(metrics), 5) << metrics;

  int reader_port = 0;
  // The reader also federates from Argus: its own `up` for that job says whether it could
  // parse Argus's /federate answer.
  std::ofstream(dir + "/reader.yml") << absl::StrCat(
      "global:\n  scrape_interval: 1s\n"
      "scrape_configs:\n  - job_name: federate\n    honor_labels: true\n"
      "    metrics_path: /federate\n    params:\n      'match[]': ['{job=\"prometheus\"}']\n"
      "    static_configs:\n      - targets: ['127.0.0.1:",
      argus_port,
      "']\n"
      "remote_read:\n  - url: http://127.0.0.1:",
      argus_port, "/api/v1/read\n    read_recent: true\n");
  std::unique_ptr<Child> reader = StartServer({.command = {kPrometheus},
                                               .config_file = dir + "/reader.yml",
                                               .data_dir = dir + "/reader",
                                               .log_path = dir + "/reader.log",
                                               .ready_timeout_ms = 60000},
                                              &reader_port, &log);
  ASSERT_NE(reader, nullptr) << log;
  std::string body;
  ASSERT_EQ(
      HttpGet(reader_port,
              "/api/v1/query?query=" + testing::UrlEncode("up{job=\"prometheus\"}[10m]"), &body),
      200)
      << body;
  std::set<std::string> read;
  const nlohmann::json doc = nlohmann::json::parse(body);
  for (const auto& series : doc["data"]["result"]) {
    const auto& m = series["metric"];
    const std::string labels =
        absl::StrCat("{__name__=\"up\", instance=\"", m["instance"].get<std::string>(),
                     "\", job=\"", m["job"].get<std::string>(), "\"}");
    for (const auto& v : series["values"]) {
      read.insert(absl::StrCat(labels, " ", v[1].get<std::string>(), " ",
                               std::llround(v[0].get<double>() * 1000)));
    }
  }
  std::string fed;
  for (int i = 0; i < 100; ++i) {
    HttpGet(reader_port,
            "/api/v1/query?query=" +
                testing::UrlEncode("scrape_samples_scraped{job=\"federate\"} > 0 and on() "
                                   "up{job=\"federate\"} == 1"),
            &fed);
    if (fed.find("\"result\":[{") != std::string::npos) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_NE(fed.find("\"result\":[{"), std::string::npos) << fed;
  EXPECT_EQ(reader->Stop(SIGTERM), 0);
  EXPECT_EQ(prom->Stop(SIGTERM), 0);  // flushes what it still queues
  EXPECT_EQ(argus->Stop(SIGTERM), 0);

  CommandResult theirs = RunCommand({"promtool", "tsdb", "dump", dir + "/prom"});
  ASSERT_EQ(theirs.exit_code, 0) << theirs.output;
  CommandResult ours = RunCommand({ArgusBinary(), "tools", "tsdb", "dump", dir + "/argus"});
  ASSERT_EQ(ours.exit_code, 0) << ours.output;
  const std::set<std::string> want = DumpLines(theirs.output), got = DumpLines(ours.output);
  EXPECT_GE(got.size(), 3u) << ours.output;
  for (const std::string& line : got)
    EXPECT_TRUE(want.count(line)) << "not in Prometheus: " << line;
}

}  // namespace
}  // namespace argus
