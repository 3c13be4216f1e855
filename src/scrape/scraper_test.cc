#include "scrape/scraper.h"

#include <map>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gtest/gtest.h"
#include "http/server.h"
#include "metrics/registry.h"
#include "model/value.h"
#include "scrape/sample_labels.h"
#include "tsdb/head/head.h"

namespace argus::scrape {
namespace {

using labels::Labels;

class ScraperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Get("/metrics", "/metrics", [this](const http::Request&, http::Response& resp) {
      absl::MutexLock l(&mu_);
      resp.content_type = "text/plain; version=0.0.4";
      resp.body = body_;
    });
    ASSERT_TRUE(server_.Start("127.0.0.1:0").ok());
  }
  void TearDown() override { server_.Shutdown(); }

  TargetSpec Target(const std::string& path) {
    TargetSpec t;
    const std::string addr = absl::StrCat("127.0.0.1:", server_.port());
    t.labels = Labels({{"instance", addr}, {"job", "test"}});
    t.request.url = absl::StrCat("http://", addr, path);
    t.request.timeout = absl::Seconds(1);
    t.interval = absl::Milliseconds(100);
    const Labels target = t.labels;
    t.append.mutate = [target](const Labels& l) -> std::optional<Labels> {
      return MergeTargetLabels(l, target, false);
    };
    return t;
  }
  void SetBody(std::string b) {
    absl::MutexLock l(&mu_);
    body_ = std::move(b);
  }
  // The values of metric `name` (one series), oldest first.
  std::vector<double> Values(const std::string& name) {
    std::vector<double> out;
    head_.WithConsistentView([&] {
      for (uint64_t ref : head_.Postings("__name__", name)) {
        tsdb::ChunkSeries s;
        std::vector<tsdb::tombstones::Interval> deleted;
        if (!head_.SeriesChunks(ref, INT64_MIN, INT64_MAX, &s, &deleted)) continue;
        auto it = tsdb::NewChunkSeriesIterator(s, INT64_MIN, INT64_MAX);
        while (it->Next()) out.push_back(it->v());
      }
    });
    return out;
  }
  // Waits up to 10 s for `cond`.
  bool Eventually(const std::function<bool()>& cond) {
    for (int i = 0; i < 200; ++i) {
      if (cond()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return cond();
  }

  absl::Mutex mu_;
  std::string body_ = "a 1\nb 2\n";
  metrics::Registry registry_;
  http::Server server_{registry_};
  tsdb::head::Head head_{{}};
};

TEST_F(ScraperTest, ScrapesEveryIntervalAndMarksVanishedSeriesAndTargetsStale) {
  Scraper s([this] { return head_.NewAppender(); }, /*jitter_seed=*/1);
  s.Sync({Target("/metrics")});
  ASSERT_TRUE(Eventually([&] { return Values("a").size() >= 3; }));
  auto targets = s.Targets();
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].health.state, TargetHealth::State::kUp);
  EXPECT_EQ(targets[0].health.last_error, "");
  EXPECT_EQ(Values("up").back(), 1);

  SetBody("a 1\n");  // b vanishes
  ASSERT_TRUE(Eventually([&] { return model::IsStaleNaN(Values("b").back()); }));

  s.Sync({});  // the target goes away
  ASSERT_TRUE(Eventually([&] { return model::IsStaleNaN(Values("a").back()); }));
  ASSERT_TRUE(Eventually([&] { return model::IsStaleNaN(Values("up").back()); }));
  EXPECT_TRUE(s.Targets().empty());
}

TEST_F(ScraperTest, TargetsShowTheMetadataTheirScrapesExpose) {
  SetBody("# HELP a Old.\na 1\n");
  Scraper s([this] { return head_.NewAppender(); }, /*jitter_seed=*/1);
  s.Sync({Target("/metrics")});
  const auto help = [&s]() -> std::string {
    auto t = s.Targets();
    if (t.empty()) return "";
    std::optional<MetricMetadata> m = t[0].metadata->Get("a");
    return m.has_value() ? m->help : "";
  };
  ASSERT_TRUE(Eventually([&] { return help() == "Old."; }));
  SetBody("# HELP a New.\n# TYPE a gauge\na 1\n");
  ASSERT_TRUE(Eventually([&] { return help() == "New."; }));
  EXPECT_EQ(s.Targets()[0].metadata->Get("a")->type, textparse::MetricType::kGauge);
}

TEST_F(ScraperTest, FailingTargetIsDownWithItsError) {
  Scraper s([this] { return head_.NewAppender(); }, /*jitter_seed=*/1);
  s.Sync({Target("/nothing-here")});
  ASSERT_TRUE(Eventually([&] {
    auto t = s.Targets();
    return !t.empty() && t[0].health.state == TargetHealth::State::kDown;
  }));
  EXPECT_EQ(s.Targets()[0].health.last_error, "server returned HTTP status 404 Not Found");
  EXPECT_EQ(Values("up").back(), 0);
}

TEST_F(ScraperTest, MalformedBodyIsDownAndKeepsNothingOfIt) {
  SetBody("a 1\nb{ 2\n");
  Scraper s([this] { return head_.NewAppender(); }, /*jitter_seed=*/1);
  s.Sync({Target("/metrics")});
  ASSERT_TRUE(Eventually([&] { return Values("up").size() >= 2; }));
  EXPECT_EQ(Values("up").back(), 0);
  EXPECT_TRUE(Values("a").empty());
  EXPECT_NE(s.Targets()[0].health.last_error.find("line 2"), std::string::npos);
}

}  // namespace
}  // namespace argus::scrape
