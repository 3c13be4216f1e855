// The OpenMetrics parser against the cases of Prometheus v2.42's openmetricsparse_test.go
// (same inputs and expectations, restated as data) plus corners of openmetricslex.l.
#include "model/textparse/openmetricsparse.h"

#include <limits>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "model/textparse/textparse_test_util.h"

namespace argus::textparse {
namespace {

using testutil::ErrorOf;
using testutil::ExpectEntries;
using testutil::Help;
using testutil::Series;
using testutil::Type;
using testutil::Unit;

constexpr char kName[] = "__name__";

Exemplar Ex(std::vector<labels::Label> ls, double v, std::optional<int64_t> ts = std::nullopt) {
  return Exemplar{std::move(ls), v, ts};
}

TEST(OpenMetricsParserTest, PrometheusParseCase) {
  std::string input = R"(# HELP go_gc_duration_seconds A summary of the GC invocation durations.
# TYPE go_gc_duration_seconds summary
# UNIT go_gc_duration_seconds seconds
go_gc_duration_seconds{quantile="0"} 4.9351e-05
go_gc_duration_seconds{quantile="0.25"} 7.424100000000001e-05
go_gc_duration_seconds{quantile="0.5",a="b"} 8.3835e-05
# HELP nohelp1 
# HELP help2 escape \ \n \\ \" \x chars
# UNIT nounit 
go_gc_duration_seconds{quantile="1.0",a="b"} 8.3835e-05
go_gc_duration_seconds_count 99
some:aggregate:rate5m{a_b="c"} 1
# HELP go_goroutines Number of goroutines that currently exist.
# TYPE go_goroutines gauge
go_goroutines 33 123.123
# TYPE hh histogram
hh_bucket{le="+Inf"} 1
# TYPE gh gaugehistogram
gh_bucket{le="+Inf"} 1
# TYPE hhh histogram
hhh_bucket{le="+Inf"} 1 # {aa="bb"} 4
# TYPE ggh gaugehistogram
ggh_bucket{le="+Inf"} 1 # {cc="dd",xx="yy"} 4 123.123
# TYPE ii info
ii{foo="bar"} 1
# TYPE ss stateset
ss{ss="foo"} 1
ss{ss="bar"} 0
ss{A="a"} 0
# TYPE un unknown
_metric_starting_with_underscore 1
testmetric{_label_starting_with_underscore="foo"} 1
testmetric{label="\"bar\""} 1
# TYPE foo counter
foo_total 17.0 1520879607.789 # {xx="yy"} 5)";
  input += "\n# HELP metric foo";
  input += std::string(1, '\0') + "bar";
  input += "\nnull_byte_metric{a=\"abc";
  input += std::string(1, '\0') + "\"} 1";
  input += "\n# EOF\n";

  const std::string gc = "go_gc_duration_seconds";
  const std::vector<testutil::Want> want = {
      Help(gc, "A summary of the GC invocation durations."),
      Type(gc, MetricType::kSummary),
      Unit(gc, "seconds"),
      Series(R"(go_gc_duration_seconds{quantile="0"})", 4.9351e-05,
             {{kName, gc}, {"quantile", "0"}}),
      Series(R"(go_gc_duration_seconds{quantile="0.25"})", 7.424100000000001e-05,
             {{kName, gc}, {"quantile", "0.25"}}),
      Series(R"(go_gc_duration_seconds{quantile="0.5",a="b"})", 8.3835e-05,
             {{kName, gc}, {"a", "b"}, {"quantile", "0.5"}}),
      Help("nohelp1", ""),
      Help("help2", "escape \\ \n \\ \" \\x chars"),
      Unit("nounit", ""),
      Series(R"(go_gc_duration_seconds{quantile="1.0",a="b"})", 8.3835e-05,
             {{kName, gc}, {"a", "b"}, {"quantile", "1.0"}}),
      Series("go_gc_duration_seconds_count", 99, {{kName, "go_gc_duration_seconds_count"}}),
      Series(R"(some:aggregate:rate5m{a_b="c"})", 1,
             {{kName, "some:aggregate:rate5m"}, {"a_b", "c"}}),
      Help("go_goroutines", "Number of goroutines that currently exist."),
      Type("go_goroutines", MetricType::kGauge),
      Series("go_goroutines", 33, {{kName, "go_goroutines"}}, 123123),
      Type("hh", MetricType::kHistogram),
      Series(R"(hh_bucket{le="+Inf"})", 1, {{kName, "hh_bucket"}, {"le", "+Inf"}}),
      Type("gh", MetricType::kGaugeHistogram),
      Series(R"(gh_bucket{le="+Inf"})", 1, {{kName, "gh_bucket"}, {"le", "+Inf"}}),
      Type("hhh", MetricType::kHistogram),
      Series(R"(hhh_bucket{le="+Inf"})", 1, {{kName, "hhh_bucket"}, {"le", "+Inf"}}, std::nullopt,
             Ex({{"aa", "bb"}}, 4)),
      Type("ggh", MetricType::kGaugeHistogram),
      Series(R"(ggh_bucket{le="+Inf"})", 1, {{kName, "ggh_bucket"}, {"le", "+Inf"}}, std::nullopt,
             Ex({{"cc", "dd"}, {"xx", "yy"}}, 4, 123123)),
      Type("ii", MetricType::kInfo),
      Series(R"(ii{foo="bar"})", 1, {{kName, "ii"}, {"foo", "bar"}}),
      Type("ss", MetricType::kStateset),
      Series(R"(ss{ss="foo"})", 1, {{kName, "ss"}, {"ss", "foo"}}),
      Series(R"(ss{ss="bar"})", 0, {{kName, "ss"}, {"ss", "bar"}}),
      Series(R"(ss{A="a"})", 0, {{"A", "a"}, {kName, "ss"}}),
      Type("un", MetricType::kUnknown),
      Series("_metric_starting_with_underscore", 1, {{kName, "_metric_starting_with_underscore"}}),
      Series(R"(testmetric{_label_starting_with_underscore="foo"})", 1,
             {{kName, "testmetric"}, {"_label_starting_with_underscore", "foo"}}),
      Series(R"(testmetric{label="\"bar\""})", 1, {{kName, "testmetric"}, {"label", "\"bar\""}}),
      Type("foo", MetricType::kCounter),
      Series("foo_total", 17, {{kName, "foo_total"}}, 1520879607789, Ex({{"xx", "yy"}}, 5)),
      Help("metric", std::string("foo\0bar", 7)),
      Series(std::string("null_byte_metric{a=\"abc\0\"}", 26), 1,
             {{kName, "null_byte_metric"}, {"a", std::string("abc\0", 4)}}),
  };
  OpenMetricsParser p(input);
  ExpectEntries(p, want);
}

struct ErrorCase {
  std::string input;
  std::string error;  // Prometheus's message; "" = parses to # EOF
};

std::string Nul(const char* a, const char* b) { return std::string(a) + '\0' + b; }

const std::vector<ErrorCase>& PrometheusErrorCases() {
  static const auto* cases = new std::vector<ErrorCase>{
      {"# EOF", ""},
      {"# EOF\n", ""},
      {"", "data does not end with # EOF"},
      {"\n", R"("INVALID" "\n" is not a valid start token)"},
      {"metric", R"(expected value after metric, got "EOF")"},
      {"metric 1", "data does not end with # EOF"},
      {"metric 1\n", "data does not end with # EOF"},
      {"metric_total 1 # {aa=\"bb\"} 4", "data does not end with # EOF"},
      {"a\n#EOF\n", R"(expected value after metric, got "INVALID")"},
      {"\n\n#EOF\n", R"("INVALID" "\n" is not a valid start token)"},
      {" a 1\n#EOF\n", R"("INVALID" " " is not a valid start token)"},
      {"9\n#EOF\n", R"("INVALID" "9" is not a valid start token)"},
      {"# TYPE u untyped\n#EOF\n", R"(invalid metric type "untyped")"},
      {"# TYPE c counter \n#EOF\n", R"(invalid metric type "counter ")"},
      {"#  TYPE c counter\n#EOF\n", R"("INVALID" " " is not a valid start token)"},
      {"# TYPE \n#EOF\n", R"(expected metric name after TYPE, got "INVALID")"},
      {"# TYPE m\n#EOF\n", "expected text in TYPE"},
      {"# UNIT metric suffix\n#EOF\n", R"(unit not a suffix of metric "metric")"},
      {"# UNIT metricsuffix suffix\n#EOF\n", R"(unit not a suffix of metric "metricsuffix")"},
      {"# UNIT m suffix\n#EOF\n", R"(unit not a suffix of metric "m")"},
      {"# UNIT \n#EOF\n", R"(expected metric name after UNIT, got "INVALID")"},
      {"# UNIT m\n#EOF\n", "expected text in UNIT"},
      {"# HELP \n#EOF\n", R"(expected metric name after HELP, got "INVALID")"},
      {"# HELP m\n#EOF\n", "expected text in HELP"},
      {"a\t1\n#EOF\n", R"(expected value after metric, got "INVALID")"},
      {"a 1\t2\n#EOF\n", R"(strconv.ParseFloat: parsing "1\t2": invalid syntax)"},
      {"a 1 2 \n#EOF\n", R"(expected next entry after timestamp, got "INVALID")"},
      {"a 1 2 #\n#EOF\n", R"(expected next entry after timestamp, got "TIMESTAMP")"},
      {"a 1 1z\n#EOF\n", R"(strconv.ParseFloat: parsing "1z": invalid syntax)"},
      {" # EOF\n", R"("INVALID" " " is not a valid start token)"},
      {"# EOF\na 1", "unexpected data after # EOF"},
      {"# EOF\n\n", "unexpected data after # EOF"},
      {"# EOFa 1", "unexpected data after # EOF"},
      {"#\tTYPE c counter\n", R"("INVALID" "\t" is not a valid start token)"},
      {"# TYPE c  counter\n", R"(invalid metric type " counter")"},
      {"a 1 1 1\n# EOF\n", R"(expected next entry after timestamp, got "TIMESTAMP")"},
      {"a{b='c'} 1\n# EOF\n", R"(expected label value, got "INVALID")"},
      {"a{b=\"c\",} 1\n# EOF\n", R"(expected label name, got "BCLOSE")"},
      {"a{,b=\"c\"} 1\n# EOF\n", R"(expected label name or left brace, got "COMMA")"},
      {"a{b=\"c\"d=\"e\"} 1\n# EOF\n", R"(expected comma, got "LNAME")"},
      {"a{b=\"c\",,d=\"e\"} 1\n# EOF\n", R"(expected label name, got "COMMA")"},
      {"a{b=\n# EOF\n", R"(expected label value, got "INVALID")"},
      {"a{\xff=\"foo\"} 1\n# EOF\n", R"(expected label name or left brace, got "INVALID")"},
      {"a{b=\"\xff\"} 1\n# EOF\n", "invalid UTF-8 label value"},
      {"a true\n", R"(strconv.ParseFloat: parsing "true": invalid syntax)"},
      {"something_weird{problem=\"\n# EOF\n", R"(expected label value, got "INVALID")"},
      {"empty_label_name{=\"\"} 0\n# EOF\n", R"(expected label name or left brace, got "EQUAL")"},
      {"foo 1_2\n\n# EOF\n", "unsupported character in float"},
      {"foo 0x1p-3\n\n# EOF\n", "unsupported character in float"},
      {"foo 0x1P-3\n\n# EOF\n", "unsupported character in float"},
      {"foo 0 1_2\n\n# EOF\n", "unsupported character in float"},
      {"custom_metric_total 1 # {aa=bb}\n# EOF\n", R"(expected label value, got "INVALID")"},
      {"custom_metric_total 1 # {aa=\"bb\"}\n# EOF\n",
       R"(expected value after exemplar labels, got "INVALID")"},
      {R"(custom_metric_total 1 # {aa="bb"})",
       R"(expected value after exemplar labels, got "EOF")"},
      {R"(custom_metric 1 # {aa="bb"})", "metric name custom_metric does not support exemplars"},
      {R"(custom_metric_total 1 # {aa="bb",,cc="dd"} 1)", R"(expected label name, got "COMMA")"},
      {R"(custom_metric_total 1 # {aa="bb"} 1_2)", "unsupported character in float"},
      {R"(custom_metric_total 1 # {aa="bb"} 0x1p-3)", "unsupported character in float"},
      {R"(custom_metric_total 1 # {aa="bb"} true)",
       R"(strconv.ParseFloat: parsing "true": invalid syntax)"},
      {R"(custom_metric_total 1 # {aa="bb",cc=})", R"(expected label value, got "INVALID")"},
      {"custom_metric_total 1 # {aa=\\\"\xff\\\"} 9.0", R"(expected label value, got "INVALID")"},
      {R"({b="c",} 1)", R"("INVALID" "{" is not a valid start token)"},
      {"a 1 NaN", "invalid timestamp"},
      {"a 1 -Inf", "invalid timestamp"},
      {"a 1 Inf", "invalid timestamp"},
      {"# TYPE hhh histogram\nhhh_bucket{le=\"+Inf\"} 1 # {aa=\"bb\"} 4 NaN",
       "invalid exemplar timestamp"},
      {"# TYPE hhh histogram\nhhh_bucket{le=\"+Inf\"} 1 # {aa=\"bb\"} 4 -Inf",
       "invalid exemplar timestamp"},
      {"# TYPE hhh histogram\nhhh_bucket{le=\"+Inf\"} 1 # {aa=\"bb\"} 4 Inf",
       "invalid exemplar timestamp"},
      // Null bytes (TestOMNullByteHandling).
      {Nul("null_byte_metric{a=\"abc", "\"} 1\n# EOF\n"), ""},
      {Nul("a{b=\"", "ss\"} 1\n# EOF\n"), ""},
      {Nul("a{b=\"", "\"} 1\n# EOF\n"), ""},
      {Nul("a{b=\"", "\"} 1\n# EOF"), ""},
      {Nul("a{b=", "\"ssss\"} 1\n# EOF\n"), R"(expected label value, got "INVALID")"},
      {Nul("a{b=\"", ""), R"(expected label value, got "INVALID")"},
      {Nul("a{b", "=\"hiih\"}\t1"), R"(expected equal, got "INVALID")"},
      {Nul("a", "{b=\"ddd\"} 1"), R"(expected value after metric, got "INVALID")"},
      {"#", R"("INVALID" " " is not a valid start token)"},
      {"# H", R"("INVALID" " " is not a valid start token)"},
      {Nul("custom_metric_total 1 # {b=", "\"ssss\"} 1\n"),
       R"(expected label value, got "INVALID")"},
      {Nul("custom_metric_total 1 # {b=\"", "ss\"} 1\n"), R"(expected label value, got "INVALID")"},
  };
  return *cases;
}

TEST(OpenMetricsParserTest, PrometheusErrorCases) {
  for (const ErrorCase& c : PrometheusErrorCases()) {
    OpenMetricsParser p(c.input);
    EXPECT_EQ(ErrorOf(p), c.error) << "input: " << ::testing::PrintToString(c.input);
  }
}

// Corners of openmetricslex.l and openmetricsparse.go beyond the upstream tests.
TEST(OpenMetricsParserTest, LexerCornerCases) {
  const std::vector<ErrorCase> cases = {
      {"# comment\n# EOF\n", R"("INVALID" "c" is not a valid start token)"},
      {"# EOF\n# EOF\n", "unexpected data after # EOF"},
      {"a{} 1\n# EOF\n", ""},
      {"a{b=\"c\"}  1\n# EOF\n", R"(expected value after metric, got "INVALID")"},
      {"a{b=\"x\ny\"} 1\n# EOF\n", R"(expected label value, got "INVALID")"},
      {"a 1 # x\n# EOF\n", R"(expected timestamp or # symbol, got "INVALID")"},
      {"a 1 #x\n# EOF\n", R"(strconv.ParseFloat: parsing "#x": invalid syntax)"},
      {"a_total 1 # {} 2\n# EOF\n", ""},
      {"a_total 1 # {x=\"y\"} 2 3 4\n# EOF\n",
       R"(expected next entry after exemplar timestamp, got "TIMESTAMP")"},
      {"a_total 1 # {x=\"y\"} 2 \n# EOF\n", R"(expected timestamp or comment, got "INVALID")"},
      {"a_total 1 # {x=\"y\"}\"z\" 2\n# EOF\n",
       R"(expected value after exemplar labels, got "LVALUE")"},
      {"a 1 1e400\n# EOF\n", R"(strconv.ParseFloat: parsing "1e400": value out of range)"},
      {"# HELP a \xff\n# EOF\n", "help text is not a valid utf8 string"},
      {"# UNIT a_b b\n# EOF\n", ""},
      {"# TYPE a untyped\n# EOF\n", R"(invalid metric type "untyped")"},
      {"\xc3\n", R"("INVALID" "Ã" is not a valid start token)"},
  };
  for (const ErrorCase& c : cases) {
    OpenMetricsParser p(c.input);
    EXPECT_EQ(ErrorOf(p), c.error) << "input: " << ::testing::PrintToString(c.input);
  }
}

TEST(OpenMetricsParserTest, TimestampsAndExemplars) {
  const std::string input =
      "a 1 -1.5\n"
      "b 2 1e30\n"  // past int64 milliseconds: Go's conversion gives MinInt64 on amd64
      "c_total 3 0.0019 # {trace_id=\"a\\\"b\",span=\"s\"} -2.5 1.0009\n"
      "d_bucket{le=\"1\"} 4 # {} NaN\n"
      "e NaN\n"
      "# EOF\n";
  const std::vector<testutil::Want> want = {
      Series("a", 1, {{kName, "a"}}, -1500),
      Series("b", 2, {{kName, "b"}}, std::numeric_limits<int64_t>::min()),
      // Exemplar label values stay escaped, as v2.42's Exemplar() leaves them.
      Series("c_total", 3, {{kName, "c_total"}}, 1,
             Ex({{"span", "s"}, {"trace_id", "a\\\"b"}}, -2.5, 1000)),
      Series("d_bucket{le=\"1\"}", 4, {{kName, "d_bucket"}, {"le", "1"}}, std::nullopt,
             Ex({}, std::numeric_limits<double>::quiet_NaN())),
      Series("e", std::numeric_limits<double>::quiet_NaN(), {{kName, "e"}}),
  };
  OpenMetricsParser p(input);
  // NaN exemplar values never compare equal; check that entry by hand.
  std::vector<testutil::Want> head(want.begin(), want.begin() + 3);
  for (const testutil::Want& w : head) {
    ASSERT_EQ(*p.Next(), Entry::kSeries);
    EXPECT_EQ(p.Series().series, w.metric);
    EXPECT_EQ(p.Series().timestamp_ms, w.ts);
    EXPECT_EQ(p.Metric(), w.labels);
    const std::optional<Exemplar> e = p.GetExemplar();
    ASSERT_EQ(e.has_value(), w.exemplar.has_value());
    if (e) {
      EXPECT_EQ(e->labels, w.exemplar->labels);
      EXPECT_EQ(e->value, w.exemplar->value);
      EXPECT_EQ(e->timestamp_ms, w.exemplar->timestamp_ms);
    }
  }
  ASSERT_EQ(*p.Next(), Entry::kSeries);
  ASSERT_TRUE(p.GetExemplar().has_value());
  EXPECT_TRUE(std::isnan(p.GetExemplar()->value));
  EXPECT_TRUE(p.GetExemplar()->labels.empty());
  ASSERT_EQ(*p.Next(), Entry::kSeries);
  EXPECT_TRUE(std::isnan(p.Series().value));
  EXPECT_FALSE(p.GetExemplar().has_value());
  EXPECT_EQ(*p.Next(), Entry::kEOF);
}

TEST(OpenMetricsParserTest, ErrorsNameTheLine) {
  OpenMetricsParser p("# TYPE a gauge\na 1\na 2 x\n# EOF\n");
  int line = 0;
  EXPECT_EQ(ErrorOf(p, &line), R"(strconv.ParseFloat: parsing "x": invalid syntax)");
  EXPECT_EQ(line, 3);
}

}  // namespace
}  // namespace argus::textparse
