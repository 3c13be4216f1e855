#include "scrape/metadata.h"

#include <string>
#include <thread>
#include <vector>

#include "gtest/gtest.h"
#include "scrape/append.h"
#include "scrape/sample_labels.h"
#include "tsdb/head/head.h"

namespace argus::scrape {
namespace {

using labels::Labels;
using textparse::MetricType;

constexpr char kText[] = "text/plain; version=0.0.4";
constexpr char kOpenMetrics[] = "application/openmetrics-text; version=1.0.0";

// (metric, type name, help, unit) of each family, sorted by metric.
using Flat = std::vector<std::vector<std::string>>;
Flat Flatten(const std::vector<MetricMetadata>& list) {
  Flat out;
  for (const MetricMetadata& m : list) {
    out.push_back({m.metric, std::string(textparse::MetricTypeName(m.type)), m.help, m.unit});
  }
  return out;
}

class MetadataTest : public ::testing::Test {
 protected:
  MetadataTest() {
    opts_.mutate = [](const Labels& l) -> std::optional<Labels> {
      if (l.Get("__name__") == "dropped") return std::nullopt;
      return MergeTargetLabels(l, Labels({{"job", "j"}}), false);
    };
  }
  absl::Status Scrape(absl::string_view body, absl::string_view content_type = kText) {
    t_ += 1000;
    auto app = head_.NewAppender();
    AppendCounts counts;
    absl::Status st = AppendScrape(body, content_type, t_, opts_, cache_, *app, &counts);
    if (!st.ok()) {
      EXPECT_TRUE(app->Rollback().ok());
      AppendCounts none;
      EXPECT_TRUE(AppendScrape("", "", t_, opts_, cache_, *app, &none).ok());
    }
    EXPECT_TRUE(app->Commit().ok());
    return st;
  }
  Flat List() { return Flatten(cache_.shared_metadata()->List()); }

  tsdb::head::Head head_{{}};
  ScrapeCache cache_;
  AppendOptions opts_;
  int64_t t_ = 0;
};

TEST_F(MetadataTest, TextFormatTypesHelpAndNoUnits) {
  ASSERT_TRUE(Scrape("# HELP a_total Requests\\nserved, \\\\ and \\\"quoted\\\".\n"
                     "# TYPE a_total counter\na_total 1\n"
                     "# TYPE g gauge\ng 2\n"
                     "# HELP only_help Just help.\nonly_help 3\n"
                     "# TYPE u untyped\nu 4\n"
                     "# TYPE s summary\ns_sum 1\ns_count 1\n"
                     "# UNIT a_total seconds\n"  // a comment in 0.0.4
                     "# TYPE dropped gauge\ndropped 5\n")
                  .ok());
  EXPECT_EQ(List(), (Flat{{"a_total", "counter", "Requests\nserved, \\ and \\\"quoted\\\".", ""},
                          {"dropped", "gauge", "", ""},
                          {"g", "gauge", "", ""},
                          {"only_help", "unknown", "Just help.", ""},
                          {"s", "summary", "", ""},
                          {"u", "unknown", "", ""}}));
  EXPECT_FALSE(cache_.shared_metadata()->Get("a").has_value());
  std::optional<MetricMetadata> g = cache_.shared_metadata()->Get("g");
  ASSERT_TRUE(g.has_value());
  EXPECT_EQ(g->metric, "g");
  EXPECT_EQ(g->type, MetricType::kGauge);
}

TEST_F(MetadataTest, OpenMetricsFamilyNamesAndUnits) {
  ASSERT_TRUE(Scrape("# TYPE req counter\n# HELP req Requests \\\"served\\\".\nreq_total 1\n"
                     "req_created 1.5\n"
                     "# TYPE lat_seconds histogram\n# UNIT lat_seconds seconds\n"
                     "lat_seconds_bucket{le=\"+Inf\"} 1\nlat_seconds_count 1\nlat_seconds_sum 2\n"
                     "# TYPE st stateset\nst{st=\"a\"} 1\n"
                     "# TYPE build info\nbuild_info{v=\"1\"} 1\n"
                     "# TYPE gh gaugehistogram\ngh_bucket{le=\"+Inf\"} 1\ngh_gcount 1\n"
                     "gh_gsum 1\n# EOF\n",
                     kOpenMetrics)
                  .ok());
  EXPECT_EQ(List(), (Flat{{"build", "info", "", ""},
                          {"gh", "gaugehistogram", "", ""},
                          {"lat_seconds", "histogram", "", "seconds"},
                          {"req", "counter", "Requests \"served\".", ""},
                          {"st", "stateset", "", ""}}));
}

TEST_F(MetadataTest, ChangesReplaceAndVanishedFamiliesLastTenScrapes) {
  ASSERT_TRUE(Scrape("# TYPE a gauge\n# HELP a One.\na 1\n# TYPE b gauge\nb 1\n").ok());
  ASSERT_TRUE(Scrape("# TYPE a counter\n# HELP a Two.\na 1\n").ok());
  EXPECT_EQ(List(), (Flat{{"a", "counter", "Two.", ""}, {"b", "gauge", "", ""}}));
  // b was last exposed at scrape 0; it is forgotten at the end of scrape 11.
  for (int i = 2; i <= 10; ++i) ASSERT_TRUE(Scrape("# TYPE a counter\na 1\n").ok());
  EXPECT_EQ(List().size(), 2u);
  ASSERT_TRUE(Scrape("# TYPE a counter\na 1\n").ok());
  // What a scrape does not repeat stays: a keeps its help.
  EXPECT_EQ(List(), (Flat{{"a", "counter", "Two.", ""}}));
}

TEST_F(MetadataTest, FailedAndEmptyScrapesNeitherForgetNorAge) {
  ASSERT_TRUE(Scrape("# TYPE a gauge\na 1\n# TYPE b gauge\nb 1\n").ok());
  // Metadata before a parse error is kept, as in v2.42; failed scrapes do not age the rest.
  for (int i = 0; i < 15; ++i) {
    EXPECT_FALSE(Scrape("# TYPE c gauge\nc 1\nbroken line here\n").ok());
    EXPECT_TRUE(Scrape("").ok());
  }
  EXPECT_EQ(List(), (Flat{{"a", "gauge", "", ""}, {"b", "gauge", "", ""}, {"c", "gauge", "", ""}}));
}

TEST(MetadataStoreTest, ReadersRunWhileTheWriterChangesIt) {
  MetadataStore store;
  std::thread reader([&store] {
    for (int i = 0; i < 2000; ++i) {
      for (const MetricMetadata& m : store.List()) EXPECT_FALSE(m.metric.empty());
      store.Get("m7");
    }
  });
  for (int i = 0; i < 2000; ++i) {
    const std::string name = "m" + std::to_string(i % 50);
    store.SetHelp(name, i % 2 == 0 ? "even" : "odd");
    store.SetType(name, i % 3 == 0 ? MetricType::kGauge : MetricType::kCounter);
    if (i % 100 == 99) store.EndIter();
  }
  reader.join();
  EXPECT_EQ(store.List().size(), 50u);
}

}  // namespace
}  // namespace argus::scrape
