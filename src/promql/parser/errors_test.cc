// Parse errors of malformed queries, compared with what Prometheus 2.42 answers for the same
// queries (the expected texts are its /api/v1/query and /api/v1/series error messages, without
// the `invalid parameter "query": ` prefix the API adds).
#include <string>

#include "absl/status/status.h"
#include "gtest/gtest.h"
#include "promql/parser/parser.h"

namespace argus::promql::parser {
namespace {

struct ErrorCase {
  const char* query;
  const char* error;
};

const ErrorCase kErrorCases[] = {
    {"", "1:1: parse error: no expression found in input"},
    {"   ", "1:1: parse error: no expression found in input"},
    {"# only a comment", "1:1: parse error: no expression found in input"},
    {"1 +", "1:4: parse error: unexpected end of input"},
    {"foo bar", "1:5: parse error: unexpected identifier \"bar\""},
    {"sum 1", "1:5: parse error: unexpected number \"1\""},
    {"sum(", "1:5: parse error: unclosed left parenthesis"},
    {"sum()", "1:1: parse error: no arguments for aggregate expression provided"},
    {"sum(foo) by", "1:12: parse error: unexpected end of input in grouping opts, expected \"(\""},
    {"sum(foo) by (", "1:14: parse error: unclosed left parenthesis"},
    {"sum(foo) by (a", "1:15: parse error: unclosed left parenthesis"},
    {"sum(foo) by (a,", "1:16: parse error: unclosed left parenthesis"},
    {"sum(foo) by (a b)",
     "1:16: parse error: unexpected identifier \"b\" in grouping opts, expected \",\" or \")\""},
    {"sum(foo) by (1)",
     "1:14: parse error: unexpected number \"1\" in grouping opts, expected label"},
    {"sum(foo) by (a:b)",
     "1:14: parse error: unexpected metric identifier \"a:b\" in grouping opts, expected label"},
    {"sum by (a) foo", "1:12: parse error: unexpected identifier \"foo\" in aggregation"},
    {"sum by (a)", "1:11: parse error: unexpected end of input in aggregation"},
    {"sum(foo bar)", "1:9: parse error: unexpected identifier \"bar\" in aggregation"},
    {"sum(foo, bar)",
     "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 1, "
     "got 2"},
    {"topk(foo)",
     "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, "
     "got 1"},
    {"topk(1, 2, foo)",
     "1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, "
     "got 3"},
    {"count_values(1, foo)",
     "1:14: parse error: expected type string in aggregation parameter, got scalar"},
    {"quantile(\"a\", foo)",
     "1:10: parse error: expected type scalar in aggregation parameter, got string"},
    {"sum(foo) without (a) by (b)", "1:22: parse error: unexpected <by>"},
    {"sum by (a) (foo) by (b)", "1:18: parse error: unexpected <by>"},
    {"avg without", "1:12: parse error: unexpected end of input in grouping opts, expected \"(\""},
    {"rate(foo)",
     "1:6: parse error: expected type range vector in call to function \"rate\", got instant "
     "vector"},
    {"rate(foo[5m], 1)", "1:1: parse error: expected 1 argument(s) in call to \"rate\", got 2"},
    {"rate()", "1:1: parse error: expected 1 argument(s) in call to \"rate\", got 0"},
    {"nope(foo)", "1:1: parse error: unknown function with name \"nope\""},
    {"foo:bar(x)", "1:8: parse error: unexpected \"(\""},
    {"time(1)", "1:1: parse error: expected 0 argument(s) in call to \"time\", got 1"},
    {"round()", "1:1: parse error: expected at least 1 argument(s) in call to \"round\", got 0"},
    {"round(a, 1, 2)",
     "1:1: parse error: expected at most 2 argument(s) in call to \"round\", got 3"},
    {"label_join(a)",
     "1:1: parse error: expected at least 3 argument(s) in call to \"label_join\", got 1"},
    {"label_join(a, \"b\", \"c\", 1)",
     "1:25: parse error: expected type string in call to function \"label_join\", got scalar"},
    {"histogram_quantile(foo, bar)",
     "1:20: parse error: expected type scalar in call to function \"histogram_quantile\", got "
     "instant vector"},
    {"vector(\"a\")",
     "1:8: parse error: expected type scalar in call to function \"vector\", got string"},
    {"scalar(foo[5m])",
     "1:8: parse error: expected type instant vector in call to function \"scalar\", got range "
     "vector"},
    {"rate(foo[5m],)", "1:13: parse error: trailing commas not allowed in function call args"},
    {"foo{", "1:5: parse error: unexpected end of input inside braces"},
    {"foo{a", "1:6: parse error: unexpected end of input inside braces"},
    {"foo{a=", "1:7: parse error: unexpected end of input inside braces"},
    {"foo{a=\"b\"", "1:10: parse error: unexpected end of input inside braces"},
    {"foo{a=\"b\",", "1:11: parse error: unexpected end of input inside braces"},
    {"foo{a=\"b\" c=\"d\"}",
     "1:11: parse error: unexpected identifier \"c\" in label matching, expected \",\" or \"}\""},
    {"foo{a=b}",
     "1:7: parse error: unexpected identifier \"b\" in label matching, expected string"},
    {"foo{a=1}", "1:7: parse error: unexpected character inside braces: '1'"},
    {"foo{\"a\"=\"b\"}",
     "1:5: parse error: unexpected string \"\\\"a\\\"\" in label matching, expected identifier or "
     "\"}\""},
    {"foo{a!b}", "1:6: parse error: unexpected character after '!' inside braces: 'b'"},
    {"foo{a=~\"(\"}", "1:5: parse error: error parsing regexp: missing closing ): `^(?:()$`"},
    {"foo{a!~\"[z-a]\"}",
     "1:5: parse error: error parsing regexp: invalid character class range: `z-a`"},
    {"foo{=}",
     "1:5: parse error: unexpected \"=\" in label matching, expected identifier or \"}\""},
    {"foo}", "1:4: parse error: unexpected character: '}'"},
    {"foo{}}", "1:6: parse error: unexpected character: '}'"},
    {"foo{{", "1:5: parse error: unexpected left brace '{'"},
    {"{}", "1:1: parse error: vector selector must contain at least one non-empty matcher"},
    {"{a=\"\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"},
    {"{a=~\".*\"}",
     "1:1: parse error: vector selector must contain at least one non-empty matcher"},
    {"foo{__name__=\"bar\"}",
     "1:1: parse error: metric name must not be set twice: \"foo\" or \"bar\""},
    {"foo[", "1:5: parse error: missing unit character in duration"},
    {"foo[]", "1:5: parse error: missing unit character in duration"},
    {"foo[5]", "1:5: parse error: missing unit character in duration"},
    {"foo[5m", "1:7: parse error: unclosed left bracket"},
    {"foo[5m]]", "1:8: parse error: unexpected right bracket ']'"},
    {"foo[5mm]", "1:5: parse error: bad duration syntax: \"5mm\""},
    {"foo[5x]", "1:5: parse error: bad duration syntax: \"5\""},
    {"foo[0s]", "1:5: parse error: duration must be greater than 0"},
    {"foo[-5m]", "1:5: parse error: missing unit character in duration"},
    {"foo[5m:0s]", "1:8: parse error: duration must be greater than 0"},
    {"foo[5m:1m:]", "1:10: parse error: unexpected colon ':'"},
    {"foo[5m:1m", "1:10: parse error: unclosed left bracket"},
    {"foo[5m 1m]",
     "1:8: parse error: unexpected duration \"1m\" in subquery or range, expected \":\" or \"]\""},
    {"foo[5m:a]", "1:8: parse error: unexpected colon 'a'"},
    {"foo[5m:1]",
     "1:8: parse error: unexpected number \"1\" in subquery selector, expected duration or \"]\""},
    {"foo[[5m]]", "1:5: parse error: missing unit character in duration"},
    {"foo[5m][5m]", "1:8: parse error: ranges only allowed for vector selectors"},
    {"foo[5m][5m:]",
     "1:1: parse error: subquery is only allowed on instant vector, got matrix instead"},
    {"(foo)[5m]", "1:6: parse error: ranges only allowed for vector selectors"},
    {"sum(foo)[5m]", "1:9: parse error: ranges only allowed for vector selectors"},
    {"1[5m]", "1:2: parse error: ranges only allowed for vector selectors"},
    {"\"a\"[5m:]",
     "1:1: parse error: subquery is only allowed on instant vector, got string instead"},
    {"foo offset", "1:11: parse error: unexpected end of input in offset, expected duration"},
    {"foo offset 5", "1:12: parse error: unexpected number \"5\" in offset, expected duration"},
    {"foo offset bar",
     "1:12: parse error: unexpected identifier \"bar\" in offset, expected duration"},
    {"foo offset -", "1:13: parse error: unexpected end of input in offset, expected duration"},
    {"foo offset 0s", "1:12: parse error: duration must be greater than 0"},
    {"foo offset 5m offset 1m", "1:1: parse error: offset may not be set multiple times"},
    {"foo offset 1m[5m]", "1:14: parse error: no offset modifiers allowed before range"},
    {"sum(foo) offset 5m",
     "1:1: parse error: offset modifier must be preceded by an instant vector selector or range "
     "vector selector or a subquery"},
    {"1 offset 5m",
     "1:1: parse error: offset modifier must be preceded by an instant vector selector or range "
     "vector selector or a subquery"},
    {"(foo) offset 5m",
     "1:1: parse error: offset modifier must be preceded by an instant vector selector or range "
     "vector selector or a subquery"},
    {"foo @", "1:6: parse error: unexpected end of input in @, expected timestamp"},
    {"foo @ bar", "1:7: parse error: unexpected identifier \"bar\" in @, expected timestamp"},
    {"foo @ start", "1:12: parse error: unexpected end of input in @, expected timestamp"},
    {"foo @ start(", "1:13: parse error: unclosed left parenthesis"},
    {"foo @ start(1)", "1:13: parse error: unexpected number \"1\" in @, expected timestamp"},
    {"foo @ -", "1:8: parse error: unexpected end of input in @, expected timestamp"},
    {"foo @ Inf", "1:1: parse error: timestamp out of bounds for @ modifier: +Inf"},
    {"foo @ NaN", "1:1: parse error: timestamp out of bounds for @ modifier: NaN"},
    {"foo @ -Inf", "1:1: parse error: timestamp out of bounds for @ modifier: -Inf"},
    {"foo @ 1e300",
     "1:1: parse error: timestamp out of bounds for @ modifier: "
     "100000000000000005250476025520442024870446858110815915491585411551180245798890819578637137508"
     "044786404370444383288387817694252323536043057564479218478670698284838720092657580373783023379"
     "478809005936895323497079994508111903896764088007465274278014249457925878882005684283811566947"
     "2196386865459400540160.000000"},
    {"foo @ 1 @ 2", "1:1: parse error: @ <timestamp> may not be set multiple times"},
    {"foo @ start() @ 1", "1:1: parse error: @ <timestamp> may not be set multiple times"},
    {"foo @ 1 [5m]", "1:9: parse error: no @ modifiers allowed before range"},
    {"foo @ @", "1:7: parse error: unexpected \"<Item 57385>\" <op:@> in @, expected timestamp"},
    {"1 @ 5",
     "1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector "
     "selector or a subquery"},
    {"sum(foo) @ 5",
     "1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector "
     "selector or a subquery"},
    {"foo + bool bar", "1:5: parse error: bool modifier can only be used on comparison operators"},
    {"1 > 2", "1:3: parse error: comparisons between scalars must use BOOL modifier"},
    {"1 == 1", "1:3: parse error: comparisons between scalars must use BOOL modifier"},
    {"foo[5m] + 1",
     "1:1: parse error: binary expression must contain only scalar and instant vector types"},
    {"1 + foo[5m]",
     "1:5: parse error: binary expression must contain only scalar and instant vector types"},
    {"\"a\" + 1",
     "1:1: parse error: binary expression must contain only scalar and instant vector types"},
    {"1 and foo", "1:1: parse error: set operator \"and\" not allowed in binary scalar expression"},
    {"foo or 1", "1:1: parse error: set operator \"or\" not allowed in binary scalar expression"},
    {"1 + on(a) foo", "1:1: parse error: vector matching only allowed between instant vectors"},
    {"a and on(x) group_left(y) b", "1:1: parse error: no grouping allowed for \"and\" operation"},
    {"a or ignoring(x) group_right b",
     "1:1: parse error: no grouping allowed for \"or\" operation"},
    {"a + on(x) group_left(x) b",
     "1:3: parse error: label \"x\" must not occur in ON and GROUP clause at once"},
    {"a + group_left b", "1:5: parse error: unexpected <group_left>"},
    {"a + on b", "1:8: parse error: unexpected identifier \"b\" in grouping opts, expected \"(\""},
    {"a + on(", "1:8: parse error: unclosed left parenthesis"},
    {"a + on(a) group_left(", "1:22: parse error: unclosed left parenthesis"},
    {"a + bool", "1:9: parse error: unexpected end of input"},
    {"a +", "1:4: parse error: unexpected end of input"},
    {"* a", "1:1: parse error: unexpected <op:*>"},
    {"a **", "1:4: parse error: unexpected <op:*>"},
    {"a + * b", "1:5: parse error: unexpected <op:*>"},
    {"a == = b", "1:6: parse error: unexpected \"=\""},
    {"a = b", "1:3: parse error: unexpected \"=\""},
    {"a != ~ b", "1:6: parse error: unexpected character: '~'"},
    {"a !", "1:3: parse error: unexpected character after '!': '�'"},
    {"a ! b", "1:3: parse error: unexpected character after '!': ' '"},
    {"a =~ b", "1:3: parse error: unexpected character after '=': '~'"},
    {"-\"a\"",
     "1:1: parse error: unary expression only allowed on expressions of type scalar or instant "
     "vector, got \"string\""},
    {"-foo[5m]",
     "1:1: parse error: unary expression only allowed on expressions of type scalar or instant "
     "vector, got \"range vector\""},
    {"+foo[5m]",
     "1:1: parse error: unary expression only allowed on expressions of type scalar or instant "
     "vector, got \"range vector\""},
    {"-(foo[5m])",
     "1:1: parse error: unary expression only allowed on expressions of type scalar or instant "
     "vector, got \"range vector\""},
    {"\"abc", "1:1: parse error: unterminated quoted string"},
    {"'abc", "1:1: parse error: unterminated quoted string"},
    {"`abc", "1:1: parse error: unterminated raw string"},
    {"\"a\\qb\"", "1:1: parse error: unknown escape sequence U+0071 'q'"},
    {"\"a\\xZZ\"", "1:1: parse error: illegal character U+005A 'Z' in escape sequence"},
    {"\"a\\u12\"", "1:1: parse error: illegal character U+0022 '\"' in escape sequence"},
    {"\"a\\U0011FFFF\"", "1:1: parse error: escape sequence is an invalid Unicode code point"},
    {"\"a\\uD800\"", "1:1: parse error: escape sequence is an invalid Unicode code point"},
    {"\"\\400\"", "1:1: parse error: escape sequence is an invalid Unicode code point"},
    {"\"\\", "1:1: parse error: escape sequence not terminated"},
    {"\"a\nb", "1:1: parse error: unterminated quoted string"},
    {"1e",
     "1:1: parse error: error parsing number: strconv.ParseFloat: parsing \"1e\": invalid syntax"},
    {"1e+",
     "1:1: parse error: error parsing number: strconv.ParseFloat: parsing \"1e+\": invalid syntax"},
    {"0x",
     "1:1: parse error: error parsing number: strconv.ParseFloat: parsing \"0x\": invalid syntax"},
    {"0x1.5",
     "1:1: parse error: error parsing number: strconv.ParseFloat: parsing \"0x1.5\": invalid "
     "syntax"},
    {"1.2.3", "1:4: parse error: unexpected number \".3\""},
    {"1e999",
     "1:1: parse error: error parsing number: strconv.ParseFloat: parsing \"1e999\": value out of "
     "range"},
    {"5m", "1:1: parse error: unexpected duration \"5m\""},
    {"foo 5m", "1:5: parse error: unexpected duration \"5m\""},
    {"1h1h", "1:1: parse error: unexpected duration \"1h1h\""},
    {"1 1", "1:3: parse error: unexpected number \"1\""},
    {"(", "1:2: parse error: unclosed left parenthesis"},
    {")", "1:2: parse error: unexpected right parenthesis ')'"},
    {"(1", "1:3: parse error: unclosed left parenthesis"},
    {"(1))", "1:5: parse error: unexpected right parenthesis ')'"},
    {"((1)", "1:5: parse error: unclosed left parenthesis"},
    {"[5m]", "1:1: parse error: unexpected \"[\""},
    {"]", "1:1: parse error: unexpected right bracket ']'"},
    {"foo]", "1:4: parse error: unexpected right bracket ']'"},
    {"{", "1:2: parse error: unexpected end of input inside braces"},
    {"}", "1:1: parse error: unexpected character: '}'"},
    {",", "1:1: parse error: unexpected \",\""},
    {"foo,", "1:4: parse error: unexpected \",\""},
    {"foo bar baz", "1:5: parse error: unexpected identifier \"bar\""},
    {"foo ; bar", "1:5: parse error: unexpected character: ';'"},
    {"foo $ bar", "1:5: parse error: unexpected character: '$'"},
    {"foo @ 1 offset 5m @ 2", "1:1: parse error: @ <timestamp> may not be set multiple times"},
    {"foo ~ bar", "1:5: parse error: unexpected character: '~'"},
    {"é", "1:1: parse error: unexpected character: 'é'"},
    {"foo{é=\"a\"}", "1:5: parse error: unexpected character inside braces: 'é'"},
    {"sum(rate(x[5m]) by (job)", "1:17: parse error: unexpected <by> in aggregation"},
    {"sum by(a,,b) (x)", "1:10: parse error: unexpected \",\" in grouping opts, expected label"},
    {"sum by (,) (x)", "1:9: parse error: unexpected \",\" in grouping opts, expected label"},
    {"sum by (without) (x)",
     "1:9: parse error: unexpected <without> in grouping opts, expected label"},
    {"sum by (inf) (x)",
     "1:9: parse error: unexpected number \"inf\" in grouping opts, expected label"},
    {"sum by (\"a\") (x)",
     "1:9: parse error: unexpected string \"\\\"a\\\"\" in grouping opts, expected label"},
    {"count_values without () (\"a\", x", "1:32: parse error: unclosed left parenthesis"},
    {"foo{a=\"b\"} offset 5m [1m]", "1:22: parse error: no offset modifiers allowed before range"},
    {"foo bool", "1:5: parse error: unexpected <bool>"},
    {"foo offset 5m bool 1", "1:15: parse error: unexpected <bool>"},
    {"sum(foo) by (a) (bar)", "1:17: parse error: unexpected \"(\""},
    {"topk(1, foo) by (a) (b)", "1:21: parse error: unexpected \"(\""},
    {"foo\n+\nbar baz", "3:5: parse error: unexpected identifier \"baz\""},
    {"foo # comment\n+", "2:2: parse error: unexpected end of input"},
    {"foo\n\n  bar", "3:3: parse error: unexpected identifier \"bar\""},
    {"clamp_max(test_clamp,, 75)",
     "1:21: parse error: trailing commas not allowed in function call args"},
    {"quantile_over_time(2,== (data[1m]))",
     "1:21: parse error: trailing commas not allowed in function call args"},
    {"sum_over_time(metric[100s] offset 50s ,@ 100)",
     "1:39: parse error: trailing commas not allowed in function call args"},
};

TEST(ParseErrorTest, SameMessagesAsPrometheus) {
  for (const ErrorCase& c : kErrorCases) {
    absl::StatusOr<ExprPtr> e = ParseExpr(c.query);
    ASSERT_FALSE(e.ok()) << c.query << " parsed as " << Print(**e);
    EXPECT_TRUE(absl::IsInvalidArgument(e.status())) << c.query;
    EXPECT_EQ(e.status().message(), c.error) << c.query;
  }
}

TEST(ParseErrorTest, MetricSelector) {
  const ErrorCase cases[] = {
      {"up{a=\"b\"", "1:9: parse error: unexpected end of input inside braces"},
      {"up + 1", "1:4: parse error: unexpected <op:+>"},
      {"rate(x[5m])", "1:5: parse error: unexpected \"(\""},
      {"", "1:1: parse error: unexpected end of input"},
      {"up{a=~\"(\"}", "1:4: parse error: error parsing regexp: missing closing ): `^(?:()$`"},
      {"up[5m]", "1:3: parse error: unexpected \"[\""},
      {"up offset 5m", "1:4: parse error: unexpected <offset>"},
      {"foo bar", "1:5: parse error: unexpected identifier \"bar\""},
      {"1", "1:1: parse error: unexpected number \"1\""},
      {"on", "1:1: parse error: unexpected <on>"},
  };
  for (const ErrorCase& c : cases) {
    absl::StatusOr<std::vector<labels::Matcher>> m = ParseMetricSelector(c.query);
    ASSERT_FALSE(m.ok()) << c.query;
    EXPECT_EQ(m.status().message(), c.error) << c.query;
  }
  for (const char* ok :
       {"up", "sum", "by", "up{a=\"b\"} # c", "{__name__=\"a\"}", "a{__name__=\"b\"}"}) {
    EXPECT_TRUE(ParseMetricSelector(ok).ok()) << ok;
  }
}

}  // namespace
}  // namespace argus::promql::parser
