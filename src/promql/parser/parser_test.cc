#include "promql/parser/parser.h"

#include <cmath>
#include <string>

#include "gtest/gtest.h"
#include "promql/parser/functions.h"

namespace argus::promql::parser {
namespace {

std::string P(absl::string_view q) {
  absl::StatusOr<ExprPtr> e = ParseExpr(q);
  if (!e.ok()) return "ERROR: " + std::string(e.status().message());
  return Print(**e);
}

std::string Err(absl::string_view q) {
  absl::StatusOr<ExprPtr> e = ParseExpr(q);
  EXPECT_FALSE(e.ok()) << q;
  if (e.ok()) return "";
  EXPECT_TRUE(absl::IsInvalidArgument(e.status()));
  return std::string(e.status().message());
}

TEST(ParserTest, Literals) {
  EXPECT_EQ(P("1"), "1");
  EXPECT_EQ(P("1.5e3"), "1500");
  EXPECT_EQ(P("0x1F"), "31");
  EXPECT_EQ(P("010"), "8");  // Go's base-0 integers: a leading 0 is octal
  EXPECT_EQ(P("09"), "9");
  EXPECT_EQ(P(".5"), "0.5");
  EXPECT_EQ(P("Inf"), "+Inf");
  EXPECT_EQ(P("-inf"), "-Inf");
  EXPECT_EQ(P("NaN"), "NaN");
  EXPECT_EQ(P("1e21"), "1e+21");
  EXPECT_EQ(P("-1"), "-1");
  EXPECT_EQ(P("- -1"), "1");
  EXPECT_EQ(P("+1"), "1");
  EXPECT_EQ(P("\"a\\nb\""), "\"a\\nb\"");
  EXPECT_EQ(P("'it\\'s'"), "\"it's\"");
  EXPECT_EQ(P("`raw\\n`"), "\"raw\\\\n\"");
  EXPECT_EQ(P("1 # comment"), "1");
}

TEST(ParserTest, Selectors) {
  EXPECT_EQ(P("foo"), "foo");
  EXPECT_EQ(P("foo:bar_1"), "foo:bar_1");
  EXPECT_EQ(P("{a=\"b\"}"), "{a=\"b\"}");
  EXPECT_EQ(P("foo{b!=\"1\", a=~'x.*',c!~`y`,}"), "foo{a=~\"x.*\",b!=\"1\",c!~\"y\"}");
  EXPECT_EQ(P("{__name__=\"foo\"}"), "{__name__=\"foo\"}");
  EXPECT_EQ(P("foo{}"), "foo");
  // Keywords may name metrics and labels.
  EXPECT_EQ(P("sum"), "sum");
  EXPECT_EQ(P("by{on=\"x\"}"), "by{on=\"x\"}");
  EXPECT_EQ(P("offset offset 5m"), "offset offset 5m");
  EXPECT_EQ(P("start + end"), "start + end");
  EXPECT_EQ(P("foo[5m]"), "foo[5m]");
  EXPECT_EQ(P("foo[1h30m]"), "foo[1h30m]");
  EXPECT_EQ(P("foo[ 90m ]"), "foo[1h30m]");
  EXPECT_EQ(P("foo offset 5m"), "foo offset 5m");
  EXPECT_EQ(P("foo offset -1w"), "foo offset -1w");
  EXPECT_EQ(P("foo[5m] offset 2d"), "foo[5m] offset 2d");
  EXPECT_EQ(P("foo @ 1603774568"), "foo @ 1603774568.000");
  EXPECT_EQ(P("foo @ -1.5"), "foo @ -1.500");
  EXPECT_EQ(P("foo offset 1m @ start()"), "foo @ start() offset 1m");
  EXPECT_EQ(P("foo[5m] @ end()"), "foo[5m] @ end()");
  EXPECT_EQ(P("foo @ start() [5m]"), "foo[5m] @ start()");

  absl::StatusOr<ExprPtr> e = ParseExpr("foo{a=\"b\"}");
  ASSERT_TRUE(e.ok());
  const auto& vs = As<VectorSelector>(**e);
  EXPECT_EQ(vs.name, "foo");
  ASSERT_EQ(vs.matchers.size(), 2u);
  EXPECT_EQ(vs.matchers[0].name(), "a");
  EXPECT_EQ(vs.matchers[1].name(), "__name__");  // appended after the brace matchers
  EXPECT_EQ(vs.matchers[1].value(), "foo");
}

TEST(ParserTest, Subqueries) {
  EXPECT_EQ(P("foo[5m:1m]"), "foo[5m:1m]");
  EXPECT_EQ(P("foo[5m:]"), "foo[5m:]");
  EXPECT_EQ(P("rate(foo[5m])[1h:5m] offset 3m @ 10"), "rate(foo[5m])[1h:5m] @ 10.000 offset 3m");
  EXPECT_EQ(P("(a + b)[10m:]"), "(a + b)[10m:]");
  absl::StatusOr<ExprPtr> e = ParseExpr("foo[5m:30s]");
  ASSERT_TRUE(e.ok());
  const auto& sq = As<SubqueryExpr>(**e);
  EXPECT_EQ(sq.range_ms, 300000);
  EXPECT_EQ(sq.step_ms, 30000);
}

std::string Pretty(absl::string_view q) {
  absl::StatusOr<ExprPtr> e = ParseExpr(q);
  if (!e.ok()) return "ERROR: " + std::string(e.status().message());
  return Prettify(**e);
}

// Expected outputs are Prometheus 2.42's /api/v1/format_query answers.
TEST(PrinterTest, NumbersAndDurations) {
  EXPECT_EQ(P("12.34e6"), "1.234e+07");  // fmt %v of a float64 is %g
  EXPECT_EQ(P("vector(1456790400)"), "vector(1.4567904e+09)");
  EXPECT_EQ(P("123456"), "123456");
  EXPECT_EQ(P("1e-7"), "1e-07");
  EXPECT_EQ(P("0.0001"), "0.0001");
  EXPECT_EQ(P("foo offset 1y2w3d4h5m6s7ms"), "foo offset 382d4h5m6s7ms");
  EXPECT_EQ(P("foo[100d]"), "foo[100d]");
  EXPECT_EQ(P("foo[14d]"), "foo[2w]");
  EXPECT_EQ(P("foo @ 1e10"), "foo @ 10000000000.000");
  EXPECT_EQ(P("\"\\u00e9\\x41\\t\""), "\"éA\\t\"");
}

TEST(PrinterTest, Prettify) {
  EXPECT_EQ(Pretty("sum(rate(foo[5m])) by (a)"), "sum by (a) (rate(foo[5m]))");
  EXPECT_EQ(Pretty("sum(sum without (instance)(node_cpu) / ignoring (mode) group_left sum "
                   "without (instance, mode)(node_cpu))"),
            "sum(\n    sum without (instance) (node_cpu)\n  / ignoring (mode) group_left ()\n"
            "    sum without (instance, mode) (node_cpu)\n)");
  EXPECT_EQ(Pretty("-(some_very_long_metric_name_total{job=\"some-job\", "
                   "instance=~\"some-instance.*\"} + "
                   "some_other_very_long_metric_name_total{job=\"some-job\"})"),
            "-(\n    some_very_long_metric_name_total{instance=~\"some-instance.*\",job=\"some-"
            "job\"}\n  +\n    some_other_very_long_metric_name_total{job=\"some-job\"}\n)");
  EXPECT_EQ(Pretty("max_over_time((some_very_long_metric_name_total{job=\"some-job\", "
                   "instance=~\"some-instance.*\"} + "
                   "some_other_very_long_metric_name_total{job=\"some-job\"})[5m:1m] offset 1h)"),
            "max_over_time(\n  (\n      "
            "some_very_long_metric_name_total{instance=~\"some-instance.*\",job=\"some-job\"}\n"
            "    +\n      some_other_very_long_metric_name_total{job=\"some-job\"}\n  )[5m:1m] "
            "offset 1h\n)");
  EXPECT_EQ(Pretty("topk(5, some_very_long_metric_name_total{job=\"some-job\", "
                   "instance=~\"some-instance.*\"} + "
                   "some_other_very_long_metric_name_total{job=\"some-job\"})"),
            "topk(\n  5,\n    "
            "some_very_long_metric_name_total{instance=~\"some-instance.*\",job=\"some-job\"}\n"
            "  +\n    some_other_very_long_metric_name_total{job=\"some-job\"}\n)");
}

TEST(ParserTest, Precedence) {
  auto tree = [](absl::string_view q) -> std::string {
    absl::StatusOr<ExprPtr> e = ParseExpr(q);
    if (!e.ok()) return std::string(e.status().message());
    // Parenthesize every binary and unary node to expose the grouping.
    struct W {
      static std::string S(const Expr& x) {
        if (x.kind == NodeKind::kBinary) {
          const auto& b = As<BinaryExpr>(x);
          return "(" + S(*b.lhs) + " " + OpName(b.op) + " " + S(*b.rhs) + ")";
        }
        if (x.kind == NodeKind::kUnary) {
          const auto& u = As<UnaryExpr>(x);
          return std::string("(") + OpName(u.op) + S(*u.expr) + ")";
        }
        return Print(x);
      }
    };
    return W::S(**e);
  };
  EXPECT_EQ(tree("a + b * c"), "(a + (b * c))");
  EXPECT_EQ(tree("a * b + c"), "((a * b) + c)");
  EXPECT_EQ(tree("a - b - c"), "((a - b) - c)");
  EXPECT_EQ(tree("a ^ b ^ c"), "(a ^ (b ^ c))");
  EXPECT_EQ(tree("a or b and c unless d"), "(a or ((b and c) unless d))");
  EXPECT_EQ(tree("a > b + c"), "(a > (b + c))");
  EXPECT_EQ(tree("a and b > c"), "(a and (b > c))");
  EXPECT_EQ(tree("-a ^ b"), "(-(a ^ b))");
  EXPECT_EQ(tree("-a * b"), "((-a) * b)");
  EXPECT_EQ(tree("a * -b ^ c"), "(a * (-(b ^ c)))");
  EXPECT_EQ(tree("a atan2 b + c"), "((a atan2 b) + c)");
  EXPECT_EQ(tree("2 ^ -1"), "(2 ^ -1)");
  EXPECT_EQ(tree("-1 ^ 2"), "(-(1 ^ 2))");
  EXPECT_EQ(tree("a % b / c"), "((a % b) / c)");
  // Print writes the literal Inf as "+Inf"; it must read back as the literal, also before ^.
  EXPECT_EQ(tree("Inf ^ 2"), "(+Inf ^ 2)");
  EXPECT_EQ(tree("+Inf ^ 2"), "(+Inf ^ 2)");
  EXPECT_EQ(tree("-+Inf ^ 2"), "(-(+Inf ^ 2))");
  EXPECT_EQ(tree("+2 ^ 2"), "(+(2 ^ 2))");
}

TEST(ParserTest, BinaryModifiers) {
  EXPECT_EQ(P("a == bool b"), "a == bool b");
  EXPECT_EQ(P("1 > bool 2"), "1 > bool 2");
  EXPECT_EQ(P("a + on(b) c"), "a + on (b) c");
  EXPECT_EQ(P("a + on() c"), "a + on () c");
  EXPECT_EQ(P("a + ignoring(b, c) d"), "a + ignoring (b, c) d");
  EXPECT_EQ(P("a + ignoring() d"), "a + d");
  EXPECT_EQ(P("a + on (b) group_left (c) d"), "a + on (b) group_left (c) d");
  EXPECT_EQ(P("a / ignoring(b) group_right d"), "a / ignoring (b) group_right () d");
  EXPECT_EQ(P("a > bool on(b,) group_left(c,d,) e"), "a > bool on (b) group_left (c, d) e");
  EXPECT_EQ(P("a and on(x) b"), "a and on (x) b");
  EXPECT_EQ(P("1 + on() 2"), "1 + 2");  // matching is dropped between scalars

  absl::StatusOr<ExprPtr> e = ParseExpr("a or b");
  ASSERT_TRUE(e.ok());
  ASSERT_TRUE(As<BinaryExpr>(**e).matching.has_value());
  EXPECT_EQ(As<BinaryExpr>(**e).matching->card, Cardinality::kManyToMany);
  e = ParseExpr("a + 1");
  ASSERT_TRUE(e.ok());
  EXPECT_FALSE(As<BinaryExpr>(**e).matching.has_value());
}

TEST(ParserTest, AggregationsAndCalls) {
  EXPECT_EQ(P("sum(foo)"), "sum(foo)");
  EXPECT_EQ(P("sum by (job) (rate(x[5m]))"), "sum by (job) (rate(x[5m]))");
  EXPECT_EQ(P("sum(rate(x[5m])) by (job, instance)"), "sum by (job, instance) (rate(x[5m]))");
  EXPECT_EQ(P("SUM WITHOUT (a) (x)"), "sum without (a) (x)");
  EXPECT_EQ(P("sum without () (x)"), "sum without () (x)");
  EXPECT_EQ(P("sum by () (x)"), "sum(x)");
  EXPECT_EQ(P("topk(5, x)"), "topk(5, x)");
  EXPECT_EQ(P("count_values(\"v\", x)"), "count_values(\"v\", x)");
  EXPECT_EQ(P("quantile(0.9, x) by (le)"), "quantile by (le) (0.9, x)");
  EXPECT_EQ(P("sum by (sum, on, bool, a:b_c)(x)"),
            "ERROR: 1:24: parse error: unexpected metric "
            "identifier \"a:b_c\" in grouping opts, "
            "expected label");
  EXPECT_EQ(P("sum by (sum, on, bool)(x)"), "sum by (sum, on, bool) (x)");
  EXPECT_EQ(P("time()"), "time()");
  EXPECT_EQ(P("label_join(x, \"d\", \",\", \"a\", \"b\", \"c\")"),
            "label_join(x, \"d\", \",\", \"a\", \"b\", \"c\")");
  EXPECT_EQ(P("round(x)"), "round(x)");
  EXPECT_EQ(P("round(x, 5)"), "round(x, 5)");
  EXPECT_EQ(P("histogram_quantile(0.9, sum by (le) (rate(b[5m])))"),
            "histogram_quantile(0.9, sum by (le) (rate(b[5m])))");
}

TEST(ParserTest, Functions) {
  const Function* f = LookupFunction("label_join");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->variadic, -1);
  EXPECT_EQ(f->arg_types.size(), 4u);
  EXPECT_EQ(LookupFunction("rate")->arg_types[0], ValueType::kMatrix);
  EXPECT_EQ(LookupFunction("pi")->return_type, ValueType::kScalar);
  EXPECT_EQ(LookupFunction("nope"), nullptr);
}

TEST(ParserTest, Types) {
  absl::StatusOr<ExprPtr> e = ParseExpr("1 + 2");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ((*e)->Type(), ValueType::kScalar);
  e = ParseExpr("foo + 2");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ((*e)->Type(), ValueType::kVector);
  e = ParseExpr("foo[5m]");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ((*e)->Type(), ValueType::kMatrix);
  e = ParseExpr("\"x\"");
  ASSERT_TRUE(e.ok());
  EXPECT_EQ((*e)->Type(), ValueType::kString);
  EXPECT_STREQ(ValueTypeName(ValueType::kMatrix), "matrix");
}

TEST(ParserTest, Errors) {
  EXPECT_EQ(Err(""), "1:1: parse error: no expression found in input");
  EXPECT_EQ(Err("1 +"), "1:4: parse error: unexpected end of input");
  EXPECT_EQ(Err("foo bar"), "1:5: parse error: unexpected identifier \"bar\"");
  EXPECT_EQ(Err("rate(foo)"),
            "1:6: parse error: expected type range vector in call to function \"rate\", got "
            "instant vector");
  EXPECT_EQ(Err("sum()"), "1:1: parse error: no arguments for aggregate expression provided");
  EXPECT_EQ(Err("topk(x)"),
            "1:1: parse error: wrong number of arguments for aggregate expression provided, "
            "expected 2, got 1");
  EXPECT_EQ(Err("foo + bool bar"),
            "1:5: parse error: bool modifier can only be used on comparison operators");
  EXPECT_EQ(Err("1 > 2"), "1:3: parse error: comparisons between scalars must use BOOL modifier");
  EXPECT_EQ(Err("foo[5m] + 1"),
            "1:1: parse error: binary expression must contain only scalar and instant vector "
            "types");
  EXPECT_EQ(Err("1 and foo"),
            "1:1: parse error: set operator \"and\" not allowed in binary scalar expression");
  EXPECT_EQ(Err("1 + on(a) foo"),
            "1:1: parse error: vector matching only allowed between instant vectors");
  EXPECT_EQ(Err("a and on(x) group_left(y) b"),
            "1:1: parse error: no grouping allowed for \"and\" operation");
  EXPECT_EQ(Err("a + on(x) group_left(x) b"),
            "1:3: parse error: label \"x\" must not occur in ON and GROUP clause at once");
  EXPECT_EQ(Err("(foo)[5m]"), "1:6: parse error: ranges only allowed for vector selectors");
  EXPECT_EQ(Err("foo offset 1m[5m]"),
            "1:14: parse error: no offset modifiers allowed before range");
  EXPECT_EQ(Err("foo @ 1 [5m]"), "1:9: parse error: no @ modifiers allowed before range");
  EXPECT_EQ(Err("foo offset 1s offset 2s"),
            "1:1: parse error: offset may not be set multiple times");
  EXPECT_EQ(Err("foo @ 1 @ 2"), "1:1: parse error: @ <timestamp> may not be set multiple times");
  EXPECT_EQ(Err("sum(foo) offset 1m"),
            "1:1: parse error: offset modifier must be preceded by an instant vector selector or "
            "range vector selector or a subquery");
  EXPECT_EQ(Err("1 @ 1"),
            "1:1: parse error: @ modifier must be preceded by an instant vector selector or range "
            "vector selector or a subquery");
  EXPECT_EQ(Err("foo @ Inf"), "1:1: parse error: timestamp out of bounds for @ modifier: +Inf");
  EXPECT_EQ(Err("foo[0s]"), "1:5: parse error: duration must be greater than 0");
  EXPECT_EQ(Err("foo[5]"), "1:5: parse error: missing unit character in duration");
  EXPECT_EQ(Err("foo[5m"), "1:7: parse error: unclosed left bracket");
  EXPECT_EQ(Err("sum(foo"), "1:8: parse error: unclosed left parenthesis");
  EXPECT_EQ(Err("foo)"), "1:5: parse error: unexpected right parenthesis ')'");
  EXPECT_EQ(Err("foo{a}"),
            "1:6: parse error: unexpected \"}\" in label matching, expected label matching "
            "operator");
  EXPECT_EQ(Err("foo{a=1}"), "1:7: parse error: unexpected character inside braces: '1'");
  EXPECT_EQ(Err("{}"),
            "1:1: parse error: vector selector must contain at least one non-empty "
            "matcher");
  EXPECT_EQ(Err("{a=\"\"}"),
            "1:1: parse error: vector selector must contain at least one "
            "non-empty matcher");
  EXPECT_EQ(Err("foo{__name__=\"bar\"}"),
            "1:1: parse error: metric name must not be set twice: \"foo\" or \"bar\"");
  EXPECT_EQ(Err("nope(foo)"), "1:1: parse error: unknown function with name \"nope\"");
  EXPECT_EQ(Err("rate(foo[5m],)"),
            "1:13: parse error: trailing commas not allowed in function call args");
  EXPECT_EQ(Err("round()"),
            "1:1: parse error: expected at least 1 argument(s) in call to \"round\", got 0");
  EXPECT_EQ(Err("round(a, 1, 2)"),
            "1:1: parse error: expected at most 2 argument(s) in call to \"round\", got 3");
  EXPECT_EQ(Err("time(1)"), "1:1: parse error: expected 0 argument(s) in call to \"time\", got 1");
  EXPECT_EQ(Err("-\"a\""),
            "1:1: parse error: unary expression only allowed on expressions of type scalar or "
            "instant vector, got \"string\"");
  EXPECT_EQ(Err("foo[5m][1m:]"),
            "1:1: parse error: subquery is only allowed on instant vector, got matrix instead");
  EXPECT_EQ(Err("\"abc"), "1:1: parse error: unterminated quoted string");
  EXPECT_EQ(Err("\"\\q\""), "1:1: parse error: unknown escape sequence U+0071 'q'");
  EXPECT_EQ(Err("foo\n  + bar baz"), "2:9: parse error: unexpected identifier \"baz\"");
  EXPECT_EQ(Err("1e"),
            "1:1: parse error: error parsing number: strconv.ParseFloat: parsing "
            "\"1e\": invalid syntax");
  EXPECT_EQ(Err("sum by (a) foo"),
            "1:12: parse error: unexpected identifier \"foo\" in "
            "aggregation");
  EXPECT_EQ(Err("sum(foo bar)"),
            "1:9: parse error: unexpected identifier \"bar\" in "
            "aggregation");
  EXPECT_EQ(Err("sum by foo (x)"),
            "1:8: parse error: unexpected identifier \"foo\" in grouping "
            "opts, expected \"(\"");
  EXPECT_EQ(Err("foo offset bar"),
            "1:12: parse error: unexpected identifier \"bar\" in offset, "
            "expected duration");
  EXPECT_EQ(Err("foo[5m:1m:]"), "1:10: parse error: unexpected colon ':'");
}

TEST(ParserTest, MetricSelector) {
  absl::StatusOr<std::vector<labels::Matcher>> m = ParseMetricSelector("up{job=~\"a|b\"}");
  ASSERT_TRUE(m.ok()) << m.status();
  ASSERT_EQ(m->size(), 2u);
  EXPECT_EQ((*m)[0].name(), "job");
  EXPECT_EQ((*m)[1].name(), "__name__");
  m = ParseMetricSelector("{a=\"b\"}");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->size(), 1u);
  // Like Prometheus's ParseMetricSelector, no non-empty-matcher check (the API makes its own).
  m = ParseMetricSelector("{}");
  ASSERT_TRUE(m.ok());
  EXPECT_TRUE(m->empty());
  EXPECT_FALSE(ParseMetricSelector("up + 1").ok());
  EXPECT_FALSE(ParseMetricSelector("rate(x[5m])").ok());
  EXPECT_EQ(ParseMetricSelector("").status().message(),
            "1:1: parse error: unexpected end of input");
}

}  // namespace
}  // namespace argus::promql::parser
