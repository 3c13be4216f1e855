#include "model/textparse/internal/strconv.h"

#include <bit>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "model/textparse/internal/lex.h"

namespace argus::textparse::internal {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct FloatCase {
  std::string in;
  double want;
};

// Values as Go's strconv.ParseFloat(s, 64) returns them.
TEST(ParseFloatTest, AcceptsWhatGoAccepts) {
  const std::vector<FloatCase> cases = {
      {"0", 0},
      {"1", 1},
      {"+1", 1},
      {"-1", -1},
      {"1.", 1},
      {".5", 0.5},
      {"-.5", -0.5},
      {"4.9351e-05", 4.9351e-05},
      {"7.424100000000001e-05", 7.424100000000001e-05},
      {"1E3", 1000},
      {"1e+3", 1000},
      {"1.e2", 100},
      {"123456789012345678901234567890", 1.2345678901234568e29},
      {"0.1", 0.1},
      {"0.30000000000000004", 0.30000000000000004},
      {"9007199254740993", 9007199254740992},  // 2^53 + 1 rounds to even
      {"1.7976931348623157e308", 1.7976931348623157e308},
      {"4.9e-324", 4.9406564584124654e-324},
      {"1e-400", 0},
      {"0e99999999999", 0},
      {"000123.4500", 123.45},
      {"Inf", kInf},
      {"+inf", kInf},
      {"-Inf", -kInf},
      {"infinity", kInf},
      {"-INFINITY", -kInf},
      {"0.0000000000000000000000001", 1e-25},
  };
  for (const FloatCase& c : cases) {
    absl::StatusOr<double> v = ParseFloat(c.in);
    ASSERT_TRUE(v.ok()) << c.in << ": " << v.status();
    EXPECT_EQ(*v, c.want) << c.in;
  }
  EXPECT_TRUE(std::signbit(*ParseFloat("-0")));
  EXPECT_TRUE(std::signbit(*ParseFloat("-1e-400")));
  for (const char* nan : {"NaN", "nan", "NAN"}) {
    EXPECT_EQ(std::bit_cast<uint64_t>(*ParseFloat(nan)), 0x7ff8000000000001u) << nan;
  }
}

TEST(ParseFloatTest, RejectsAsPrometheusDoes) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", R"(strconv.ParseFloat: parsing "": invalid syntax)"},
      {".", R"(strconv.ParseFloat: parsing ".": invalid syntax)"},
      {"+", R"(strconv.ParseFloat: parsing "+": invalid syntax)"},
      {"1e", R"(strconv.ParseFloat: parsing "1e": invalid syntax)"},
      {"1e+", R"(strconv.ParseFloat: parsing "1e+": invalid syntax)"},
      {"1..2", R"(strconv.ParseFloat: parsing "1..2": invalid syntax)"},
      {"+nan", R"(strconv.ParseFloat: parsing "+nan": invalid syntax)"},
      {"infin", R"(strconv.ParseFloat: parsing "infin": invalid syntax)"},
      {"0x10", R"(strconv.ParseFloat: parsing "0x10": invalid syntax)"},
      {"1,5", R"(strconv.ParseFloat: parsing "1,5": invalid syntax)"},
      {"1e400", R"(strconv.ParseFloat: parsing "1e400": value out of range)"},
      {"-1e400", R"(strconv.ParseFloat: parsing "-1e400": value out of range)"},
      {"1.7976931348623159e308",
       R"(strconv.ParseFloat: parsing "1.7976931348623159e308": value out of range)"},
      {"1_000", "unsupported character in float"},
      {"0x1p3", "unsupported character in float"},
      {"Inf_", "unsupported character in float"},
  };
  for (const auto& [in, msg] : cases) {
    absl::StatusOr<double> v = ParseFloat(in);
    ASSERT_FALSE(v.ok()) << in;
    EXPECT_EQ(v.status().message(), msg) << in;
  }
}

TEST(ParseDigitsInt64Test, RangeAsGo) {
  EXPECT_EQ(*ParseDigitsInt64("0"), 0);
  EXPECT_EQ(*ParseDigitsInt64("9223372036854775807"), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(ParseDigitsInt64("9223372036854775808").status().message(),
            R"(strconv.ParseInt: parsing "9223372036854775808": value out of range)");
}

TEST(LexTest, UnescapeLeftToRight) {
  std::string out;
  Unescape(R"(a\\n\n\"\x\)", /*quotes=*/true, &out);
  EXPECT_EQ(out, "a\\n\n\"\\x\\");
  out.clear();
  Unescape(R"(\"\\)", /*quotes=*/false, &out);
  EXPECT_EQ(out, "\\\"\\");
}

}  // namespace
}  // namespace argus::textparse::internal
