#include "http/api/v1/params.h"

#include <map>

#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace argus::http::api {
namespace {

using ::testing::HasSubstr;

class FakeRequest : public Request {
 public:
  explicit FakeRequest(std::map<std::string, std::string> params) : params_(std::move(params)) {}
  absl::string_view method() const override { return "GET"; }
  absl::string_view path() const override { return "/"; }
  absl::string_view body() const override { return ""; }
  bool HasParam(absl::string_view n) const override { return params_.count(std::string(n)); }
  std::string Param(absl::string_view n) const override {
    auto it = params_.find(std::string(n));
    return it == params_.end() ? "" : it->second;
  }
  std::vector<std::string> Params(absl::string_view n) const override {
    if (!HasParam(n)) return {};
    return {Param(n)};
  }
  std::string Header(absl::string_view) const override { return ""; }
  std::string PathParam(size_t) const override { return ""; }

 private:
  std::map<std::string, std::string> params_;
};

int64_t T(absl::string_view s) {
  absl::StatusOr<int64_t> t = ParseTime(s);
  EXPECT_TRUE(t.ok()) << s << ": " << t.status();
  return t.value_or(-1);
}

TEST(ParamsTest, FloatTimes) {
  EXPECT_EQ(T("0"), 0);
  EXPECT_EQ(T("1435781451.781"), 1435781451781);
  EXPECT_EQ(T("1435781451"), 1435781451000);
  EXPECT_EQ(T("1.0006"), 1001);  // rounded to the millisecond
  EXPECT_EQ(T("1.0005"), 1000);  // as in Go: the double is just below 1.0005
  EXPECT_EQ(T("2.9996"), 3000);
  EXPECT_EQ(T("-1.5"), -1500);
  EXPECT_EQ(T("-0.001"), -1);
  EXPECT_EQ(T("+2"), 2000);
  EXPECT_EQ(T("1e3"), 1000000);
  EXPECT_EQ(T(".5"), 500);
}

TEST(ParamsTest, Rfc3339Times) {
  EXPECT_EQ(T("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(T("2015-07-01T20:10:51.781Z"), 1435781451781);
  EXPECT_EQ(T("2015-07-01T20:10:51.7819999Z"), 1435781451781);  // truncated
  EXPECT_EQ(T("2015-07-01T22:10:51.781+02:00"), 1435781451781);
  EXPECT_EQ(T("2015-07-01T19:40:51-00:30"), 1435781451000);
  EXPECT_EQ(T("1969-12-31T23:59:59.5Z"), -500);
  EXPECT_EQ(T("2016-02-29T00:00:00Z"), 1456704000000);
}

TEST(ParamsTest, SentinelTimes) {
  EXPECT_EQ(T(kMinTimeFormatted), kMinTimeMs);
  EXPECT_EQ(T(kMaxTimeFormatted), kMaxTimeMs);
  // The max sentinel is the instant its string names. (Go's calendar is 1000 s off at the min
  // one's year, so that string is Go's and not the proleptic Gregorian date.)
  const absl::Time max = absl::FromUnixSeconds(kMaxTimeMs / 1000) + absl::Nanoseconds(999999999);
  EXPECT_EQ(absl::FormatTime("%Y-%m-%d%ET%H:%M:%E*SZ", max, absl::UTCTimeZone()),
            kMaxTimeFormatted);
}

TEST(ParamsTest, BadTimes) {
  for (const char* bad :
       {"", "abc", "1.5.5", "2015-07-01", "2015-07-01T20:10:51", "+-1", "++1",
        "2015-13-01T00:00:00Z", "2015-02-29T00:00:00Z", "2015-07-01T24:00:00Z",
        "2015-07-01T20:10:60Z", "15-07-01T20:10:51Z", "2015-07-01 20:10:51Z", "NaN", "Inf", "1e400",
        "2015-07-01T20:10:51.1234567890Z", "2015-07-01T20:10:51+0200"}) {
    absl::StatusOr<int64_t> t = ParseTime(bad);
    EXPECT_FALSE(t.ok()) << bad << " gave " << *t;
  }
  EXPECT_EQ(ParseTime("abc").status().message(), "cannot parse \"abc\" to a valid timestamp");
}

TEST(ParamsTest, Durations) {
  EXPECT_EQ(*ParseDuration("15"), absl::Seconds(15));
  EXPECT_EQ(*ParseDuration("0.5"), absl::Milliseconds(500));
  // strconv.ParseFloat's other forms: hexadecimal and '_' between digits.
  EXPECT_EQ(*ParseDuration("0x1p4"), absl::Seconds(16));
  EXPECT_EQ(*ParseDuration("1_0"), absl::Seconds(10));
  EXPECT_EQ(*ParseDuration("0.0001"), absl::Microseconds(100));
  EXPECT_EQ(*ParseDuration("-3"), absl::Seconds(-3));
  EXPECT_EQ(*ParseDuration("5m"), absl::Minutes(5));
  EXPECT_EQ(*ParseDuration("1h30m"), absl::Minutes(90));
  EXPECT_EQ(*ParseDuration("1d"), absl::Hours(24));
  EXPECT_EQ(*ParseDuration("0"), absl::ZeroDuration());
  EXPECT_EQ(ParseDuration("1x").status().message(), "cannot parse \"1x\" to a valid duration");
  EXPECT_EQ(ParseDuration("").status().message(), "cannot parse \"\" to a valid duration");
  EXPECT_EQ(ParseDuration("1e10").status().message(),
            "cannot parse \"1e10\" to a valid duration. It overflows int64");
  EXPECT_FALSE(ParseDuration("Inf").ok());
}

TEST(ParamsTest, TimeParam) {
  FakeRequest req({{"start", "10"}, {"end", "x"}, {"time", ""}});
  EXPECT_EQ(*TimeParam(req, "start", 7), 10000);
  EXPECT_EQ(*TimeParam(req, "time", 7), 7);
  EXPECT_EQ(*TimeParam(req, "absent", kMinTimeMs), kMinTimeMs);
  absl::StatusOr<int64_t> bad = TimeParam(req, "end", 0);
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(absl::IsInvalidArgument(bad.status()));
  EXPECT_EQ(bad.status().message(),
            "invalid parameter \"end\": Invalid time value for 'end': cannot parse \"x\" to a "
            "valid timestamp");
  EXPECT_THAT(InvalidParam(absl::InvalidArgumentError("1:2: parse error"), "query").message(),
              HasSubstr("invalid parameter \"query\": 1:2: parse error"));
}

}  // namespace
}  // namespace argus::http::api
