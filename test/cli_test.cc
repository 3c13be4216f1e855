// The argus binary as a user meets it: --version, --help, flag errors, and `argus server`
// starting on a free port, serving /metrics that promtool accepts, and exiting cleanly on
// SIGTERM.
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "util/process.h"

namespace argus::testing {
namespace {

using ::testing::HasSubstr;

TEST(CliTest, VersionPrintsVersionAndRevision) {
  CommandResult r = RunCommand({ArgusBinary(), "--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_TRUE(std::regex_search(
      r.output,
      std::regex(
          R"(^argus, version \d+\.\d+\.\d+ \(branch: \S+, revision: ([0-9a-f]{40}|unknown)\))")))
      << r.output;
  EXPECT_THAT(r.output, HasSubstr("build date:"));
}

TEST(CliTest, HelpListsSubcommands) {
  CommandResult r = RunCommand({ArgusBinary(), "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* sub : {"server", "sidecar", "store", "query", "compact", "tools"}) {
    EXPECT_TRUE(std::regex_search(r.output, std::regex(std::string("\\n\\s+") + sub + "\\s")))
        << sub << " missing in:\n"
        << r.output;
  }
  EXPECT_THAT(r.output, HasSubstr("--log.level"));
  EXPECT_THAT(r.output, HasSubstr("--log.format"));
}

TEST(CliTest, BadFlagsAreRejected) {
  CommandResult none = RunCommand({ArgusBinary()});
  EXPECT_NE(none.exit_code, 0);
  CommandResult level = RunCommand({ArgusBinary(), "server", "--log.level=verbose"});
  EXPECT_NE(level.exit_code, 0);
  EXPECT_THAT(level.output, HasSubstr("verbose"));
  CommandResult unknown = RunCommand({ArgusBinary(), "server", "--no-such-flag"});
  EXPECT_NE(unknown.exit_code, 0);
  CommandResult retention =
      RunCommand({ArgusBinary(), "server", "--storage.tsdb.retention.time=15x"});
  EXPECT_EQ(retention.exit_code, 2);
  EXPECT_THAT(retention.output,
              HasSubstr("--storage.tsdb.retention.time: not a valid duration string"));
  // As Prometheus: the configuration file must load before anything starts.
  CommandResult no_config =
      RunCommand({ArgusBinary(), "server", "--config.file=/nonexistent/prometheus.yml",
                  "--storage.tsdb.path=" + ::testing::TempDir() + "/argus_cli_no_config"});
  EXPECT_EQ(no_config.exit_code, 1);
  EXPECT_THAT(no_config.output, HasSubstr("Error loading config"));
  EXPECT_THAT(no_config.output, HasSubstr("/nonexistent/prometheus.yml"));
  CommandResult pending = RunCommand({ArgusBinary(), "compact"});
  EXPECT_EQ(pending.exit_code, 2);
  EXPECT_THAT(pending.output, HasSubstr("not available in this version yet"));
  // The querier checks its flags before it starts.
  CommandResult dedup = RunCommand({ArgusBinary(), "query", "--deduplication.func=quorum"});
  EXPECT_EQ(dedup.exit_code, 2);
  EXPECT_THAT(dedup.output, HasSubstr("--deduplication.func: unknown algorithm"));
  CommandResult endpoint = RunCommand({ArgusBinary(), "query", "--endpoint=dnsx+host:1"});
  EXPECT_EQ(endpoint.exit_code, 2);
  EXPECT_THAT(endpoint.output, HasSubstr("dnsx+host:1"));
  // The store gateway needs a bucket, and says so.
  CommandResult no_bucket = RunCommand({ArgusBinary(), "store"});
  EXPECT_EQ(no_bucket.exit_code, 1);
  EXPECT_THAT(no_bucket.output,
              HasSubstr("--objstore.config-file or --objstore.config is required"));
}

TEST(CliTest, ServerServesMetricsThatPromtoolAcceptsAndStopsOnSigterm) {
  std::string log_path = ::testing::TempDir() + "/argus_server_cli_test.log";
  const std::string data = ::testing::TempDir() + "/argus_server_cli_test_data";
  std::filesystem::remove_all(data);
  const std::string config = ::testing::TempDir() + "/argus_server_cli_test.yml";
  std::ofstream(config) << "";  // an empty configuration: the defaults, nothing to scrape
  Child server({ArgusBinary(), "server", "--web.listen-address=127.0.0.1:0", "--log.format=json",
                "--storage.tsdb.path=" + data, "--config.file=" + config},
               log_path);
  std::string log;
  ASSERT_TRUE(server.WaitForLog("ready to receive web requests", 20000, &log)) << log;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(log, m, std::regex(R"x("port":"(\d+)")x"))) << log;
  int port = std::stoi(m[1]);

  std::string body;
  ASSERT_EQ(HttpGet(port, "/-/healthy", &body), 200);
  ASSERT_EQ(HttpGet(port, "/-/ready", &body), 200);
  ASSERT_EQ(HttpGet(port, "/metrics", &body), 200);
  EXPECT_THAT(body, HasSubstr("http_requests_total{handler=\"/-/healthy\",code=\"200\"} 1"));
  EXPECT_THAT(body, HasSubstr("process_resident_memory_bytes"));
  EXPECT_THAT(body, HasSubstr("argus_build_info"));
  EXPECT_THAT(body, HasSubstr("prometheus_tsdb_head_series 0"));
  EXPECT_TRUE(std::filesystem::is_directory(data + "/wal"));

  // promtool (Debian package prometheus) is the oracle for the exposition format and lints.
  CommandResult check = RunCommand({"promtool", "check", "metrics"}, body);
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_EQ(check.output, "") << check.output;

  ASSERT_EQ(HttpGet(port, "/api/v1/status/buildinfo", &body), 200);
  for (const char* key : {"version", "revision", "branch", "buildUser", "buildDate", "goVersion"}) {
    EXPECT_THAT(body, HasSubstr("\"" + std::string(key) + "\":\"")) << key;
  }
  ASSERT_EQ(HttpGet(port, "/api/v1/status/flags", &body), 200);
  EXPECT_THAT(body, HasSubstr(R"("status":"success")"));
  EXPECT_THAT(body, HasSubstr(R"("web.listen-address":"127.0.0.1:0")"));
  EXPECT_THAT(body, HasSubstr(R"("storage.tsdb.retention.size":"0B")"));
  EXPECT_THAT(body, HasSubstr(R"("web.enable-remote-write-receiver":"false")"));
  EXPECT_THAT(body, HasSubstr(R"("log.format":"json")"));

  EXPECT_EQ(server.Stop(SIGTERM), 0);
  ASSERT_TRUE(server.WaitForLog("exiting gracefully", 1000, &log)) << log;
}

}  // namespace
}  // namespace argus::testing
