#include "scrape/target.h"

#include "config/config.h"
#include "gtest/gtest.h"

namespace argus::scrape {
namespace {

using labels::Labels;

// The first scrape config of `yaml`.
config::ScrapeConfig Job(const std::string& yaml) {
  absl::StatusOr<config::Config> c = config::Parse(yaml, "test.yml");
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() && !c->scrape_configs.empty() ? c->scrape_configs.front() : config::ScrapeConfig{};
}

// Expected values below were read from a real Prometheus 2.42's /api/v1/targets given the
// same configuration (discoveredLabels, labels and scrapeUrl).
TEST(PopulateLabelsTest, DefaultsPortAndParamsAsPrometheus) {
  const config::ScrapeConfig cfg =
      Job("global: {scrape_interval: 1h}\n"
          "scrape_configs:\n- job_name: a\n  params: {foo: [bar, baz]}\n  static_configs: []\n");
  absl::StatusOr<PopulatedLabels> p = PopulateLabels(
      Labels({{"__address__", "localhost"}, {"__meta_q", "z"}, {"__param_x", "y"}}), cfg);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->discovered, Labels({{"__address__", "localhost"},
                                   {"__meta_q", "z"},
                                   {"__metrics_path__", "/metrics"},
                                   {"__param_foo", "bar"},
                                   {"__param_x", "y"},
                                   {"__scheme__", "http"},
                                   {"__scrape_interval__", "1h"},
                                   {"__scrape_timeout__", "10s"},
                                   {"job", "a"}}));
  EXPECT_EQ(PublicLabels(p->labels), Labels({{"instance", "localhost:80"}, {"job", "a"}}));
  EXPECT_EQ(p->labels.Get("__address__"), "localhost:80");
  EXPECT_FALSE(p->labels.Has("__meta_q"));
  EXPECT_EQ(TargetURL(p->labels, cfg.params), "http://localhost:80/metrics?foo=bar&foo=baz&x=y");
}

TEST(PopulateLabelsTest, PortsBySchemeAndAddressShape) {
  const config::ScrapeConfig https =
      Job("scrape_configs:\n- job_name: b\n  scheme: https\n  static_configs: []\n");
  const config::ScrapeConfig http = Job("scrape_configs:\n- job_name: b\n");
  struct {
    const config::ScrapeConfig& cfg;
    const char* address;
    const char* want;
  } cases[] = {
      {https, "example.com", "example.com:443"},
      {http, "[::1]", "[::1]:80"},
      {http, "h:1234", "h:1234"},
      {http, "::1", "::1"},  // too many colons: as is
      {http, "[::1]:9", "[::1]:9"},
  };
  for (const auto& c : cases) {
    absl::StatusOr<PopulatedLabels> p = PopulateLabels(Labels({{"__address__", c.address}}), c.cfg);
    ASSERT_TRUE(p.ok()) << c.address << ": " << p.status();
    EXPECT_EQ(p->labels.Get("instance"), c.want) << c.address;
  }
}

TEST(PopulateLabelsTest, RelabelingDropsAndOverrides) {
  const config::ScrapeConfig cfg =
      Job("scrape_configs:\n- job_name: a\n  relabel_configs:\n"
          "  - {source_labels: [__address__], regex: 'drop.*', action: drop}\n"
          "  - {target_label: instance, replacement: fixed}\n"
          "  - {target_label: __scrape_interval__, replacement: 30s}\n"
          "  - {target_label: __scrape_timeout__, replacement: 5s}\n"
          "  - {target_label: __metrics_path__, replacement: '/probe path'}\n");
  absl::StatusOr<PopulatedLabels> dropped =
      PopulateLabels(Labels({{"__address__", "drop-me:1"}}), cfg);
  ASSERT_TRUE(dropped.ok());
  EXPECT_TRUE(dropped->labels.empty());
  EXPECT_EQ(dropped->discovered.Get("__address__"), "drop-me:1");

  absl::StatusOr<PopulatedLabels> kept = PopulateLabels(Labels({{"__address__", "h:1"}}), cfg);
  ASSERT_TRUE(kept.ok()) << kept.status();
  EXPECT_EQ(PublicLabels(kept->labels), Labels({{"instance", "fixed"}, {"job", "a"}}));
  const TargetSpec t = MakeTargetSpec(kept->labels, kept->discovered, cfg);
  EXPECT_EQ(t.interval, absl::Seconds(30));
  EXPECT_EQ(t.request.timeout, absl::Seconds(5));
  EXPECT_EQ(t.request.url, "http://h:1/probe%20path");
  EXPECT_EQ(t.pool, "a");
  EXPECT_TRUE(t.forced_error.ok());
}

TEST(PopulateLabelsTest, ErrorsInPrometheusWords) {
  const config::ScrapeConfig cfg =
      Job("scrape_configs:\n- job_name: a\n  relabel_configs:\n"
          "  - {source_labels: [t], target_label: __scrape_timeout__}\n"
          "  - {source_labels: [i], target_label: __scrape_interval__}\n"
          "  - {source_labels: [a], target_label: __address__}\n");
  struct {
    Labels in;
    const char* want;
  } cases[] = {
      {Labels({{"t", "10s"}, {"i", "1m"}}), "no address"},
      {Labels({{"a", "h/x:1"}, {"t", "10s"}, {"i", "1m"}}), "\"h/x:1\" is not a valid hostname"},
      {Labels({{"a", "h:1"}, {"t", "10s"}, {"i", "1x"}}),
       "error parsing scrape interval: not a valid duration string: \"1x\""},
      {Labels({{"a", "h:1"}, {"t", "10s"}, {"i", "0s"}}), "scrape interval cannot be 0"},
      {Labels({{"a", "h:1"}, {"t", "0s"}, {"i", "1m"}}), "scrape timeout cannot be 0"},
      {Labels({{"a", "h:1"}, {"t", "2m"}, {"i", "1m"}}),
       "scrape timeout cannot be greater than scrape interval (\"2m\" > \"1m\")"},
  };
  for (const auto& c : cases) {
    absl::StatusOr<PopulatedLabels> p = PopulateLabels(c.in, cfg);
    EXPECT_EQ(p.status().message(), c.want) << c.in.ToString();
  }
}

TEST(MakeTargetSpecTest, UnreadableCredentialsFailTheTarget) {
  const config::ScrapeConfig cfg =
      Job("scrape_configs:\n- job_name: a\n  bearer_token_file: /nonexistent/token\n");
  absl::StatusOr<PopulatedLabels> p = PopulateLabels(Labels({{"__address__", "h:1"}}), cfg);
  ASSERT_TRUE(p.ok());
  const TargetSpec t = MakeTargetSpec(p->labels, p->discovered, cfg);
  EXPECT_FALSE(t.forced_error.ok());
  EXPECT_NE(t.forced_error.message().find("/nonexistent/token"), std::string::npos);
}

TEST(MakeTargetSpecTest, SettingsTheScraperCannotHonorFailTheTarget) {
  const config::ScrapeConfig cfg = Job(
      "scrape_configs:\n- job_name: a\n  tls_config: {server_name: other, min_version: TLS12}\n");
  absl::StatusOr<PopulatedLabels> p = PopulateLabels(Labels({{"__address__", "h:1"}}), cfg);
  ASSERT_TRUE(p.ok());
  const TargetSpec t = MakeTargetSpec(p->labels, p->discovered, cfg);
  EXPECT_EQ(t.forced_error.code(), absl::StatusCode::kUnimplemented);
  EXPECT_EQ(t.request.tls_min_version, "TLS12");
}

TEST(MakeTargetSpecTest, MetricRelabelingAndHonorLabels) {
  const config::ScrapeConfig cfg =
      Job("scrape_configs:\n- job_name: a\n  honor_labels: true\n  metric_relabel_configs:\n"
          "  - {source_labels: [__name__], regex: 'go_.*', action: drop}\n");
  absl::StatusOr<PopulatedLabels> p = PopulateLabels(Labels({{"__address__", "h:1"}}), cfg);
  ASSERT_TRUE(p.ok());
  const TargetSpec t = MakeTargetSpec(p->labels, p->discovered, cfg);
  EXPECT_FALSE(t.append.mutate(Labels({{"__name__", "go_goroutines"}})).has_value());
  EXPECT_EQ(*t.append.mutate(Labels({{"__name__", "up2"}, {"job", "mine"}})),
            Labels({{"__name__", "up2"}, {"instance", "h:1"}, {"job", "mine"}}));
}

}  // namespace
}  // namespace argus::scrape
