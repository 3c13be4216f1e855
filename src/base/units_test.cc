#include "base/units.h"

#include <cstdint>

#include "gtest/gtest.h"

namespace argus {
namespace {

TEST(UnitsTest, PrometheusDurations) {
  EXPECT_EQ(*ParsePromDuration("15d"), 15LL * 24 * 3600 * 1000);
  EXPECT_EQ(*ParsePromDuration("1h30m"), 5400000);
  EXPECT_EQ(*ParsePromDuration("2h"), 7200000);
  EXPECT_EQ(*ParsePromDuration("500ms"), 500);
  EXPECT_EQ(*ParsePromDuration("1m500ms"), 60500);
  EXPECT_EQ(*ParsePromDuration("1y1w"), (365LL + 7) * 24 * 3600 * 1000);
  EXPECT_EQ(*ParsePromDuration("0"), 0);
  for (const char* bad : {"", "h", "1", "1.5h", "30m1h", "1h1h", "-1h", "1x", "1hm"}) {
    EXPECT_FALSE(ParsePromDuration(bad).ok()) << bad;
  }
  EXPECT_EQ(ParsePromDuration("1x").status().message(), "not a valid duration string: \"1x\"");
  EXPECT_EQ(FormatPromDuration(5400000), "1h30m");
  EXPECT_EQ(FormatPromDuration(15LL * 24 * 3600 * 1000), "15d");
  EXPECT_EQ(FormatPromDuration(14LL * 24 * 3600 * 1000), "2w");
  EXPECT_EQ(FormatPromDuration(365LL * 24 * 3600 * 1000), "1y");
  EXPECT_EQ(FormatPromDuration((372LL * 24 * 3600 + 1) * 1000), "372d1s");
  EXPECT_EQ(FormatPromDuration(0), "0s");
}

TEST(UnitsTest, Base2Bytes) {
  EXPECT_EQ(*ParseBytes("512MB"), 512LL << 20);
  EXPECT_EQ(*ParseBytes("1GiB"), 1LL << 30);
  EXPECT_EQ(*ParseBytes("100B"), 100);
  EXPECT_EQ(*ParseBytes("0B"), 0);
  EXPECT_FALSE(ParseBytes("12").ok());
  EXPECT_FALSE(ParseBytes("MB").ok());
  EXPECT_FALSE(ParseBytes("1.5GB").ok());
  EXPECT_FALSE(ParseBytes("99999999999EB").ok());
}

// As units.Base2Bytes(n).String() prints.
TEST(UnitsTest, FormatBytes) {
  EXPECT_EQ(FormatBytes(0), "0B");
  EXPECT_EQ(FormatBytes(512), "512B");
  EXPECT_EQ(FormatBytes(1024), "1KiB");
  EXPECT_EQ(FormatBytes(1025), "1KiB1B");
  EXPECT_EQ(FormatBytes((1LL << 30) + (512LL << 20)), "1GiB512MiB");
  EXPECT_EQ(FormatBytes((1LL << 30) + 512), "1GiB512B");
  EXPECT_EQ(FormatBytes(7LL << 60), "7EiB");
  EXPECT_EQ(FormatBytes(INT64_MAX), "7EiB1023PiB1023TiB1023GiB1023MiB1023KiB1023B");
  EXPECT_EQ(FormatBytes(-1), "-1B");
  EXPECT_EQ(FormatBytes(-2048), "-2KiB");
}

// As Thanos's model.TimeOrDuration: RFC 3339, or a duration relative to now.
TEST(UnitsTest, TimeOrDuration) {
  const absl::Time now = absl::FromUnixMillis(1'700'000'000'000);
  EXPECT_EQ(TimeOrDuration::Parse("-2h")->UnixMillis(now), 1'700'000'000'000 - 7'200'000);
  EXPECT_EQ(TimeOrDuration::Parse("1d")->UnixMillis(now), 1'700'000'000'000 + 86'400'000);
  EXPECT_EQ(TimeOrDuration::Parse("2023-11-14T22:13:20Z")->UnixMillis(now), 1'700'000'000'000);
  EXPECT_EQ(TimeOrDuration::Parse("0000-01-01T00:00:00Z")->UnixMillis(now), -62'167'219'200'000);
  for (const char* bad : {"", "yesterday", "-2023-11-14T22:13:20Z", "2h-"}) {
    absl::StatusOr<TimeOrDuration> t = TimeOrDuration::Parse(bad);
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace argus
