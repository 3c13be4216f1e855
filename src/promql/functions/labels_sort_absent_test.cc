// labels.cc, sort.cc, absent.cc and the function table against functions.test's cases.
#include <cmath>
#include <string>

#include "gtest/gtest.h"
#include "promql/functions/absent.h"
#include "promql/functions/test_util.h"
#include "promql/parser/functions.h"

namespace argus::promql {
namespace {

using testing::MatrixSel;
using testing::Num;
using testing::RunCall;
using testing::StringLit;

const Vector kTestmetric = {
    {{{"__name__", "testmetric"},
      {"dst", "original-destination-value"},
      {"src", "source-value-10"}},
     0,
     0},
    {{{"__name__", "testmetric"},
      {"dst", "original-destination-value"},
      {"src", "source-value-20"}},
     0,
     1},
};

testing::CallResult Replace(std::string dst, std::string repl, std::string src, std::string re,
                            const Vector& in = kTestmetric) {
  Value vec = in, empty = Vector{};
  std::vector<parser::ExprPtr> args;
  args.push_back(Num(0));
  auto paren = std::make_unique<parser::ParenExpr>();  // (("dst")) as the parser leaves it
  paren->expr = StringLit(std::move(dst));
  args.push_back(std::move(paren));
  args.push_back(StringLit(std::move(repl)));
  args.push_back(StringLit(std::move(src)));
  args.push_back(StringLit(std::move(re)));
  return RunCall("label_replace", {&vec, &empty, &empty, &empty, &empty}, args, 0);
}

std::string Dst(const Sample& s) { return std::string(s.metric.Get("dst")); }

TEST(LabelReplaceTest, FullMatchAndExpansion) {
  auto r = Replace("dst", "destination-value-$1", "src", "source-value-(.*)");
  ASSERT_EQ(r.out.size(), 2u);
  EXPECT_EQ(Dst(r.out[0]), "destination-value-10");
  EXPECT_EQ(Dst(r.out[1]), "destination-value-20");
  EXPECT_EQ(r.out[1].v, 1);
  EXPECT_EQ(r.out[0].metric.Get("__name__"), "testmetric");
  // Anchored: no substring match.
  r = Replace("dst", "destination-value-$1", "src", "value-(.*)");
  EXPECT_EQ(Dst(r.out[0]), "original-destination-value");
  r = Replace("dst", "$1-value-$2", "src", "(.*)-value-(.*)");
  EXPECT_EQ(Dst(r.out[0]), "source-value-10");
  r = Replace("dst", "${name}x", "src", "source-(?P<name>.*)");
  EXPECT_EQ(Dst(r.out[0]), "value-10x");
}

TEST(LabelReplaceTest, MissingEmptyAndNonMatching) {
  auto r = Replace("dst", "value-$1", "nonexistent-src", "source-value-(.*)");
  EXPECT_EQ(Dst(r.out[0]), "original-destination-value");
  r = Replace("dst", "value-$1", "nonexistent-src", "(.*)");
  EXPECT_EQ(Dst(r.out[0]), "value-");
  r = Replace("dst", "value-$1", "src", "non-matching-regex");
  EXPECT_EQ(Dst(r.out[1]), "original-destination-value");
  // An empty result removes the label.
  r = Replace("dst", "", "dst", ".*");
  EXPECT_FALSE(r.out[0].metric.Has("dst"));
  EXPECT_EQ(r.out[0].metric.size(), 2u);
  // A new label lands in sorted position.
  r = Replace("b", "x", "src", ".*");
  EXPECT_EQ(
      r.out[0].metric.ToString(),
      R"({__name__="testmetric", b="x", dst="original-destination-value", src="source-value-10"})");
}

TEST(LabelReplaceTest, Errors) {
  auto r = Replace("dst", "value-$1", "src", "(.*");
  EXPECT_EQ(r.status.message(), "invalid regular expression in label_replace(): (.*");
  EXPECT_EQ(r.status.code(), absl::StatusCode::kFailedPrecondition);
  r = Replace("invalid-label-name", "", "src", "(.*)");
  EXPECT_EQ(r.status.message(),
            "invalid destination label name in label_replace(): invalid-label-name");
  // Checked even without samples.
  r = Replace("1x", "", "src", "(.*)", {});
  EXPECT_FALSE(r.status.ok());
}

testing::CallResult Join(std::vector<std::string> strs) {
  Vector in = {{{{"__name__", "testmetric"},
                 {"dst", "original-destination-value"},
                 {"src", "a"},
                 {"src1", "b"},
                 {"src2", "c"}},
                0,
                0}};
  Value vec = in, empty = Vector{};
  std::vector<parser::ExprPtr> args;
  std::vector<const Value*> vals = {&vec};
  args.push_back(Num(0));
  for (std::string& s : strs) {
    args.push_back(StringLit(std::move(s)));
    vals.push_back(&empty);
  }
  return RunCall("label_join", vals, args, 0);
}

TEST(LabelJoinTest, Joins) {
  auto r = Join({"dst", "-", "src", "src1", "src2"});
  ASSERT_EQ(r.out.size(), 1u);
  EXPECT_EQ(Dst(r.out[0]), "a-b-c");
  EXPECT_EQ(Dst(Join({"dst", "-", "src", "src3", "src1"}).out[0]), "a--b");
  EXPECT_FALSE(Join({"dst", "", "emptysrc", "emptysrc1"}).out[0].metric.Has("dst"));
  EXPECT_FALSE(Join({"dst", ", "}).out[0].metric.Has("dst"));
  EXPECT_EQ(Join({"new", ", ", "src", "src1"}).out[0].metric.Get("new"), "a, b");
  EXPECT_EQ(Join({"dst", "-", "src", "bad-src"}).status.message(),
            "invalid source label name in label_join(): bad-src");
  EXPECT_EQ(Join({"bad-dst", "-", "src"}).status.message(),
            "invalid destination label name in label_join(): bad-dst");
}

TEST(SortTest, ByValueNaNLast) {
  Vector in;
  const double values[] = {300, NAN, 100, 200, 100};
  for (int i = 0; i < 5; ++i) {
    in.push_back({{{"__name__", "m"}, {"i", std::to_string(i)}}, 0, values[i]});
  }
  Value vec = in;
  std::vector<parser::ExprPtr> args;
  args.push_back(Num(0));
  auto order = [](const Vector& out) {
    std::string s;
    for (const Sample& x : out) s += std::string(x.metric.Get("i"));
    return s;
  };
  auto r = RunCall("sort", {&vec}, args, 7);
  EXPECT_EQ(order(r.out), "24301");
  EXPECT_EQ(r.out[0].metric.Get("__name__"), "m");
  r = RunCall("sort_desc", {&vec}, args, 7);
  EXPECT_EQ(order(r.out), "03241");
}

labels::Matcher M(labels::MatchType t, std::string n, std::string v) {
  return *labels::Matcher::Create(t, std::move(n), std::move(v));
}

std::unique_ptr<parser::VectorSelector> Selector(std::vector<labels::Matcher> ms) {
  auto vs = std::make_unique<parser::VectorSelector>();
  vs->matchers = std::move(ms);
  return vs;
}

TEST(AbsentTest, LabelsFromEqualityMatchers) {
  using labels::MatchType;
  auto vs = Selector({M(MatchType::kEqual, "__name__", "nonexistent"),
                      M(MatchType::kEqual, "job", "testjob"),
                      M(MatchType::kEqual, "instance", "testinstance"),
                      M(MatchType::kRegexMatch, "method", ".x")});
  EXPECT_EQ(AbsentLabels(*vs), (labels::Labels{{"instance", "testinstance"}, {"job", "testjob"}}));
  vs = Selector({M(MatchType::kEqual, "job", "testjob"), M(MatchType::kEqual, "job", "testjob2"),
                 M(MatchType::kEqual, "job", "three"), M(MatchType::kEqual, "foo", "bar")});
  EXPECT_EQ(AbsentLabels(*vs), (labels::Labels{{"foo", "bar"}}));
  vs = Selector({M(MatchType::kEqual, "job", "testjob"),
                 M(MatchType::kRegexMatch, "job", "testjob2"), M(MatchType::kEqual, "foo", "bar")});
  EXPECT_EQ(AbsentLabels(*vs), (labels::Labels{{"foo", "bar"}}));
  // A regex first, then an equality: the equality sets it.
  vs = Selector({M(MatchType::kNotEqual, "job", "x"), M(MatchType::kEqual, "job", "y")});
  EXPECT_EQ(AbsentLabels(*vs), (labels::Labels{{"job", "y"}}));
  // Matrix selectors too; anything else gives no labels.
  auto ms = MatrixSel(1000, 0, {M(MatchType::kEqual, "handler", "/foo")});
  EXPECT_EQ(AbsentLabels(*ms), (labels::Labels{{"handler", "/foo"}}));
  EXPECT_TRUE(AbsentLabels(*Num(1)).empty());
}

TEST(AbsentTest, OnlyWhenEmpty) {
  std::vector<parser::ExprPtr> args;
  args.push_back(Selector({M(labels::MatchType::kEqual, "a", "b")}));
  Value empty = Vector{}, some = Vector{{{{"a", "b"}}, 0, 3}};
  auto r = RunCall("absent", {&empty}, args, 0);
  ASSERT_EQ(r.out.size(), 1u);
  EXPECT_EQ(r.out[0].v, 1);
  EXPECT_EQ(r.out[0].metric, (labels::Labels{{"a", "b"}}));
  EXPECT_TRUE(RunCall("absent", {&some}, args, 0).out.empty());
}

TEST(FunctionTableTest, EveryFunctionOfV242) {
  const char* const kNames[] = {"abs",
                                "absent",
                                "absent_over_time",
                                "acos",
                                "acosh",
                                "asin",
                                "asinh",
                                "atan",
                                "atanh",
                                "avg_over_time",
                                "ceil",
                                "changes",
                                "clamp",
                                "clamp_max",
                                "clamp_min",
                                "cos",
                                "cosh",
                                "count_over_time",
                                "days_in_month",
                                "day_of_month",
                                "day_of_week",
                                "day_of_year",
                                "deg",
                                "delta",
                                "deriv",
                                "exp",
                                "floor",
                                "histogram_count",
                                "histogram_fraction",
                                "histogram_quantile",
                                "histogram_sum",
                                "holt_winters",
                                "hour",
                                "idelta",
                                "increase",
                                "irate",
                                "label_replace",
                                "label_join",
                                "ln",
                                "log10",
                                "log2",
                                "last_over_time",
                                "max_over_time",
                                "min_over_time",
                                "minute",
                                "month",
                                "pi",
                                "predict_linear",
                                "present_over_time",
                                "quantile_over_time",
                                "rad",
                                "rate",
                                "resets",
                                "round",
                                "scalar",
                                "sgn",
                                "sin",
                                "sinh",
                                "sort",
                                "sort_desc",
                                "sqrt",
                                "stddev_over_time",
                                "stdvar_over_time",
                                "sum_over_time",
                                "tan",
                                "tanh",
                                "time",
                                "timestamp",
                                "vector",
                                "year"};
  EXPECT_EQ(std::size(kNames), 70u);
  for (const char* name : kNames) {
    // Exactly one of the two forms.
    EXPECT_NE(LookupFunctionCall(name) == nullptr, LookupRangeKernel(name) == nullptr) << name;
    EXPECT_NE(parser::LookupFunction(name), nullptr) << name;
  }
  EXPECT_EQ(LookupFunctionCall("nonexistent"), nullptr);
  EXPECT_EQ(LookupFunctionCall("sum"), nullptr);  // an aggregation, not a function
  EXPECT_EQ(LookupRangeKernel("sum"), nullptr);
}

}  // namespace
}  // namespace argus::promql
