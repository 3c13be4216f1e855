#include "base/ulid.h"

#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace argus {
namespace {

TEST(UlidTest, RoundTrip) {
  UlidGenerator gen(42);
  for (uint64_t t : {0ull, 1ull, 1469918176385ull, (1ull << 48) - 1}) {
    Ulid u = gen.Next(t);
    std::string s = u.ToString();
    ASSERT_EQ(s.size(), 26u);
    absl::StatusOr<Ulid> parsed = Ulid::Parse(s);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed, u);
    EXPECT_EQ(parsed->TimeMs(), u.TimeMs());
  }
}

TEST(UlidTest, KnownEncoding) {
  // The example from the ULID specification: time 1469918176385 -> "01ARYZ6S41".
  Ulid u = Ulid::FromParts(1469918176385ull, {});
  EXPECT_EQ(u.ToString().substr(0, 10), "01ARYZ6S41");
  EXPECT_EQ(u.ToString().substr(10), "0000000000000000");
  absl::StatusOr<Ulid> p = Ulid::Parse("01ARYZ6S41TSV4RRFFQ69G5FAV");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->TimeMs(), 1469918176385ull);
  EXPECT_EQ(p->ToString(), "01ARYZ6S41TSV4RRFFQ69G5FAV");
  // Lower case parses to the same value.
  EXPECT_EQ(*Ulid::Parse("01aryz6s41tsv4rrffq69g5fav"), *p);
}

TEST(UlidTest, StringOrderIsTimeOrderAndStrictlyMonotonic) {
  UlidGenerator gen(7);
  std::vector<Ulid> ids;
  for (uint64_t t = 1000; t < 1010; ++t) {
    for (int i = 0; i < 50; ++i) ids.push_back(gen.Next(t));  // many in one millisecond
  }
  for (size_t i = 1; i < ids.size(); ++i) {
    EXPECT_LT(ids[i - 1], ids[i]);
    EXPECT_LT(ids[i - 1].ToString(), ids[i].ToString());
    EXPECT_LE(ids[i - 1].TimeMs(), ids[i].TimeMs());
  }
  std::set<std::string> unique;
  for (const Ulid& u : ids) unique.insert(u.ToString());
  EXPECT_EQ(unique.size(), ids.size());
}

TEST(UlidTest, ParseErrors) {
  EXPECT_EQ(Ulid::Parse("").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(Ulid::Parse("01ARYZ6S41TSV4RRFFQ69G5FA").ok());    // 25 chars
  EXPECT_FALSE(Ulid::Parse("01ARYZ6S41TSV4RRFFQ69G5FAVX").ok());  // 27 chars
  EXPECT_FALSE(Ulid::Parse("01ARYZ6S41TSV4RRFFQ69G5FAU").ok());   // U is not base32
  EXPECT_FALSE(Ulid::Parse("81ARYZ6S41TSV4RRFFQ69G5FAV").ok());   // overflows 128 bits
  EXPECT_TRUE(Ulid::Parse("7ZZZZZZZZZZZZZZZZZZZZZZZZZ").ok());    // the largest
}

}  // namespace
}  // namespace argus
