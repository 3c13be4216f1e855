// over_time.cc and quantile.cc against hand-computed values and cases of functions.test.
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "gtest/gtest.h"
#include "promql/functions/quantile.h"
#include "promql/functions/test_util.h"

namespace argus::promql {
namespace {

using testing::MatrixSel;
using testing::Num;
using testing::RangeValue;
using testing::RunCall;
using testing::ScalarValue;
using testing::Vals;

constexpr double kInf = std::numeric_limits<double>::infinity();

// fn(window) over the points `values` every 10s, the window holding all of them.
Sample Over(const char* fn, std::initializer_list<double> values) {
  Value m = RangeValue({{"__name__", "m"}, {"k", "v"}}, Vals(values, 10'000));
  std::vector<parser::ExprPtr> args;
  args.push_back(MatrixSel(60'000));
  auto r = RunCall(fn, {&m}, args, 60'000);
  EXPECT_TRUE(r.status.ok());
  EXPECT_EQ(r.out.size(), 1u) << fn;
  return r.out.empty() ? Sample{} : r.out[0];
}

double V(const char* fn, std::initializer_list<double> values) { return Over(fn, values).v; }

TEST(OverTimeTest, AvgKeepsInfinitiesAndAvoidsOverflow) {
  EXPECT_EQ(V("avg_over_time", {1, 2, 3, 4, 5}), 3);
  EXPECT_EQ(V("avg_over_time", {1, 2, 3, 4, kInf}), kInf);
  EXPECT_EQ(V("avg_over_time", {1, 2, 3, 4, -kInf}), -kInf);
  EXPECT_TRUE(std::isnan(V("avg_over_time", {1, 2, 3, kInf, -kInf})));
  EXPECT_EQ(V("avg_over_time", {kInf, 0, kInf}), kInf);
  EXPECT_TRUE(std::isnan(V("avg_over_time", {kInf, kInf, kInf, -kInf})));
  EXPECT_EQ(V("avg_over_time", {-kInf, 0, -kInf}), -kInf);
  EXPECT_TRUE(std::isnan(V("avg_over_time", {1, 2, -kInf, -kInf, kInf})));
  EXPECT_EQ(V("avg_over_time", {9.988465674311579e+307, 9.988465674311579e+307}),
            9.988465674311579e+307);
  EXPECT_EQ(V("avg_over_time", {-9.988465674311579e+307, 9.988465674311579e+307}), 0);
  // The plain sum overflows where the mean does not.
  EXPECT_EQ(V("sum_over_time", {9.988465674311579e+307, 9.988465674311579e+307}), kInf);
}

TEST(OverTimeTest, SumIsCompensated) {
  // Naive summation loses the 1s next to 1e100.
  EXPECT_EQ(V("sum_over_time", {1, 1e100, 1, -1e100}), 2);
  EXPECT_EQ(V("count_over_time", {1, 1e100, 1, -1e100}), 4);
  EXPECT_EQ(V("present_over_time", {NAN}), 1);
}

TEST(OverTimeTest, MinMaxIgnoreNaNUnlessAllNaN) {
  EXPECT_EQ(V("min_over_time", {2, 0, 3}), 0);
  EXPECT_EQ(V("min_over_time", {2, NAN, 1}), 1);
  EXPECT_EQ(V("min_over_time", {NAN, 0, 1}), 0);
  EXPECT_TRUE(std::isnan(V("min_over_time", {NAN, NAN})));
  EXPECT_EQ(V("max_over_time", {2, 0, NAN}), 2);
  EXPECT_EQ(V("max_over_time", {NAN, 0, 1}), 1);
  EXPECT_TRUE(std::isnan(V("max_over_time", {NAN, NAN})));
}

TEST(OverTimeTest, StddevStdvar) {
  EXPECT_NEAR(V("stdvar_over_time", {0, 8, 8, 2, 3}), 10.56, 1e-12);
  EXPECT_NEAR(V("stddev_over_time", {0, 8, 8, 2, 3}), 3.249615, 1e-6);
  const double x = 1.5990505637277868;
  EXPECT_EQ(V("stdvar_over_time", {x, x, x}), 0);
  EXPECT_EQ(V("stddev_over_time", {x, x, x}), 0);
}

TEST(OverTimeTest, NameDroppedButByLastOverTime) {
  EXPECT_EQ(Over("sum_over_time", {1}).metric, (labels::Labels{{"k", "v"}}));
  Sample last = Over("last_over_time", {2, 0, NAN, 7});
  EXPECT_EQ(last.metric, (labels::Labels{{"__name__", "m"}, {"k", "v"}}));
  EXPECT_EQ(last.v, 7);
}

TEST(OverTimeTest, QuantileOverTime) {
  struct Case {
    double q;
    std::vector<double> want;  // for 0 1 | 0 1 2 | 0 1 4
  };
  const Case cases[] = {{0, {0, 0, 0}},         {0.5, {0.5, 1, 1}}, {0.75, {0.75, 1.5, 2.5}},
                        {0.8, {0.8, 1.6, 2.8}}, {1, {1, 2, 4}},     {-1, {-kInf, -kInf, -kInf}},
                        {2, {kInf, kInf, kInf}}};
  const std::vector<std::vector<FPoint>> series = {Vals({0, 1}, 10'000), Vals({0, 1, 2}, 10'000),
                                                   Vals({0, 1, 4}, 10'000)};
  EvalNodeHelper enh;  // its scratch buffer reused across calls
  for (const Case& c : cases) {
    for (size_t i = 0; i < series.size(); ++i) {
      Value q = ScalarValue(c.q);
      Value m = RangeValue({{"test", "x"}}, series[i]);
      std::vector<parser::ExprPtr> args;
      args.push_back(Num(c.q));
      args.push_back(MatrixSel(60'000));
      auto r = RunCall("quantile_over_time", {&q, &m}, args, 60'000, &enh);
      ASSERT_EQ(r.out.size(), 1u);
      if (std::isinf(c.want[i])) {
        EXPECT_EQ(r.out[0].v, c.want[i]) << "q=" << c.q << " series " << i;
      } else {
        EXPECT_NEAR(r.out[0].v, c.want[i], 1e-12) << "q=" << c.q << " series " << i;
      }
    }
  }
}

TEST(QuantileTest, SortsNaNFirstAndHandlesEdges) {
  std::vector<double> v = {3, NAN, 1, 2};
  // Sorted: NaN 1 2 3; the 0.5 rank is 1.5, between 1 and 2.
  EXPECT_EQ(Quantile(0.5, v), 1.5);
  EXPECT_TRUE(std::isnan(v[0]));
  EXPECT_TRUE(std::isnan(Quantile(0.5, {})));
  std::vector<double> w = {1};
  EXPECT_TRUE(std::isnan(Quantile(NAN, w)));
  EXPECT_EQ(Quantile(0.3, w), 1);
}

}  // namespace
}  // namespace argus::promql

namespace argus::promql {
namespace {

// Windows of many steps at once (four lanes and the tail) give, bit for bit, what each window
// gives alone.
TEST(OverTimeTest, KernelStepsAtOnceEqualOneAtATime) {
  std::vector<FPoint> pts;
  for (int i = 0; i < 60; ++i) pts.push_back({i * 1000, std::sin(i) * 1e3 + i * 0.1});
  pts[14].v = kInf;  // infinite means, then NaN, in some windows
  pts[26].v = -kInf;
  std::vector<StepWindow> steps;
  for (size_t i = 0; i < 11; ++i) {
    const size_t lo = i * 4;
    steps.push_back({static_cast<int64_t>(i), lo, lo + 1 + (i * 7) % 9 + (i % 4 == 1 ? 0 : 6)});
  }
  for (const char* fn :
       {"avg_over_time", "sum_over_time", "max_over_time", "min_over_time", "count_over_time",
        "present_over_time", "stdvar_over_time", "stddev_over_time"}) {
    const RangeKernel k = LookupRangeKernel(fn);
    ASSERT_NE(k, nullptr) << fn;
    std::vector<FPoint> all;
    k(pts, steps, 0, 0, &all);
    ASSERT_EQ(all.size(), steps.size()) << fn;
    for (size_t i = 0; i < steps.size(); ++i) {
      std::vector<FPoint> one;
      k(pts, {&steps[i], 1}, 0, 0, &one);
      ASSERT_EQ(one.size(), 1u);
      EXPECT_EQ(all[i].t, steps[i].ts) << fn;
      EXPECT_EQ(std::bit_cast<uint64_t>(all[i].v), std::bit_cast<uint64_t>(one[0].v))
          << fn << " step " << i;
    }
  }
}

}  // namespace
}  // namespace argus::promql
