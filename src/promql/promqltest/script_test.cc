#include "promql/promqltest/script.h"

#include <cmath>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace argus::promql::promqltest {
namespace {

constexpr char kScript[] = R"(# A comment.
load 5m
	http_requests{job="api", instance="0"}	0+10x3
	other 1 _ 2

  # Indented comment.
eval instant at 10m http_requests
	{__name__="http_requests", job="api", instance="0"} 20

clear
load 1m
  x{a="b"} 1

eval_ordered instant at 1h30m sort(x)
  x{a="b"} 1
  {a="c"} 2
  x{a="b"} 3

eval_fail instant at 0m  x + on() group_left  x

eval instant at 5m scalar(x)
	0x10
clear
)";

TEST(ScriptTest, ParsesEveryCommand) {
  absl::StatusOr<std::vector<Command>> cmds = ParseScript(kScript);
  ASSERT_TRUE(cmds.ok()) << cmds.status();
  ASSERT_EQ(cmds->size(), 8u);

  const auto& load = std::get<LoadCmd>((*cmds)[0]);
  EXPECT_EQ(load.line, 2);
  EXPECT_EQ(load.interval_ms, 300'000);
  ASSERT_EQ(load.series.size(), 2u);
  EXPECT_EQ(load.series[0].metric,
            (labels::Labels{{"__name__", "http_requests"}, {"job", "api"}, {"instance", "0"}}));
  EXPECT_EQ(load.series[0].values.size(), 4u);
  EXPECT_TRUE(load.series[1].values[1].omitted);

  const auto& eval = std::get<EvalCmd>((*cmds)[1]);
  EXPECT_EQ(eval.line, 7);
  EXPECT_EQ(eval.kind, EvalKind::kInstant);
  EXPECT_EQ(eval.expr, "http_requests");
  EXPECT_EQ(eval.at_ms, 600'000);
  ASSERT_EQ(eval.samples.size(), 1u);
  EXPECT_EQ(eval.samples[0].metric, load.series[0].metric);
  EXPECT_EQ(eval.samples[0].value, 20);
  EXPECT_FALSE(eval.scalar.has_value());

  EXPECT_TRUE(std::holds_alternative<ClearCmd>((*cmds)[2]));
  EXPECT_EQ(std::get<LoadCmd>((*cmds)[3]).interval_ms, 60'000);

  const auto& ordered = std::get<EvalCmd>((*cmds)[4]);
  EXPECT_EQ(ordered.kind, EvalKind::kOrdered);
  EXPECT_EQ(ordered.at_ms, 5'400'000);
  EXPECT_EQ(ordered.expr, "sort(x)");
  // A repeated label set replaces the earlier line, position included (test.go's map).
  ASSERT_EQ(ordered.samples.size(), 2u);
  EXPECT_EQ(ordered.samples[0].metric, (labels::Labels{{"__name__", "x"}, {"a", "b"}}));
  EXPECT_EQ(ordered.samples[0].value, 3);
  EXPECT_EQ(ordered.samples[0].position, 3);
  EXPECT_EQ(ordered.samples[1].metric, (labels::Labels{{"a", "c"}}));
  EXPECT_EQ(ordered.samples[1].position, 2);

  const auto& fail = std::get<EvalCmd>((*cmds)[5]);
  EXPECT_EQ(fail.kind, EvalKind::kFail);
  EXPECT_EQ(fail.at_ms, 0);
  EXPECT_EQ(fail.expr, "x + on() group_left  x");
  EXPECT_TRUE(fail.samples.empty());

  // A bare number (hex too) is a scalar and ends the block: the next line is a command.
  const auto& scalar = std::get<EvalCmd>((*cmds)[6]);
  EXPECT_EQ(scalar.scalar, 16);
  EXPECT_TRUE(scalar.samples.empty());
  EXPECT_TRUE(std::holds_alternative<ClearCmd>((*cmds)[7]));
}

TEST(ScriptTest, ScalarExpectationsAsGoReadsThem) {
  absl::StatusOr<std::vector<Command>> cmds =
      ParseScript("eval instant at 1m x\n  -Inf\n\neval instant at 1m y\n  NaN\n");
  ASSERT_TRUE(cmds.ok()) << cmds.status();
  ASSERT_EQ(cmds->size(), 2u);
  EXPECT_EQ(std::get<EvalCmd>((*cmds)[0]).scalar, -INFINITY);
  EXPECT_TRUE(std::isnan(*std::get<EvalCmd>((*cmds)[1]).scalar));
}

TEST(ScriptTest, ErrorsNameTheLine) {
  struct Case {
    const char* script;
    const char* error;
  };
  for (const Case& c : std::vector<Case>{
           {"load 5m\n  x 1\n\nfoo bar\n", "line 4: invalid command"},
           {"load\n", "line 1: invalid load command"},
           {"load 5x\n", "line 1: invalid step definition"},
           {"\neval instant at 5x up\n", "line 2: invalid evaluation time"},
           {"eval instant  up\n", "line 1: invalid evaluation time"},
           {"eval instant up\n", "line 1: invalid evaluation command"},
           {"eval range at 5m up\n", "line 1: invalid evaluation command"},
           {"load 1m\n  x 1+1\n", "line 2: "},
           {"eval instant at 5m up\n  up 1 2\n", "line 2: an expected sample needs exactly one"},
           {"eval instant at 5m up\n  up\n", "line 2: an expected sample needs exactly one"},
       }) {
    absl::StatusOr<std::vector<Command>> cmds = ParseScript(c.script);
    ASSERT_FALSE(cmds.ok()) << c.script;
    EXPECT_THAT(cmds.status().message(), testing::HasSubstr(c.error)) << c.script;
  }
}

}  // namespace
}  // namespace argus::promql::promqltest
