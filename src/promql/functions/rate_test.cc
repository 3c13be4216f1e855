// rate.cc against hand-computed values and cases of functions.test (promql-v2.42).
#include <cmath>
#include <vector>

#include "gtest/gtest.h"
#include "promql/functions/test_util.h"

namespace argus::promql {
namespace {

using testing::MatrixSel;
using testing::Num;
using testing::RangeValue;
using testing::RunCall;
using testing::ScalarValue;
using testing::Seq;
using testing::Vals;
using testing::Window;

constexpr int64_t kMin = 60'000;

// One call of a function of one range-vector argument (plus scalars) at `ts`.
double RangeCall(const char* name, const std::vector<FPoint>& all, int64_t ts, int64_t range_ms,
                 int64_t offset_ms = 0, std::vector<double> scalars = {}) {
  Value m = RangeValue({{"__name__", "m"}, {"a", "b"}}, Window(all, ts, range_ms, offset_ms));
  std::vector<Value> scalar_vals;
  for (double s : scalars) scalar_vals.push_back(ScalarValue(s));
  std::vector<const Value*> vals = {&m};
  std::vector<parser::ExprPtr> args;
  args.push_back(MatrixSel(range_ms, offset_ms));
  for (const Value& v : scalar_vals) {
    vals.push_back(&v);
    args.push_back(Num(0));
  }
  auto r = RunCall(name, vals, args, ts);
  EXPECT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.out.size(), 1u) << name;
  if (r.out.size() != 1) return -12345;
  EXPECT_EQ(r.out[0].metric, (labels::Labels{{"a", "b"}}));
  return r.out[0].v;
}

TEST(RateTest, IncreaseAndRate) {
  // 0+10x10 every 5m: the window [0, 50m] holds all 11 samples, no extrapolation needed.
  EXPECT_DOUBLE_EQ(RangeCall("increase", Seq(0, 10, 10, 5 * kMin), 50 * kMin, 50 * kMin), 100);
  // 0+10x5 0+10x5: one reset.
  auto reset = Seq(0, 10, 5, 5 * kMin);
  for (FPoint p : Seq(0, 10, 5, 5 * kMin)) reset.push_back({p.t + 30 * kMin, p.v});
  EXPECT_DOUBLE_EQ(RangeCall("increase", reset, 50 * kMin, 50 * kMin), 90);
  // 0 1 2 3 2 3 4: the drop to 2 counts as a reset from 3.
  EXPECT_DOUBLE_EQ(
      RangeCall("increase", Vals({0, 1, 2, 3, 2, 3, 4}, 5 * kMin), 30 * kMin, 30 * kMin), 7);
  // 0+80x10 every 5m over 50m: 800 / 3000s.
  EXPECT_DOUBLE_EQ(RangeCall("rate", Seq(0, 80, 10, 5 * kMin), 50 * kMin, 50 * kMin),
                   0.26666666666666666);
  // Offset 5m: the window [35m, 45m] holds 70, 80, 90 at its very edges: 20 over 600s.
  EXPECT_NEAR(RangeCall("rate", Seq(0, 10, 10, 5 * kMin), 50 * kMin, 10 * kMin, 5 * kMin),
              0.03333333333333333, 1e-12);
}

TEST(RateTest, CounterResetAtEndAndMiddle) {
  auto middle = Seq(0, 10, 4, 5 * kMin);
  for (FPoint p : Seq(0, 10, 5, 5 * kMin)) middle.push_back({p.t + 25 * kMin, p.v});
  EXPECT_NEAR(RangeCall("rate", middle, 50 * kMin, 50 * kMin), 0.03, 1e-12);
  auto end = Seq(0, 10, 9, 5 * kMin);
  end.push_back({50 * kMin, 0});
  end.push_back({55 * kMin, 10});
  EXPECT_EQ(RangeCall("rate", end, 50 * kMin, 5 * kMin), 0);
}

TEST(RateTest, ZeroPointClampsLeftExtrapolation) {
  // load 4m: start+240x10; rate over [20m] at 10m. The first sample is at 0 with value
  // `start`; the zero point lies start/240*4m before it.
  const double want[] = {0.5, 0.55, 0.6, 0.65, 0.7, 0.6};
  for (int i = 0; i < 6; ++i) {
    EXPECT_NEAR(RangeCall("rate", Seq(60.0 * i, 240, 10, 4 * kMin), 10 * kMin, 20 * kMin), want[i],
                1e-12)
        << "start " << i << "m";
    EXPECT_NEAR(RangeCall("rate", Seq(60.0 * i, 240, 10, 4 * kMin), 50 * kMin, 20 * kMin), 0.6,
                1e-12);
  }
}

TEST(RateTest, DeltaIrateIdelta) {
  EXPECT_DOUBLE_EQ(RangeCall("delta", Vals({200, 150, 100, 50, 0}, 5 * kMin), 20 * kMin, 20 * kMin),
                   -200);
  EXPECT_DOUBLE_EQ(RangeCall("idelta", Vals({0, 50, 100, 50}, 5 * kMin), 20 * kMin, 20 * kMin),
                   -50);
  EXPECT_NEAR(RangeCall("irate", Seq(0, 10, 10, 5 * kMin), 50 * kMin, 50 * kMin), 10.0 / 300,
              1e-15);
  // A drop is a reset: irate takes the new value itself.
  EXPECT_DOUBLE_EQ(
      RangeCall("irate", Vals({0, 10, 20, 30, 40, 50, 0}, 5 * kMin), 30 * kMin, 50 * kMin), 0);
  EXPECT_DOUBLE_EQ(
      RangeCall("irate", Vals({0, 10, 20, 30, 40, 50, 6}, 5 * kMin), 30 * kMin, 50 * kMin),
      6.0 / 300);
}

TEST(RateTest, FewerThanTwoPointsGiveNothing) {
  for (const char* f : {"rate", "increase", "delta", "irate", "idelta", "deriv"}) {
    Value m = RangeValue({{"a", "b"}}, {{0, 1}});
    auto args = std::vector<parser::ExprPtr>();
    args.push_back(MatrixSel(kMin));
    auto r = RunCall(f, {&m}, args, 0);
    EXPECT_TRUE(r.out.empty()) << f;
  }
}

TEST(RateTest, DerivAndPredictLinear) {
  auto middle = Seq(0, 10, 4, 5 * kMin);
  for (FPoint p : Seq(0, 10, 5, 5 * kMin)) middle.push_back({p.t + 25 * kMin, p.v});
  EXPECT_NEAR(RangeCall("deriv", middle, 50 * kMin, 100 * kMin), 0.010606060606060607, 1e-15);
  EXPECT_NEAR(RangeCall("predict_linear", middle, 50 * kMin, 100 * kMin, 0, {3600}),
              76.81818181818181, 1e-9);
  // `@ 3000` at 10m: the window ends at 50m (offset -40m) but the intercept is at 10m.
  EXPECT_NEAR(RangeCall("predict_linear", middle, 10 * kMin, 100 * kMin, -40 * kMin, {3600}),
              51.36363636363637, 1e-9);
  // A constant series: slope 0; an infinite constant: NaN.
  EXPECT_EQ(RangeCall("deriv", Vals({3, 3, 3}, kMin), 2 * kMin, 2 * kMin), 0);
  EXPECT_TRUE(std::isnan(RangeCall("deriv", Vals({INFINITY, INFINITY}, kMin), kMin, kMin)));
}

TEST(RateTest, HoltWinters) {
  // Positive linear trend 0+10x1000 every 10s: the smoothed value at 8000s is the last value.
  auto pts = Seq(0, 10, 1000, 10'000);
  EXPECT_NEAR(RangeCall("holt_winters", pts, 8'000'000, kMin, 0, {0.01, 0.1}), 8000, 1e-6);
  // Hand-computed for 1, 3, 4 with sf = tf = 0.5: s1=1 b=2; i=1: s=0.5*3+0.5*(1+2)=3;
  // i=2: b=0.5*(3-1)+0.5*2=2, s=0.5*4+0.5*(3+2)=4.5.
  EXPECT_DOUBLE_EQ(
      RangeCall("holt_winters", Vals({1, 3, 4}, kMin), 2 * kMin, 2 * kMin, 0, {0.5, 0.5}), 4.5);
}

TEST(RateTest, HoltWintersRejectsFactorsOutsideZeroOne) {
  Value m = RangeValue({}, Vals({1, 2}, kMin));
  Value sf = ScalarValue(1), tf = ScalarValue(0.5);
  std::vector<parser::ExprPtr> args;
  args.push_back(MatrixSel(kMin));
  args.push_back(Num(1));
  args.push_back(Num(0.5));
  auto r = RunCall("holt_winters", {&m, &sf, &tf}, args, kMin);
  EXPECT_EQ(r.status.message(), "invalid smoothing factor. Expected: 0 < sf < 1, got: 1.000000");
  Value sf2 = ScalarValue(0.5), tf2 = ScalarValue(NAN);
  r = RunCall("holt_winters", {&m, &sf2, &tf2}, args, kMin);
  EXPECT_EQ(r.status.message(), "invalid trend factor. Expected: 0 < tf < 1, got: NaN");
}

TEST(RateTest, ResetsAndChanges) {
  auto foo = Vals({1, 2, 3, 0, 1, 0, 0, 1, 2, 0}, 5 * kMin);
  EXPECT_EQ(RangeCall("resets", foo, 50 * kMin, 20 * kMin), 1);
  EXPECT_EQ(RangeCall("resets", foo, 50 * kMin, 50 * kMin), 3);
  EXPECT_EQ(RangeCall("changes", foo, 50 * kMin, 50 * kMin), 8);
  EXPECT_EQ(RangeCall("changes", Vals({NAN, NAN, NAN}, 5 * kMin), 15 * kMin, 15 * kMin), 0);
  EXPECT_EQ(RangeCall("changes", Vals({0, NAN, 0}, 5 * kMin), 15 * kMin, 15 * kMin), 2);
}

TEST(RateTest, RangeResultsUnlabelledOnRequest) {
  EvalNodeHelper enh;
  enh.label_range_results = false;
  Value m = RangeValue({{"__name__", "m"}}, Vals({1, 2}, kMin));
  std::vector<parser::ExprPtr> args;
  args.push_back(MatrixSel(kMin));
  auto r = RunCall("idelta", {&m}, args, kMin, &enh);
  ASSERT_EQ(r.out.size(), 1u);
  EXPECT_TRUE(r.out[0].metric.empty());
  EXPECT_EQ(r.out[0].v, 1);
}

// Many steps at once, with the resets tracked across moving windows, give what each window
// gives alone: with and without resets inside, windows of one point skipped.
TEST(RateTest, KernelStepsAtOnceEqualOneAtATime) {
  std::vector<FPoint> pts;
  double v = 0;
  for (int i = 0; i < 80; ++i) {
    v = i % 13 == 7 ? i % 5 : v + 1 + i % 3;  // a reset every 13 points
    pts.push_back({i * 15'000, v});
  }
  std::vector<StepWindow> steps;
  for (size_t i = 0; i < 25; ++i) {
    const size_t lo = i * 3;
    steps.push_back({static_cast<int64_t>(lo) * 15'000 + 60'000, lo, lo + 1 + (i * 5) % 7});
  }
  for (const char* fn : {"rate", "increase", "delta"}) {
    const RangeKernel k = LookupRangeKernel(fn);
    ASSERT_NE(k, nullptr) << fn;
    std::vector<FPoint> all;
    k(pts, steps, 5 * kMin, 0, &all);
    std::vector<FPoint> one_by_one;
    for (const StepWindow& w : steps) k(pts, {&w, 1}, 5 * kMin, 0, &one_by_one);
    ASSERT_EQ(all.size(), one_by_one.size()) << fn;
    EXPECT_LT(all.size(), steps.size()) << fn;  // some windows hold one point
    for (size_t i = 0; i < all.size(); ++i) {
      EXPECT_EQ(all[i].t, one_by_one[i].t) << fn;
      EXPECT_EQ(all[i].v, one_by_one[i].v) << fn << " at " << all[i].t;
    }
  }
}

}  // namespace
}  // namespace argus::promql
