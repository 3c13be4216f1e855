#include "model/textparse/textparse.h"

#include <string>

#include "gtest/gtest.h"
#include "model/textparse/openmetricsparse.h"
#include "model/textparse/promparse.h"

namespace argus::textparse {
namespace {

bool IsOpenMetrics(absl::string_view content_type) {
  std::unique_ptr<Parser> p = NewParser("a 1\n", content_type);
  return dynamic_cast<OpenMetricsParser*>(p.get()) != nullptr;
}

TEST(NewParserTest, ChoosesByMediaType) {
  EXPECT_TRUE(IsOpenMetrics("application/openmetrics-text"));
  EXPECT_TRUE(IsOpenMetrics("application/openmetrics-text; version=1.0.0; charset=utf-8"));
  EXPECT_TRUE(IsOpenMetrics(" Application/OpenMetrics-Text;version=0.0.1"));
  EXPECT_FALSE(IsOpenMetrics(""));
  EXPECT_FALSE(IsOpenMetrics("text/plain; version=0.0.4; charset=utf-8"));
  EXPECT_FALSE(IsOpenMetrics("application/openmetrics-textual"));
  EXPECT_FALSE(IsOpenMetrics("application/vnd.google.protobuf"));
}

TEST(NewParserTest, ParsersDifferInStrictness) {
  // 0.0.4 needs no "# EOF"; OpenMetrics does.
  EXPECT_EQ(*NewParser("a 1\n", "text/plain")->Next(), Entry::kSeries);
  std::unique_ptr<Parser> om = NewParser("a 1\n", "application/openmetrics-text");
  ASSERT_EQ(*om->Next(), Entry::kSeries);
  EXPECT_EQ(om->Next().status().message(), "line 2: data does not end with # EOF");
}

TEST(MetricTypeTest, Names) {
  EXPECT_EQ(MetricTypeName(MetricType::kUnknown), "unknown");
  EXPECT_EQ(MetricTypeName(MetricType::kCounter), "counter");
  EXPECT_EQ(MetricTypeName(MetricType::kGauge), "gauge");
  EXPECT_EQ(MetricTypeName(MetricType::kHistogram), "histogram");
  EXPECT_EQ(MetricTypeName(MetricType::kGaugeHistogram), "gaugehistogram");
  EXPECT_EQ(MetricTypeName(MetricType::kSummary), "summary");
  EXPECT_EQ(MetricTypeName(MetricType::kInfo), "info");
  EXPECT_EQ(MetricTypeName(MetricType::kStateset), "stateset");
}

TEST(ParserTest, ViewsPointIntoTheBody) {
  const std::string body = "# HELP a plain text\na{x=\"y\"} 1 2\n";
  PromParser p(body);
  ASSERT_EQ(*p.Next(), Entry::kHelp);
  EXPECT_GE(p.Help().text.data(), body.data());
  EXPECT_LT(p.Help().text.data(), body.data() + body.size());
  ASSERT_EQ(*p.Next(), Entry::kSeries);
  EXPECT_EQ(p.Series().series.data(), body.data() + 20);
  EXPECT_EQ(p.Series().timestamp_ms, 2);
}

}  // namespace
}  // namespace argus::textparse
