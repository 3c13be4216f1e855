// math.cc and time.cc against hand-computed values, functions.test and trig_functions.test,
// and (for the calendar of odd timestamps) the answers of a real Prometheus 2.42.
#include <cmath>
#include <limits>
#include <numbers>

#include "gtest/gtest.h"
#include "promql/functions/test_util.h"

namespace argus::promql {
namespace {

using testing::Num;
using testing::RunCall;
using testing::ScalarValue;

constexpr double kInf = std::numeric_limits<double>::infinity();

// fn(vector of `values`, scalars...) at `ts`; the samples are named m{i="<index>"}.
Vector Apply(const char* fn, std::vector<double> values, std::vector<double> scalars = {},
             int64_t ts = 0) {
  Vector in;
  for (size_t i = 0; i < values.size(); ++i) {
    in.push_back({{{"__name__", "m"}, {"i", std::to_string(i)}}, 0, values[i]});
  }
  Value vec = in;
  std::vector<Value> scalar_vals;
  for (double s : scalars) scalar_vals.push_back(ScalarValue(s));
  std::vector<const Value*> vals = {&vec};
  std::vector<parser::ExprPtr> args;
  args.push_back(Num(0));
  for (const Value& v : scalar_vals) {
    vals.push_back(&v);
    args.push_back(Num(0));
  }
  auto r = RunCall(fn, vals, args, ts);
  EXPECT_TRUE(r.status.ok());
  return r.out;
}

double One(const char* fn, double v, std::vector<double> scalars = {}) {
  Vector out = Apply(fn, {v}, scalars);
  EXPECT_EQ(out.size(), 1u) << fn;
  if (out.empty()) return -12345;
  EXPECT_EQ(out[0].metric, (labels::Labels{{"i", "0"}})) << fn << " drops the name";
  return out[0].v;
}

TEST(MathTest, ExpLogSqrt) {
  EXPECT_NEAR(One("exp", 10), 22026.465794806718, 1e-9);
  EXPECT_NEAR(One("ln", 20), 2.995732273553991, 1e-15);
  EXPECT_EQ(One("ln", 0), -kInf);
  EXPECT_TRUE(std::isnan(One("ln", -10)));
  EXPECT_NEAR(One("sqrt", 10), 3.1622776601683795, 1e-15);
  EXPECT_EQ(One("log2", 8), 3);
  EXPECT_EQ(One("log2", 0.25), -2);
  EXPECT_NEAR(One("log2", 10), 3.3219280948873626, 1e-15);
  EXPECT_EQ(One("log2", 0), -kInf);
  EXPECT_TRUE(std::isnan(One("log2", -10)));
  EXPECT_EQ(One("log2", kInf), kInf);
  EXPECT_NEAR(One("log10", 20), 1.301029995663981, 1e-15);
  EXPECT_NEAR(One("log10", 10), 1, 1e-15);
  EXPECT_EQ(One("abs", -3.5), 3.5);
  EXPECT_EQ(One("ceil", 1.2), 2);
  EXPECT_EQ(One("floor", -1.2), -2);
}

TEST(MathTest, Trigonometry) {
  EXPECT_NEAR(One("sin", 10), -0.5440211108893699, 1e-15);
  EXPECT_NEAR(One("cos", 20), 0.40808206181339196, 1e-15);
  EXPECT_NEAR(One("tan", 10), 0.6483608274590867, 1e-15);
  EXPECT_NEAR(One("asin", 10 - 10.1), -0.10016742116155944, 1e-15);
  EXPECT_TRUE(std::isnan(One("acos", 20 - 10.1)));
  EXPECT_NEAR(One("atan", 20), 1.5208379310729538, 1e-15);
  EXPECT_NEAR(One("sinh", 20), 2.4258259770489514e+08, 1e-6);
  EXPECT_NEAR(One("cosh", 10), 11013.232920103324, 1e-9);
  EXPECT_NEAR(One("tanh", 10), 0.9999999958776927, 1e-15);
  EXPECT_NEAR(One("asinh", 10), 2.99822295029797, 1e-14);
  EXPECT_NEAR(One("acosh", 20), 3.6882538673612966, 1e-14);
  EXPECT_NEAR(One("atanh", 0.5), 0.5493061443340549, 1e-15);
  EXPECT_EQ(One("deg", std::numbers::pi), 180);
  EXPECT_EQ(One("rad", 180), std::numbers::pi);
  EXPECT_TRUE(std::isnan(One("sin", NAN)));
}

TEST(MathTest, Sgn) {
  EXPECT_EQ(One("sgn", -kInf), -1);
  EXPECT_EQ(One("sgn", kInf), 1);
  EXPECT_TRUE(std::isnan(One("sgn", NAN)));
  EXPECT_EQ(One("sgn", -50), -1);
  EXPECT_EQ(One("sgn", 0), 0);
  EXPECT_EQ(One("sgn", 100), 1);
}

TEST(MathTest, Clamp) {
  EXPECT_EQ(One("clamp_max", -50, {75}), -50);
  EXPECT_EQ(One("clamp_max", 100, {75}), 75);
  EXPECT_EQ(One("clamp_min", -50, {-25}), -25);
  EXPECT_EQ(One("clamp_min", 100, {-25}), 100);
  EXPECT_EQ(One("clamp", -50, {-25, 75}), -25);
  EXPECT_EQ(One("clamp", 100, {-25, 75}), 75);
  EXPECT_EQ(One("clamp", 0, {-25, 75}), 0);
  // Go's Min/Max: NaN bounds give NaN.
  EXPECT_TRUE(std::isnan(One("clamp", 100, {0, NAN})));
  EXPECT_TRUE(std::isnan(One("clamp", -50, {NAN, 0})));
  EXPECT_TRUE(std::isnan(One("clamp_min", NAN, {0})));
  // ... but an infinity in the right direction beats NaN.
  EXPECT_EQ(One("clamp_min", NAN, {kInf}), kInf);
  EXPECT_TRUE(std::signbit(One("clamp_max", 0.0, {-0.0})));
  EXPECT_FALSE(std::signbit(One("clamp_min", -0.0, {0.0})));
  // max < min: no output at all.
  EXPECT_TRUE(Apply("clamp", {1, 2}, {5, -5}).empty());
}

TEST(MathTest, Round) {
  EXPECT_EQ(Apply("round", {2.5})[0].v, 3);
  EXPECT_EQ(Apply("round", {-2.5})[0].v, -2);
  EXPECT_EQ(One("round", 1.234, {0.1}), 1.2);
  EXPECT_EQ(One("round", 17, {5}), 15);
  EXPECT_EQ(One("round", 17.5, {5}), 20);
}

TEST(MathTest, Pi) {
  auto r = RunCall("pi", {}, {}, 0);
  ASSERT_EQ(r.out.size(), 1u);
  EXPECT_EQ(r.out[0].v, std::numbers::pi);
  EXPECT_TRUE(r.out[0].metric.empty());
}

TEST(TimeTest, TimeVectorScalar) {
  auto r = RunCall("time", {}, {}, 1);
  ASSERT_EQ(r.out.size(), 1u);
  EXPECT_EQ(r.out[0].v, 0.001);
  Value s = ScalarValue(3600);
  std::vector<parser::ExprPtr> args;
  args.push_back(Num(0));
  r = RunCall("vector", {&s}, args, 0);
  ASSERT_EQ(r.out.size(), 1u);
  EXPECT_EQ(r.out[0].v, 3600);
  EXPECT_TRUE(r.out[0].metric.empty());

  Value one = Vector{{{{"a", "b"}}, 0, 7}};
  Value two = Vector{{{{"a", "b"}}, 0, 7}, {{{"a", "c"}}, 0, 8}};
  Value none = Vector{};
  EXPECT_EQ(RunCall("scalar", {&one}, args, 0).out[0].v, 7);
  EXPECT_TRUE(std::isnan(RunCall("scalar", {&two}, args, 0).out[0].v));
  EXPECT_TRUE(std::isnan(RunCall("scalar", {&none}, args, 0).out[0].v));
}

TEST(TimeTest, TimestampOfEachSample) {
  Value in = Vector{{{{"__name__", "metric"}}, 10'000, 1}, {{{"x", "y"}}, 5, 1}};
  std::vector<parser::ExprPtr> args;
  args.push_back(Num(0));
  auto r = RunCall("timestamp", {&in}, args, 12'000);
  ASSERT_EQ(r.out.size(), 2u);
  EXPECT_EQ(r.out[0].v, 10);
  EXPECT_TRUE(r.out[0].metric.empty());
  EXPECT_EQ(r.out[1].v, 0.005);
}

// Every calendar function of one value.
struct Cal {
  double year, month, day_of_month, day_of_week, day_of_year, days_in_month, hour, minute;
};
Cal Calendar(double v) {
  auto get = [&](const char* fn) { return One(fn, v); };
  return {get("year"),        get("month"),         get("day_of_month"), get("day_of_week"),
          get("day_of_year"), get("days_in_month"), get("hour"),         get("minute")};
}
void ExpectCal(double v, Cal want) {
  Cal got = Calendar(v);
  EXPECT_EQ(got.year, want.year) << v;
  EXPECT_EQ(got.month, want.month) << v;
  EXPECT_EQ(got.day_of_month, want.day_of_month) << v;
  EXPECT_EQ(got.day_of_week, want.day_of_week) << v;
  EXPECT_EQ(got.day_of_year, want.day_of_year) << v;
  EXPECT_EQ(got.days_in_month, want.days_in_month) << v;
  EXPECT_EQ(got.hour, want.hour) << v;
  EXPECT_EQ(got.minute, want.minute) << v;
}

TEST(TimeTest, Calendar) {
  // 2006-01-02 22:04:05, a Monday.
  ExpectCal(1136239445, {2006, 1, 2, 1, 2, 31, 22, 4});
  // 2016-02-29 23:59:59 and 2016-03-01 00:00:00.
  ExpectCal(1456790399, {2016, 2, 29, 1, 60, 29, 23, 59});
  ExpectCal(1456790400, {2016, 3, 1, 2, 61, 31, 0, 0});
  ExpectCal(1483191420, {2016, 12, 31, 6, 366, 31, 13, 37});
  ExpectCal(1672493820, {2022, 12, 31, 6, 365, 31, 13, 37});
  ExpectCal(1485907200, {2017, 2, 1, 3, 32, 28, 0, 0});
  ExpectCal(1230767999, {2008, 12, 31, 3, 366, 31, 23, 59});
  // Before 1970 (seconds truncate toward zero) and before year 1.
  ExpectCal(-86401.5, {1969, 12, 30, 2, 364, 31, 23, 59});
  ExpectCal(-62135596801, {0, 12, 31, 0, 366, 31, 23, 59});
  ExpectCal(253402300800, {10000, 1, 1, 6, 1, 31, 0, 0});
  // NaN and out-of-range values become Go's MinInt64 seconds (what Prometheus 2.42 answers).
  for (double v : {double{NAN}, kInf, -kInf, 1e300}) {
    ExpectCal(v, {292277026596, 12, 4, 0, 339, 31, 15, 30});
  }
}

TEST(TimeTest, CalendarOfTheStepWithoutArgument) {
  auto r = RunCall("day_of_week", {}, {}, 0);
  ASSERT_EQ(r.out.size(), 1u);
  EXPECT_EQ(r.out[0].v, 4);  // 1970-01-01 was a Thursday
  r = RunCall("year", {}, {}, 1136239445'000);
  EXPECT_EQ(r.out[0].v, 2006);
  EXPECT_TRUE(r.out[0].metric.empty());
}

}  // namespace
}  // namespace argus::promql
