#include "model/labels/matcher.h"

#include "gtest/gtest.h"
#include "re2/re2.h"

namespace argus::labels {
namespace {

Matcher M(MatchType t, const std::string& n, const std::string& v) {
  absl::StatusOr<Matcher> m = Matcher::Create(t, n, v);
  EXPECT_TRUE(m.ok()) << m.status();
  return *m;
}

TEST(MatcherTest, EqualityAndInequality) {
  EXPECT_TRUE(M(MatchType::kEqual, "a", "x").Matches("x"));
  EXPECT_FALSE(M(MatchType::kEqual, "a", "x").Matches("xy"));
  EXPECT_TRUE(M(MatchType::kNotEqual, "a", "x").Matches(""));
  EXPECT_FALSE(M(MatchType::kNotEqual, "a", "x").Matches("x"));
}

// Each regex is checked through its fast path (if any) and against the plain RE2 answer.
TEST(MatcherTest, RegexesAreAnchoredAndFastPathsAgreeWithRe2) {
  const std::vector<std::string> regexes = {"foo", "foo|bar", "fo.*", ".*",     ".+",     "f(o)+",
                                            "",    "a|",      "x.*",  "[a-c]+", "(?i)FOO"};
  const std::vector<std::string> inputs = {"",     "foo", "bar",  "foobar", "xfoo", "fo",
                                           "fo\n", "\n",  "x\ny", "abc",    "a",    "FoO"};
  for (const std::string& re : regexes) {
    Matcher m = M(MatchType::kRegexMatch, "l", re);
    Matcher n = M(MatchType::kRegexNoMatch, "l", re);
    RE2 slow("^(?:" + re + ")$");
    for (const std::string& in : inputs) {
      const bool want = RE2::FullMatch(in, slow);
      EXPECT_EQ(m.Matches(in), want) << re << " on " << in;
      EXPECT_EQ(n.Matches(in), !want) << re << " on " << in;
      EXPECT_EQ(m.Inverse().Matches(in), !want) << re << " on " << in;
    }
  }
}

TEST(MatcherTest, SetMatchesListLiteralAlternatives) {
  EXPECT_EQ(M(MatchType::kRegexMatch, "a", "b|a|b").SetMatches(),
            (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(M(MatchType::kEqual, "a", "v").SetMatches(), std::vector<std::string>{"v"});
  EXPECT_TRUE(M(MatchType::kRegexMatch, "a", "a.b").SetMatches().empty());
  EXPECT_TRUE(M(MatchType::kRegexNoMatch, "a", "a|b").SetMatches().empty());
  EXPECT_EQ(M(MatchType::kRegexNoMatch, "a", "a|b").Inverse().SetMatches(),
            (std::vector<std::string>{"a", "b"}));
}

TEST(MatcherTest, BadRegexIsAnError) {
  absl::StatusOr<Matcher> m = Matcher::Create(MatchType::kRegexMatch, "a", "(");
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().code(), absl::StatusCode::kInvalidArgument);
  // labels.NewMatcher's error: the regexp package's alone.
  EXPECT_EQ(m.status().message(), "error parsing regexp: missing closing ): `^(?:()$`");
}

TEST(MatcherTest, PrintsAsPrometheus) {
  EXPECT_EQ(M(MatchType::kRegexNoMatch, "job", "a\"b").ToString(), "job!~\"a\\\"b\"");
  EXPECT_EQ(M(MatchType::kEqual, "__name__", "up").ToString(), "__name__=\"up\"");
}

}  // namespace
}  // namespace argus::labels
