#include "scrape/append.h"

#include <cmath>
#include <map>
#include <vector>

#include "gtest/gtest.h"
#include "model/value.h"
#include "scrape/sample_labels.h"
#include "tsdb/head/head.h"

namespace argus::scrape {
namespace {

using labels::Labels;
using Samples = std::vector<std::pair<int64_t, double>>;

const Labels kTarget({{"instance", "host:9100"}, {"job", "node"}});

// Every series of metric `name` in the head, by label string.
std::map<std::string, Samples> Series(const tsdb::head::Head& h, const std::string& name) {
  std::map<std::string, Samples> out;
  for (uint64_t ref : h.Postings("__name__", name)) {
    tsdb::ChunkSeries s;
    std::vector<tsdb::tombstones::Interval> deleted;
    if (!h.SeriesChunks(ref, INT64_MIN, INT64_MAX, &s, &deleted)) continue;
    auto it = tsdb::NewChunkSeriesIterator(s, INT64_MIN, INT64_MAX);
    Samples& v = out[s.labels.ToString()];
    while (it->Next()) v.emplace_back(it->t(), it->v());
  }
  return out;
}

// The samples of the one series of metric `name`.
Samples Only(const tsdb::head::Head& h, const std::string& name) {
  auto all = Series(h, name);
  EXPECT_EQ(all.size(), 1u) << name;
  return all.empty() ? Samples{} : all.begin()->second;
}

class AppendScrapeTest : public ::testing::Test {
 protected:
  AppendScrapeTest() {
    opts_.mutate = [](const Labels& l) -> std::optional<Labels> {
      if (l.Get("__name__") == "dropped_total") return std::nullopt;
      return MergeTargetLabels(l, kTarget, false);
    };
  }
  // One scrape as the loop does it: on failure roll back and append an empty body.
  absl::Status Scrape(absl::string_view body, int64_t t, AppendCounts* counts = nullptr) {
    AppendCounts local;
    if (counts == nullptr) counts = &local;
    auto app = head_.NewAppender();
    absl::Status st =
        AppendScrape(body, "text/plain; version=0.0.4", t, opts_, cache_, *app, counts);
    if (!st.ok()) {
      EXPECT_TRUE(app->Rollback().ok());
      AppendCounts none;
      EXPECT_TRUE(AppendScrape("", "", t, opts_, cache_, *app, &none).ok());
    }
    EXPECT_TRUE(ReportScrape(kTarget, t, absl::Milliseconds(250), *counts, st, cache_, *app).ok());
    EXPECT_TRUE(app->Commit().ok());
    return st;
  }

  tsdb::head::Head head_{{}};
  ScrapeCache cache_;  // outlives a head in one test
  AppendOptions opts_;
};

TEST_F(AppendScrapeTest, AppendsWithTargetLabelsAndReports) {
  AppendCounts c;
  ASSERT_TRUE(
      Scrape("# TYPE a counter\na{x=\"1\"} 1\na{x=\"2\"} 2\ndropped_total 5\n", 1000, &c).ok());
  EXPECT_EQ(c.total, 3u);
  EXPECT_EQ(c.added, 2u);
  EXPECT_EQ(c.series_added, 2u);
  EXPECT_EQ(Series(head_, "a"),
            (std::map<std::string, Samples>{
                {R"({__name__="a", instance="host:9100", job="node", x="1"})", {{1000, 1}}},
                {R"({__name__="a", instance="host:9100", job="node", x="2"})", {{1000, 2}}}}));
  EXPECT_TRUE(Series(head_, "dropped_total").empty());
  EXPECT_EQ(Series(head_, "up"),
            (std::map<std::string, Samples>{
                {R"({__name__="up", instance="host:9100", job="node"})", {{1000, 1}}}}));
  EXPECT_EQ(Only(head_, "scrape_samples_scraped"), (Samples{{1000, 3}}));
  EXPECT_EQ(Only(head_, "scrape_samples_post_metric_relabeling"), (Samples{{1000, 2}}));
  EXPECT_EQ(Only(head_, "scrape_series_added"), (Samples{{1000, 2}}));
  EXPECT_EQ(Only(head_, "scrape_duration_seconds"), (Samples{{1000, 0.25}}));
  // The second scrape finds every series in the cache: none added.
  ASSERT_TRUE(Scrape("a{x=\"1\"} 3\na{x=\"2\"} 4\ndropped_total 6\n", 2000, &c).ok());
  EXPECT_EQ(c.series_added, 0u);
  EXPECT_EQ(c.added, 2u);
}

TEST_F(AppendScrapeTest, VanishedSeriesGetStaleMarkersButNotTimestampedOnes) {
  ASSERT_TRUE(Scrape("a{x=\"1\"} 1\na{x=\"2\"} 2\nb 7 500\n", 1000).ok());
  ASSERT_TRUE(Scrape("a{x=\"1\"} 3\n", 2000).ok());
  auto a = Series(head_, "a");
  const Samples& gone = a[R"({__name__="a", instance="host:9100", job="node", x="2"})"];
  ASSERT_EQ(gone.size(), 2u);
  EXPECT_TRUE(model::IsStaleNaN(gone[1].second));
  EXPECT_EQ(gone[1].first, 2000);
  EXPECT_EQ(Only(head_, "b"), (Samples{{500, 7}}));  // no marker
}

TEST_F(AppendScrapeTest, MalformedBodyFailsTheScrapeAndMarksEverythingStale) {
  ASSERT_TRUE(Scrape("a{x=\"1\"} 1\n", 1000).ok());
  absl::Status st = Scrape("a{x=\"1\"} 2\na{x=\"2\" 3\n", 2000);
  EXPECT_EQ(st.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(st.message().find("line 2"), absl::string_view::npos) << st;
  const Samples s = Only(head_, "a");
  ASSERT_EQ(s.size(), 2u);  // nothing of the failed batch, then the stale marker
  EXPECT_EQ(s[0], (std::pair<int64_t, double>{1000, 1}));
  EXPECT_TRUE(model::IsStaleNaN(s[1].second));
  EXPECT_EQ(Only(head_, "up").back(), (std::pair<int64_t, double>{2000, 0}));
}

TEST_F(AppendScrapeTest, SampleLimitFailsTheScrapeButCountsTheBody) {
  opts_.sample_limit = 2;
  AppendCounts c;
  absl::Status st = Scrape("a 1\nb 2\nc 3\nd 4\n", 1000, &c);
  EXPECT_EQ(st.message(), "sample limit exceeded");
  EXPECT_EQ(c.total, 4u);
  EXPECT_TRUE(Only(head_, "a").empty());  // the series exists, its sample was rolled back
  EXPECT_EQ(Only(head_, "scrape_samples_scraped"), (Samples{{1000, 4}}));
}

TEST_F(AppendScrapeTest, LabelChecksFailTheScrape) {
  opts_.label_limit = 3;
  EXPECT_EQ(Scrape("a{x=\"1\",y=\"2\"} 1\n", 1000).message(),
            "label_limit exceeded (metric: a, number of labels: 5, limit: 3)");
  opts_.label_limit = 0;
  EXPECT_EQ(Scrape("a{x=\"1\",x=\"2\"} 1\n", 2000).message(),
            "label name \"x\" is not unique: invalid sample");
  opts_.mutate = [](const Labels&) -> std::optional<Labels> { return Labels({{"x", "1"}}); };
  EXPECT_EQ(Scrape("a 1\n", 3000).message(), "missing metric name (__name__ label)");
}

TEST_F(AppendScrapeTest, RefusedSamplesAreSkippedNotFatal) {
  ASSERT_TRUE(Scrape("a 1 5000\n", 1000).ok());
  AppendCounts c;
  ASSERT_TRUE(Scrape("a 2 4000\nb 1\n", 2000, &c).ok());  // a is out of order
  EXPECT_EQ(c.added, 2u);
  EXPECT_EQ(Only(head_, "a"), (Samples{{5000, 1}}));
  EXPECT_EQ(Only(head_, "b"), (Samples{{2000, 1}}));
}

TEST_F(AppendScrapeTest, ReportStaleMarksTheSyntheticSeries) {
  ASSERT_TRUE(Scrape("a 1\n", 1000).ok());
  auto app = head_.NewAppender();
  ASSERT_TRUE(ReportStale(kTarget, 2000, cache_, *app).ok());
  ASSERT_TRUE(app->Commit().ok());
  EXPECT_TRUE(model::IsStaleNaN(Only(head_, "up").back().second));
  EXPECT_TRUE(model::IsStaleNaN(Only(head_, "scrape_series_added").back().second));
}

TEST_F(AppendScrapeTest, CachedSeriesTheStorageNoLongerHasAreAppendedByLabelsAgain) {
  ASSERT_TRUE(Scrape("a{x=\"1\"} 1\nb 2\n", 1000).ok());
  // The cache's refs now point nowhere (as after the head dropped the series).
  tsdb::head::Head other{{}};
  auto app = other.NewAppender();
  AppendCounts c;
  ASSERT_TRUE(AppendScrape("a{x=\"1\"} 3\n", "text/plain", 2000, opts_, cache_, *app, &c).ok());
  ASSERT_TRUE(
      ReportScrape(kTarget, 2000, absl::ZeroDuration(), c, absl::OkStatus(), cache_, *app).ok());
  ASSERT_TRUE(app->Commit().ok());
  EXPECT_EQ(Series(other, "a"),
            (std::map<std::string, Samples>{
                {R"({__name__="a", instance="host:9100", job="node", x="1"})", {{2000, 3}}}}));
  EXPECT_EQ(Only(other, "up"), (Samples{{2000, 1}}));
  EXPECT_TRUE(Series(other, "b").empty());  // its stale marker had nothing to mark
  // And the cache follows the new refs.
  auto again = other.NewAppender();
  ASSERT_TRUE(AppendScrape("a{x=\"1\"} 4\n", "text/plain", 3000, opts_, cache_, *again, &c).ok());
  ASSERT_TRUE(again->Commit().ok());
  EXPECT_EQ(Series(other, "a").begin()->second.size(), 2u);
}

}  // namespace
}  // namespace argus::scrape
