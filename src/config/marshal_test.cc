#include "config/marshal.h"

#include "absl/strings/match.h"
#include "gtest/gtest.h"

namespace argus::config {
namespace {

TEST(MarshalTest, RoundTripsWithDefaultsAndHidesSecrets) {
  const char* yaml =
      "global:\n  scrape_interval: 15s\n  external_labels: {cluster: eu1, stage: prod}\n"
      "scrape_configs:\n"
      "- job_name: node\n  basic_auth: {username: u, password: hunter2}\n"
      "  params: {module: [x]}\n"
      "  static_configs: [{targets: ['a:9100'], labels: {team: t}}]\n"
      "  relabel_configs: [{source_labels: [__address__], target_label: host}]\n"
      "remote_write:\n- url: http://rw/api\n  headers: {X-Key: k}\n";
  absl::StatusOr<Config> c = Parse(yaml, "in.yml");
  ASSERT_TRUE(c.ok()) << c.status();
  const std::string out = Marshal(*c);
  EXPECT_FALSE(absl::StrContains(out, "hunter2")) << out;
  EXPECT_TRUE(absl::StrContains(out, "password: <secret>")) << out;
  EXPECT_TRUE(absl::StrContains(out, "scrape_timeout: 10s")) << out;  // the default, filled in
  // Read back, it is the same configuration (apart from the hidden secrets).
  absl::StatusOr<Config> back = Parse(out, "out.yml");
  ASSERT_TRUE(back.ok()) << back.status() << "\n" << out;
  EXPECT_EQ(back->global.external_labels, c->global.external_labels);
  EXPECT_EQ(back->global.scrape_interval_ms, 15000);
  ASSERT_EQ(back->scrape_configs.size(), 1u);
  const ScrapeConfig& s = back->scrape_configs[0];
  EXPECT_EQ(s.scrape_interval_ms, 15000);
  EXPECT_EQ(s.params, c->scrape_configs[0].params);
  ASSERT_EQ(s.discovery.static_configs.size(), 1u);
  EXPECT_EQ(s.discovery.static_configs[0].targets, std::vector<std::string>{"a:9100"});
  EXPECT_EQ(s.discovery.static_configs[0].labels,
            c->scrape_configs[0].discovery.static_configs[0].labels);
  ASSERT_EQ(s.relabel_configs.size(), 1u);
  EXPECT_EQ(s.relabel_configs[0].target_label, "host");
  EXPECT_EQ(s.relabel_configs[0].regex, "(.*)");
  ASSERT_EQ(back->remote_write.size(), 1u);
  EXPECT_EQ(back->remote_write[0].url, "http://rw/api");
}

}  // namespace
}  // namespace argus::config
