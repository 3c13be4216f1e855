// histogram.cc against hand-computed values and cases of histograms.test.
#include <cmath>
#include <limits>
#include <map>
#include <string>

#include "gtest/gtest.h"
#include "promql/functions/test_util.h"

namespace argus::promql {
namespace {

using testing::Num;
using testing::RunCall;
using testing::ScalarValue;

constexpr double kInf = std::numeric_limits<double>::infinity();

struct B {
  std::string le;
  double count;
  std::string start = "";  // the `start` label, "" for none
};

// histogram_quantile(q, buckets of testhistogram_bucket) -> value by `start` label.
std::map<std::string, double> Quantiles(double q, const std::vector<B>& buckets,
                                        EvalNodeHelper* enh = nullptr) {
  Vector in;
  for (const B& b : buckets) {
    std::vector<labels::Label> ls = {{"__name__", "h_bucket"}, {"le", b.le}};
    if (!b.start.empty()) ls.push_back({"start", b.start});
    in.push_back({labels::Labels::FromUnsorted(ls), 0, b.count});
  }
  Value qv = ScalarValue(q);
  Value vec = in;
  std::vector<parser::ExprPtr> args;
  args.push_back(Num(q));
  args.push_back(Num(0));
  auto r = RunCall("histogram_quantile", {&qv, &vec}, args, 0, enh);
  EXPECT_TRUE(r.status.ok());
  std::map<std::string, double> out;
  for (const Sample& s : r.out) {
    EXPECT_FALSE(s.metric.Has("__name__"));
    EXPECT_FALSE(s.metric.Has("le"));
    out[std::string(s.metric.Get("start"))] = s.v;
  }
  return out;
}

// testhistogram_bucket at 50m (0+Nx10 -> 10N).
const std::vector<B> kTest = {{"0.1", 50, "positive"},  {".2", 70, "positive"},
                              {"1e0", 110, "positive"}, {"+Inf", 120, "positive"},
                              {"-.2", 10, "negative"},  {"-0.1", 20, "negative"},
                              {"0.3", 20, "negative"},  {"+Inf", 30, "negative"}};

TEST(HistogramQuantileTest, Testhistogram) {
  auto q = Quantiles(-0.1, kTest);
  EXPECT_EQ(q["positive"], -kInf);
  EXPECT_EQ(q["negative"], -kInf);
  q = Quantiles(1.01, kTest);
  EXPECT_EQ(q["positive"], kInf);
  q = Quantiles(NAN, kTest);
  EXPECT_TRUE(std::isnan(q["negative"]));
  q = Quantiles(0, kTest);
  EXPECT_EQ(q["positive"], 0);
  EXPECT_EQ(q["negative"], -0.2);
  q = Quantiles(1, kTest);
  EXPECT_EQ(q["positive"], 1);
  EXPECT_EQ(q["negative"], 0.3);
  q = Quantiles(0.2, kTest);
  EXPECT_NEAR(q["positive"], 0.048, 1e-12);
  EXPECT_EQ(q["negative"], -0.2);
  q = Quantiles(0.5, kTest);
  EXPECT_NEAR(q["positive"], 0.15, 1e-12);
  EXPECT_NEAR(q["negative"], -0.15, 1e-12);
  q = Quantiles(0.8, kTest);
  EXPECT_NEAR(q["positive"], 0.72, 1e-12);
  EXPECT_EQ(q["negative"], 0.3);
}

TEST(HistogramQuantileTest, InterpolatesInsideBuckets) {
  const std::vector<B> h = {{"0", 0}, {"2", 7}, {"4", 14}, {"6", 21}, {"+Inf", 21}};
  EXPECT_NEAR(Quantiles(1. / 6., h)[""], 1, 1e-12);
  EXPECT_NEAR(Quantiles(0.5, h)[""], 3, 1e-12);
  EXPECT_NEAR(Quantiles(5. / 6., h)[""], 5, 1e-12);
}

TEST(HistogramQuantileTest, NonMonotonicCountsUseTheEnvelope) {
  const std::vector<B> h = {{"0.1", 20}, {"1", 10},    {"10", 50},
                            {"100", 40}, {"1000", 90}, {"+Inf", 80}};
  EXPECT_NEAR(Quantiles(0.01, h)[""], 0.0045, 1e-12);
  EXPECT_NEAR(Quantiles(0.5, h)[""], 8.5, 1e-12);
  EXPECT_NEAR(Quantiles(0.99, h)[""], 979.75, 1e-9);
}

TEST(HistogramQuantileTest, EqualBoundsCoalesce) {
  // 0.2, 2e-1, 2.0e-1 are one bucket (rates 1/300 each -> counts add up).
  const std::vector<B> h = {{"0.1", 1}, {"0.2", 1}, {"2e-1", 1}, {"2.0e-1", 1}, {"+Inf", 4}};
  EXPECT_NEAR(Quantiles(0.5, h)[""], 0.15, 1e-12);
  EXPECT_NEAR(Quantiles(0.75, h)[""], 0.2, 1e-12);
  EXPECT_NEAR(Quantiles(1, h)[""], 0.2, 1e-12);
  // Only +Inf (twice, spelled differently): fewer than two buckets -> NaN.
  EXPECT_TRUE(std::isnan(Quantiles(0.5, {{"+inf", 0}, {"+Inf", 0}})[""]));
}

TEST(HistogramQuantileTest, NaNCases) {
  // No +Inf bucket.
  EXPECT_TRUE(std::isnan(Quantiles(0.5, {{"1", 1}, {"2", 2}})[""]));
  // No observations.
  EXPECT_TRUE(std::isnan(Quantiles(0.2, {{"0.1", 0}, {"0.2", 0}, {"+Inf", 0}})[""]));
  // Rank in +Inf: the second highest bound.
  EXPECT_EQ(Quantiles(0.9, {{"1", 1}, {"2", 2}, {"+Inf", 10}})[""], 2);
  // Series without a usable le are ignored; none left: no output.
  EXPECT_TRUE(Quantiles(0.5, {{"", 1}, {"abc", 2}}).empty());
}

TEST(HistogramQuantileTest, GroupsSurviveAcrossSteps) {
  EvalNodeHelper enh;
  EXPECT_EQ(Quantiles(0.5, kTest, &enh).size(), 2u);
  // The next step has only one histogram: the other group must not report stale buckets.
  auto q = Quantiles(0.5, {{"1", 5, "negative"}, {"+Inf", 10, "negative"}}, &enh);
  ASSERT_EQ(q.size(), 1u);
  EXPECT_EQ(q["negative"], 1);
}

TEST(HistogramTest, NativeHistogramFunctionsIgnoreFloats) {
  Value vec = Vector{{{{"__name__", "x"}}, 0, 1}};
  Value s = ScalarValue(0);
  std::vector<parser::ExprPtr> one;
  one.push_back(Num(0));
  EXPECT_TRUE(RunCall("histogram_count", {&vec}, one, 0).out.empty());
  EXPECT_TRUE(RunCall("histogram_sum", {&vec}, one, 0).out.empty());
  std::vector<parser::ExprPtr> three;
  for (int i = 0; i < 3; ++i) three.push_back(Num(0));
  EXPECT_TRUE(RunCall("histogram_fraction", {&s, &s, &vec}, three, 0).out.empty());
}

}  // namespace
}  // namespace argus::promql
