#include "web/targets.h"

#include "gtest/gtest.h"

namespace argus::web {
namespace {

using labels::Labels;

scrape::Scraper::TargetStatus Active(const std::string& pool, const std::string& url) {
  scrape::Scraper::TargetStatus t;
  t.spec.pool = pool;
  t.spec.labels = Labels({{"instance", "x"}, {"job", pool}});
  t.spec.discovered = Labels({{"__address__", "x"}});
  t.spec.request.url = url;
  t.spec.request.timeout = absl::Seconds(10);
  t.spec.interval = absl::Seconds(15);
  return t;
}

TEST(TargetsTest, ShapeAsPrometheus) {
  scrape::Scraper::TargetStatus up = Active("b", "http://localhost:9100/metrics");
  up.health.state = scrape::TargetHealth::State::kDown;
  up.health.last_error = "connection refused";
  up.health.last_scrape = absl::FromUnixMillis(1700000000123);
  up.health.last_duration = absl::Milliseconds(1500);
  const std::vector<scrape::Scraper::TargetStatus> active = {up, Active("a", "http://h:1/metrics")};
  const std::vector<scrape::Manager::Dropped> dropped = {{"a", Labels({{"__address__", "d"}})}};
  const GlobalUrlOptions g{"myhost:9090", "9090"};
  const nlohmann::json all = TargetsData(active, dropped, {}, g);
  ASSERT_EQ(all["activeTargets"].size(), 2u);
  EXPECT_EQ(all["activeTargets"][0]["scrapePool"], "a");
  EXPECT_EQ(all["activeTargets"][0]["health"], "unknown");
  EXPECT_EQ(all["activeTargets"][0]["lastScrape"], "0001-01-01T00:00:00Z");
  const nlohmann::json& b = all["activeTargets"][1];
  EXPECT_EQ(b["health"], "down");
  EXPECT_EQ(b["lastError"], "connection refused");
  EXPECT_EQ(b["lastScrape"], "2023-11-14T22:13:20.123Z");
  EXPECT_EQ(b["lastScrapeDuration"], 1.5);
  EXPECT_EQ(b["scrapeInterval"], "15s");
  EXPECT_EQ(b["scrapeTimeout"], "10s");
  EXPECT_EQ(b["globalUrl"], "http://myhost:9100/metrics");
  EXPECT_EQ(b["labels"], nlohmann::json({{"instance", "x"}, {"job", "b"}}));
  EXPECT_EQ(all["droppedTargets"][0]["discoveredLabels"]["__address__"], "d");

  EXPECT_TRUE(TargetsData(active, dropped, {"active", {}}, g)["droppedTargets"].empty());
  EXPECT_TRUE(TargetsData(active, dropped, {"dropped", {}}, g)["activeTargets"].empty());
  EXPECT_EQ(TargetsData(active, dropped, {"any", {"b"}}, g)["activeTargets"].size(), 1u);
}

TEST(TargetsTest, GlobalUrlRewritesLoopbackOnly) {
  const GlobalUrlOptions g{"myhost:9090", "9090"};
  EXPECT_EQ(GlobalUrl("http://127.0.0.1:9090/metrics", g), "http://myhost:9090/metrics");
  EXPECT_EQ(GlobalUrl("http://[::1]:80/metrics?a=b", g), "http://myhost:80/metrics?a=b");
  EXPECT_EQ(GlobalUrl("http://10.0.0.1:80/metrics", g), "http://10.0.0.1:80/metrics");
}

}  // namespace
}  // namespace argus::web
