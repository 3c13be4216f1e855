#include "promql/promqltest/series_desc.h"

#include <cmath>
#include <limits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "model/value.h"
#include "promql/promqltest/go_number.h"

namespace argus::promql::promqltest {
namespace {

// The values of `line`, gaps as "_" and stale markers as "stale".
std::vector<std::string> Values(absl::string_view line) {
  absl::StatusOr<SeriesDesc> d = ParseSeriesDesc(line);
  EXPECT_TRUE(d.ok()) << line << ": " << d.status();
  std::vector<std::string> out;
  if (!d.ok()) return out;
  for (const SequenceValue& v : d->values) {
    if (v.omitted) {
      out.push_back("_");
    } else if (model::IsStaleNaN(v.value)) {
      out.push_back("stale");
    } else {
      out.push_back(absl::StrCat(v.value));
    }
  }
  return out;
}

TEST(SeriesDescTest, ExpandsIncreasingAndDecreasingSequences) {
  EXPECT_THAT(Values("m 0+10x3"), testing::ElementsAre("0", "10", "20", "30"));
  EXPECT_THAT(Values("m 5-2x2"), testing::ElementsAre("5", "3", "1"));
  EXPECT_THAT(Values("m -1-1x2"), testing::ElementsAre("-1", "-2", "-3"));
  EXPECT_THAT(Values("m 1+0x0"), testing::ElementsAre("1"));
  EXPECT_THAT(Values("m 7x2"), testing::ElementsAre("7", "7", "7"));
  EXPECT_THAT(Values("m 0+10x2 100-10x1"), testing::ElementsAre("0", "10", "20", "100", "90"));
  // No hexadecimal in series values: as in Prometheus, 0x2 is 0 repeated.
  EXPECT_THAT(Values("m 0x2"), testing::ElementsAre("0", "0", "0"));
}

TEST(SeriesDescTest, AddsIncrementsStepByStepLikePrometheus) {
  // 0.1 added three times is not 0.3 in binary floating point; Prometheus adds.
  absl::StatusOr<SeriesDesc> d = ParseSeriesDesc("m 0+0.1x3");
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_EQ(d->values.size(), 4u);
  EXPECT_EQ(d->values[3].value, 0.1 + 0.1 + 0.1);
}

TEST(SeriesDescTest, GapsAndStaleMarkers) {
  EXPECT_THAT(Values("m 1 _ 3 _x2 stale 4"),
              testing::ElementsAre("1", "_", "3", "_", "_", "stale", "4"));
  EXPECT_THAT(Values("m _x0 1"), testing::ElementsAre("1"));
  EXPECT_THAT(Values("m stale"), testing::ElementsAre("stale"));
}

TEST(SeriesDescTest, SpecialAndSignedNumbers) {
  absl::StatusOr<SeriesDesc> d = ParseSeriesDesc("m Inf -Inf NaN +2 -.5 1e3 010 .8");
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_EQ(d->values.size(), 8u);
  EXPECT_EQ(d->values[0].value, std::numeric_limits<double>::infinity());
  EXPECT_EQ(d->values[1].value, -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(d->values[2].value));
  EXPECT_FALSE(model::IsStaleNaN(d->values[2].value));
  EXPECT_EQ(d->values[3].value, 2);
  EXPECT_EQ(d->values[4].value, -0.5);
  EXPECT_EQ(d->values[5].value, 1000);
  EXPECT_EQ(d->values[6].value, 8);  // Go's ParseInt(base 0) reads a leading 0 as octal
  EXPECT_EQ(d->values[7].value, 0.8);
}

TEST(SeriesDescTest, LabelsKeepTheirExactValues) {
  absl::StatusOr<SeriesDesc> d =
      ParseSeriesDesc(R"(http_requests{job="api, server", path='/a\'b', raw=`x\n`, e=""} 1)");
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(d->metric, (labels::Labels{{"__name__", "http_requests"},
                                       {"job", "api, server"},
                                       {"path", "/a'b"},
                                       {"raw", "x\\n"},
                                       {"e", ""}}));
  EXPECT_THAT(Values("{a=\"b\",} 2"), testing::ElementsAre("2"));
  absl::StatusOr<SeriesDesc> empty = ParseSeriesDesc("{} 3");
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_TRUE(empty->metric.empty());
  absl::StatusOr<SeriesDesc> colon = ParseSeriesDesc("job:rate5m{a=\"\\\"q\\\"\"}\t\t1");
  ASSERT_TRUE(colon.ok()) << colon.status();
  EXPECT_EQ(colon->metric, (labels::Labels{{"__name__", "job:rate5m"}, {"a", "\"q\""}}));
}

TEST(SeriesDescTest, RejectsMalformedLines) {
  for (absl::string_view bad :
       {"m 1+2", "m 1x", "m 1xa", "m foo", "m 1a", "m{a=~\"b\"} 1", "m{a=\"b\" 1", "m{a} 1",
        "m -stale", "m _x", "m 1+2x-3", "1 2", "m{a=\"b} 1", "m # 1"}) {
    EXPECT_FALSE(ParseSeriesDesc(bad).ok()) << bad;
  }
}

TEST(GoNumberTest, IntegersThenFloatsAsGo) {
  EXPECT_EQ(*ParseGoNumber("42"), 42);
  EXPECT_EQ(*ParseGoNumber("-42"), -42);
  EXPECT_EQ(*ParseGoNumber("0x1F"), 31);
  EXPECT_EQ(*ParseGoNumber("0o17"), 15);
  EXPECT_EQ(*ParseGoNumber("0b101"), 5);
  EXPECT_EQ(*ParseGoNumber("017"), 15);
  EXPECT_EQ(*ParseGoNumber("1_000"), 1000);
  EXPECT_EQ(*ParseGoNumber("09"), 9);  // not octal, so a float
  EXPECT_EQ(*ParseGoNumber("1.5e3"), 1500);
  EXPECT_EQ(*ParseGoNumber("0.00001234"), 0.00001234);
  EXPECT_EQ(*ParseGoNumber("0x1p-2"), 0.25);
  EXPECT_EQ(*ParseGoNumber("+Inf"), std::numeric_limits<double>::infinity());
  EXPECT_EQ(*ParseGoNumber("-infinity"), -std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(*ParseGoNumber("NaN")));
  EXPECT_EQ(*ParseGoNumber("9223372036854775808"), 9223372036854775808.0);
  for (absl::string_view bad :
       {"", "-", "+NaN", "1e", "0x1.8", "1__0", "_1", "1_", "abc", "1.2.3", "1e400", "{} 1"}) {
    EXPECT_FALSE(ParseGoNumber(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace argus::promql::promqltest
