// The 0.0.4 parser against the cases of Prometheus v2.42's promparse_test.go (same inputs and
// expectations, restated as data) plus the corners of promlex.l they do not reach.
#include "model/textparse/promparse.h"

#include <limits>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "model/textparse/internal/strconv.h"
#include "model/textparse/textparse_test_util.h"

namespace argus::textparse {
namespace {

using testutil::Comment;
using testutil::ErrorOf;
using testutil::ExpectEntries;
using testutil::Help;
using testutil::Series;
using testutil::Type;

constexpr char kName[] = "__name__";

TEST(PromParserTest, PrometheusParseCase) {
  std::string input = R"(# HELP go_gc_duration_seconds A summary of the GC invocation durations.
# 	TYPE go_gc_duration_seconds summary
go_gc_duration_seconds{quantile="0"} 4.9351e-05
go_gc_duration_seconds{quantile="0.25",} 7.424100000000001e-05
go_gc_duration_seconds{quantile="0.5",a="b"} 8.3835e-05
go_gc_duration_seconds{quantile="0.8", a="b"} 8.3835e-05
go_gc_duration_seconds{ quantile="0.9", a="b"} 8.3835e-05
# Hrandom comment starting with prefix of HELP
#
wind_speed{A="2",c="3"} 12345
# comment with escaped \n newline
# comment with escaped \ escape character
# HELP nohelp1
# HELP nohelp2 
go_gc_duration_seconds{ quantile="1.0", a="b" } 8.3835e-05
go_gc_duration_seconds { quantile="1.0", a="b" } 8.3835e-05
go_gc_duration_seconds { quantile= "1.0", a= "b", } 8.3835e-05
go_gc_duration_seconds { quantile = "1.0", a = "b" } 8.3835e-05
go_gc_duration_seconds_count 99
some:aggregate:rate5m{a_b="c"}	1
# HELP go_goroutines Number of goroutines that currently exist.
# TYPE go_goroutines gauge
go_goroutines 33  	123123
_metric_starting_with_underscore 1
testmetric{_label_starting_with_underscore="foo"} 1
testmetric{label="\"bar\""} 1)";
  input += "\n# HELP metric foo";
  input += std::string(1, '\0') + "bar";
  input += "\nnull_byte_metric{a=\"abc";
  input += std::string(1, '\0') + "\"} 1";

  const std::string gc = "go_gc_duration_seconds";
  const std::vector<testutil::Want> want = {
      Help(gc, "A summary of the GC invocation durations."),
      Type(gc, MetricType::kSummary),
      Series(R"(go_gc_duration_seconds{quantile="0"})", 4.9351e-05,
             {{kName, gc}, {"quantile", "0"}}),
      Series(R"(go_gc_duration_seconds{quantile="0.25",})", 7.424100000000001e-05,
             {{kName, gc}, {"quantile", "0.25"}}),
      Series(R"(go_gc_duration_seconds{quantile="0.5",a="b"})", 8.3835e-05,
             {{kName, gc}, {"a", "b"}, {"quantile", "0.5"}}),
      Series(R"(go_gc_duration_seconds{quantile="0.8", a="b"})", 8.3835e-05,
             {{kName, gc}, {"a", "b"}, {"quantile", "0.8"}}),
      Series(R"(go_gc_duration_seconds{ quantile="0.9", a="b"})", 8.3835e-05,
             {{kName, gc}, {"a", "b"}, {"quantile", "0.9"}}),
      Comment("# Hrandom comment starting with prefix of HELP"),
      Comment("#"),
      Series(R"(wind_speed{A="2",c="3"})", 12345, {{"A", "2"}, {kName, "wind_speed"}, {"c", "3"}}),
      Comment(R"(# comment with escaped \n newline)"),
      Comment(R"(# comment with escaped \ escape character)"),
      Help("nohelp1", ""),
      Help("nohelp2", ""),
      Series(R"(go_gc_duration_seconds{ quantile="1.0", a="b" })", 8.3835e-05,
             {{kName, gc}, {"a", "b"}, {"quantile", "1.0"}}),
      Series(R"(go_gc_duration_seconds { quantile="1.0", a="b" })", 8.3835e-05,
             {{kName, gc}, {"a", "b"}, {"quantile", "1.0"}}),
      Series(R"(go_gc_duration_seconds { quantile= "1.0", a= "b", })", 8.3835e-05,
             {{kName, gc}, {"a", "b"}, {"quantile", "1.0"}}),
      Series(R"(go_gc_duration_seconds { quantile = "1.0", a = "b" })", 8.3835e-05,
             {{kName, gc}, {"a", "b"}, {"quantile", "1.0"}}),
      Series("go_gc_duration_seconds_count", 99, {{kName, "go_gc_duration_seconds_count"}}),
      Series(R"(some:aggregate:rate5m{a_b="c"})", 1,
             {{kName, "some:aggregate:rate5m"}, {"a_b", "c"}}),
      Help("go_goroutines", "Number of goroutines that currently exist."),
      Type("go_goroutines", MetricType::kGauge),
      Series("go_goroutines", 33, {{kName, "go_goroutines"}}, 123123),
      Series("_metric_starting_with_underscore", 1, {{kName, "_metric_starting_with_underscore"}}),
      Series(R"(testmetric{_label_starting_with_underscore="foo"})", 1,
             {{kName, "testmetric"}, {"_label_starting_with_underscore", "foo"}}),
      Series(R"(testmetric{label="\"bar\""})", 1, {{kName, "testmetric"}, {"label", "\"bar\""}}),
      Help("metric", std::string("foo\0bar", 7)),
      Series(std::string("null_byte_metric{a=\"abc\0\"}", 26), 1,
             {{kName, "null_byte_metric"}, {"a", std::string("abc\0", 4)}}),
  };
  PromParser p(input);
  ExpectEntries(p, want);
}

struct ErrorCase {
  std::string input;
  std::string error;  // Prometheus's message; "" = parses to the end
};

std::string Nul(const char* a, const char* b) { return std::string(a) + '\0' + b; }

const std::vector<ErrorCase>& PrometheusErrorCases() {
  static const auto* cases = new std::vector<ErrorCase>{
      {"a", R"(expected value after metric, got "INVALID")"},
      {"a{b='c'} 1\n", R"(expected label value, got "INVALID")"},
      {"a{b=\n", R"(expected label value, got "INVALID")"},
      {"a{\xff=\"foo\"} 1\n", R"(expected label name, got "INVALID")"},
      {"a{b=\"\xff\"} 1\n", "invalid UTF-8 label value"},
      {"a true\n", R"(strconv.ParseFloat: parsing "true": invalid syntax)"},
      {"something_weird{problem=\"", R"(expected label value, got "INVALID")"},
      {"empty_label_name{=\"\"} 0", R"(expected label name, got "EQUAL")"},
      {"foo 1_2\n", "unsupported character in float"},
      {"foo 0x1p-3\n", "unsupported character in float"},
      {"foo 0x1P-3\n", "unsupported character in float"},
      {"foo 0 1_2\n", R"(expected next entry after timestamp, got "INVALID")"},
      {R"({a="ok"} 1)", R"("INVALID" is not a valid start token)"},
      {"# TYPE #\n#EOF\n", R"(expected metric name after TYPE, got "INVALID")"},
      {"# HELP #\n#EOF\n", R"(expected metric name after HELP, got "INVALID")"},
      // Null bytes (TestPromNullByteHandling).
      {Nul("null_byte_metric{a=\"abc", "\"} 1"), ""},
      {Nul("a{b=\"", "ss\"} 1\n"), ""},
      {Nul("a{b=\"", "\"} 1\n"), ""},
      {Nul("a{b=", "\"ssss\"} 1\n"), R"(expected label value, got "INVALID")"},
      {Nul("a{b=\"", ""), R"(expected label value, got "INVALID")"},
      {Nul("a{b", "=\"hiih\"}\t1"), R"(expected equal, got "INVALID")"},
      {Nul("a", "{b=\"ddd\"} 1"), R"(expected value after metric, got "INVALID")"},
      {Nul("a 0 1", ""), R"(expected next entry after timestamp, got "INVALID")"},
  };
  return *cases;
}

TEST(PromParserTest, PrometheusErrorCases) {
  for (const ErrorCase& c : PrometheusErrorCases()) {
    PromParser p(c.input);
    EXPECT_EQ(ErrorOf(p), c.error) << "input: " << ::testing::PrintToString(c.input);
  }
}

// Corners of promlex.l that promparse_test.go does not exercise, worked out from the
// automaton.
TEST(PromParserTest, LexerCornerCases) {
  const std::vector<ErrorCase> cases = {
      {"", ""},
      {"\n\n  \n\t\n", ""},
      {"a 1 2 3\n", R"(expected next entry after timestamp, got "TIMESTAMP")"},
      {"a 1 x\n", R"(expected timestamp or new record, got "INVALID")"},
      {"a 1 -5\n", R"(expected timestamp or new record, got "INVALID")"},
      {"a 1{\n", R"(expected timestamp or new record, got "INVALID")"},
      {"a 1 99999999999999999999\n",
       R"(strconv.ParseInt: parsing "99999999999999999999": value out of range)"},
      {"a 1e400\n", R"(strconv.ParseFloat: parsing "1e400": value out of range)"},
      {"a 1\r\n", R"(strconv.ParseFloat: parsing "1\r": invalid syntax)"},
      {"a 0x10\n", R"(strconv.ParseFloat: parsing "0x10": invalid syntax)"},
      {"a up\n", "unsupported character in float"},
      {"a{b=\"c\",,} 1\n", R"(expected label name, got "COMMA")"},
      {"a{b=\"c\\\n\"} 1\n", R"(expected label value, got "INVALID")"},
      {"a{b=\"c\"\n", R"(expected label name, got "INVALID")"},
      {"a{b} 1\n", R"(expected equal, got "BCLOSE")"},
      {"a{b=\"c\"} \n", R"(expected value after metric, got "INVALID")"},
      {"# TYPE a counter \n", R"(invalid metric type "counter ")"},
      {"# TYPE a histogramm\n", R"(invalid metric type "histogramm")"},
      {"# TYPE a gaugehistogram\n", R"(invalid metric type "gaugehistogram")"},
      {"# HELP a \xff\n", "help text is not a valid utf8 string"},
      {Nul("# HELP m", "x\n"), R"(linebreak expected after metadata, got "EOF")"},
      // A NUL where a token starts ends the body, in a "#..." comment too (promlex's \0 rule).
      {Nul("a 1\n", "b 2\n"), ""},
      {Nul("#x", "\nb c\n"), ""},
  };
  for (const ErrorCase& c : cases) {
    PromParser p(c.input);
    EXPECT_EQ(ErrorOf(p), c.error) << "input: " << ::testing::PrintToString(c.input);
  }
}

TEST(PromParserTest, AcceptedVariants) {
  const std::string input =
      "a{} 1\n"
      "b{x=\"1\"y=\"2\"} 2\n"                   // no comma needed between pairs
      "c{x=\"multi\nline\"} 3\n"                // a raw newline inside a value is kept
      "  d{x=\"\\\\ \\n \\\" \\t\"}  -Inf  \n"  // leading blanks, escapes, blanks around
      "e NaN 0\n"
      "f +inf\n"
      "g Infinity\n"
      "h .5e1\n"
      "i -0\n"
      "# TYPE m-counter\n"  // the first byte after the name is dropped, as in Prometheus
      "# HELP h  two  \\\\ \\n \\\" spaces\n"
      "# comment\twith tab\n"
      "#\tx\n";
  const std::vector<testutil::Want> want = {
      Series("a{}", 1, {{kName, "a"}}),
      Series("b{x=\"1\"y=\"2\"}", 2, {{kName, "b"}, {"x", "1"}, {"y", "2"}}),
      Series("c{x=\"multi\nline\"}", 3, {{kName, "c"}, {"x", "multi\nline"}}),
      Series("  d{x=\"\\\\ \\n \\\" \\t\"}", -std::numeric_limits<double>::infinity(),
             {{kName, "d"}, {"x", "\\ \n \" \\t"}}),
      Series("e", internal::NormalNaN(), {{kName, "e"}}, 0),
      Series("f", std::numeric_limits<double>::infinity(), {{kName, "f"}}),
      Series("g", std::numeric_limits<double>::infinity(), {{kName, "g"}}),
      Series("h", 5, {{kName, "h"}}),
      Series("i", -0.0, {{kName, "i"}}),
      Type("m", MetricType::kCounter),
      Help("h", " two  \\ \n \\\" spaces"),
      Comment("# comment\twith tab"),
      Comment("#\tx"),
  };
  PromParser p(input);
  ExpectEntries(p, want);
}

TEST(PromParserTest, DuplicateLabelNamesAreKeptForTheScrapeLayer) {
  PromParser p("a{x=\"1\",x=\"2\",__name__=\"z\"} 1\n");
  ASSERT_EQ(*p.Next(), Entry::kSeries);
  const std::vector<labels::Label> want = {{kName, "a"}, {kName, "z"}, {"x", "1"}, {"x", "2"}};
  EXPECT_EQ(p.Metric(), want);
}

TEST(PromParserTest, ErrorsNameTheLineAndStick) {
  PromParser p("# HELP a x\na 1\n\n\nb{c=d} 1\nc 1\n");
  int line = 0;
  EXPECT_EQ(ErrorOf(p, &line), R"(expected label value, got "INVALID")");
  EXPECT_EQ(line, 5);
  const absl::StatusOr<Entry> again = p.Next();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.status().message(), R"(line 5: expected label value, got "INVALID")");
}

TEST(PromParserTest, EndIsSticky) {
  PromParser p("a 1");
  ASSERT_EQ(*p.Next(), Entry::kSeries);
  EXPECT_EQ(*p.Next(), Entry::kEOF);
  EXPECT_EQ(*p.Next(), Entry::kEOF);
  EXPECT_FALSE(p.GetExemplar().has_value());
}

}  // namespace
}  // namespace argus::textparse
