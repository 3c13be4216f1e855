#include "promql/promqltest/compare.h"

#include <cmath>
#include <limits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace argus::promql::promqltest {
namespace {

TEST(AlmostEqualTest, RelativeToleranceAsTestGo) {
  EXPECT_TRUE(AlmostEqual(std::nan(""), std::nan("")));
  EXPECT_FALSE(AlmostEqual(std::nan(""), 1));
  EXPECT_TRUE(AlmostEqual(INFINITY, INFINITY));
  EXPECT_FALSE(AlmostEqual(INFINITY, -INFINITY));
  EXPECT_FALSE(AlmostEqual(INFINITY, 1e308));
  EXPECT_TRUE(AlmostEqual(1, 1 + 1e-7));
  EXPECT_FALSE(AlmostEqual(1, 1 + 1e-5));
  EXPECT_TRUE(AlmostEqual(1e20, 1e20 * (1 + 1e-7)));
  // Against zero only a difference far below the smallest normal double passes.
  EXPECT_FALSE(AlmostEqual(0, 1e-300));
  EXPECT_TRUE(AlmostEqual(0, std::numeric_limits<double>::denorm_min()));
  EXPECT_TRUE(AlmostEqual(0, -0.0));
}

EvalCmd Expect(EvalKind kind, std::vector<ExpectedSample> samples) {
  EvalCmd e;
  e.kind = kind;
  e.samples = std::move(samples);
  return e;
}

const labels::Labels kA{{"__name__", "m"}, {"a", "1"}};
const labels::Labels kB{{"__name__", "m"}, {"a", "2"}};

TEST(CompareResultTest, VectorsMatchAsSetsWithExactLabels) {
  EvalCmd e = Expect(EvalKind::kInstant, {{kA, 1, 1}, {kB, 2, 2}});
  EXPECT_TRUE(CompareResult(e, Vector{{kB, 0, 2}, {kA, 0, 1}}).ok());
  EXPECT_THAT(CompareResult(e, Vector{{kA, 0, 1}}).message(),
              testing::HasSubstr(R"(expected metric {__name__="m", a="2"} with 2 not found)"));
  EXPECT_THAT(CompareResult(e, Vector{{kA, 0, 1}, {kB, 0, 2}, {{{"a", "1"}}, 0, 1}}).message(),
              testing::HasSubstr(R"(unexpected metric {a="1"} in result)"));
  EXPECT_THAT(CompareResult(e, Vector{{kA, 0, 1.1}, {kB, 0, 2}}).message(),
              testing::HasSubstr(R"(expected 1 for {__name__="m", a="1"} but got 1.1)"));
  // The message shows both sides.
  EXPECT_THAT(CompareResult(e, Vector{}).message(),
              testing::HasSubstr("expected:\n    {__name__=\"m\", a=\"1\"} 1\n"));
}

TEST(CompareResultTest, OrderedChecksPositions) {
  EvalCmd e = Expect(EvalKind::kOrdered, {{kA, 1, 1}, {kB, 2, 2}});
  EXPECT_TRUE(CompareResult(e, Vector{{kA, 0, 1}, {kB, 0, 2}}).ok());
  EXPECT_THAT(CompareResult(e, Vector{{kB, 0, 2}, {kA, 0, 1}}).message(),
              testing::HasSubstr("at position 2 but was at 1"));
}

TEST(CompareResultTest, ScalarsMatrixAndStrings) {
  EvalCmd e;
  e.scalar = 3;
  EXPECT_TRUE(CompareResult(e, Scalar{0, 3}).ok());
  EXPECT_THAT(CompareResult(e, Scalar{0, 4}).message(),
              testing::HasSubstr("expected scalar 3 but got 4"));
  EXPECT_FALSE(CompareResult(e, Vector{}).ok());
  EXPECT_FALSE(CompareResult(e, Vector{{{}, 0, 3}}).ok());
  EXPECT_THAT(CompareResult(e, Matrix{}).message(),
              testing::HasSubstr("received range result on instant evaluation"));
  EXPECT_FALSE(CompareResult(e, String{0, "3"}).ok());
  EvalCmd empty;  // no samples expected: an empty vector matches, a scalar does not
  EXPECT_TRUE(CompareResult(empty, Vector{}).ok());
  EXPECT_FALSE(CompareResult(empty, Scalar{0, 0}).ok());
}

}  // namespace
}  // namespace argus::promql::promqltest
