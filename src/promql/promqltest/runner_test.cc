#include "promql/promqltest/runner.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace argus::promql::promqltest {
namespace {

// Plain selectors and a scalar only, so the runner is tested and not the engine's corners.
constexpr char kScript[] = R"(
load 1m
  x{a="b"} 1+1x5
  x{a="c"} _ 10 10 stale

eval instant at 2m x
  x{a="b"} 3
  x{a="c"} 10

eval instant at 2m x
  x{a="b"} 4
  x{a="c"} 10

eval instant at 2m x{a="b"}
  x{a="b"} 3
  x{a="c"} 10

eval instant at 2m x{a="b"}
  {a="b"} 3

eval_ordered instant at 3m x
  x{a="b"} 4

eval instant at 1m 7
  7

eval instant at 1m 7
  8

eval_fail instant at 1m x

clear

eval instant at 2m x
)";

std::vector<EvalResult> RunTestScript() {
  absl::StatusOr<std::vector<Command>> cmds = ParseScript(kScript);
  EXPECT_TRUE(cmds.ok()) << cmds.status();
  if (!cmds.ok()) return {};
  absl::StatusOr<std::vector<EvalResult>> results = RunScript("t.test", *cmds);
  EXPECT_TRUE(results.ok()) << results.status();
  return results.ok() ? *results : std::vector<EvalResult>{};
}

TEST(RunnerTest, ReportsEachEval) {
  std::vector<EvalResult> r = RunTestScript();
  ASSERT_EQ(r.size(), 9u);
  for (const EvalResult& e : r) EXPECT_EQ(e.file, "t.test");

  EXPECT_TRUE(r[0].passed()) << r[0].message;
  EXPECT_EQ(r[0].line, 6);
  EXPECT_EQ(r[0].query, "x");
  EXPECT_EQ(r[0].at_ms, 120'000);

  // A wrong value fails the instant and the range check alike.
  EXPECT_FALSE(r[1].instant_ok);
  EXPECT_FALSE(r[1].range_ok);
  EXPECT_FALSE(r[1].passed());
  EXPECT_THAT(r[1].message,
              testing::HasSubstr(R"(expected 4 for {__name__="x", a="b"} but got 3)"));

  // A missing sample, and labels that differ only by the metric name.
  EXPECT_THAT(r[2].message,
              testing::HasSubstr(R"(expected metric {__name__="x", a="c"} with 10 not found)"));
  EXPECT_THAT(r[3].message, testing::HasSubstr(R"(unexpected metric {__name__="x", a="b"})"));

  // The staleness marker at 3m hides x{a="c"}.
  EXPECT_TRUE(r[4].passed()) << r[4].message;

  EXPECT_TRUE(r[5].passed()) << r[5].message;
  EXPECT_FALSE(r[6].instant_ok);
  EXPECT_FALSE(r[6].range_ok);
  EXPECT_THAT(r[6].message, testing::HasSubstr("expected scalar 8 but got 7"));

  // A query that succeeds fails eval_fail.
  EXPECT_FALSE(r[7].passed());
  EXPECT_THAT(r[7].message, testing::HasSubstr("expected an error"));

  // After clear nothing is loaded: no samples, as expected.
  EXPECT_TRUE(r[8].passed()) << r[8].message;
}

}  // namespace
}  // namespace argus::promql::promqltest
