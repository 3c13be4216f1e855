#include "base/go_strconv.h"

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "gtest/gtest.h"

namespace argus {
namespace {

// Expected strings are what Go 1.19's strconv.Quote and fmt %g print.
TEST(GoStrconvTest, Quote) {
  EXPECT_EQ(GoQuote(""), "\"\"");
  EXPECT_EQ(GoQuote("a b"), "\"a b\"");
  EXPECT_EQ(GoQuote("say \"hi\"\\\n"), "\"say \\\"hi\\\"\\\\\\n\"");
  EXPECT_EQ(GoQuote(std::string("\x00\x1f\x7f", 3)), "\"\\x00\\x1f\\x7f\"");
  EXPECT_EQ(GoQuote("\t\r\a\b\f\v"), "\"\\t\\r\\a\\b\\f\\v\"");
  EXPECT_EQ(GoQuote("héllo ☃ 𝄞"), "\"héllo ☃ 𝄞\"");
  EXPECT_EQ(GoQuote("\xff"
                    "a"),
            "\"\\xffa\"");                        // invalid UTF-8 byte
  EXPECT_EQ(GoQuote("\xc2\x85"), "\"\\u0085\"");  // C1 control
}

TEST(GoStrconvTest, QuoteUsesGoIsPrint) {
  EXPECT_EQ(GoQuote("a\u2028b\u0378'\"\xff☃😀\U000e0001"),
            "\"a\\u2028b\\u0378'\\\"\\xff☃😀\\U000e0001\"");
  EXPECT_EQ(GoQuote("\xef\xbf\xbd"), "\"\xef\xbf\xbd\"");  // an encoded U+FFFD is printable
}

// Expected strings are what Go 1.19's strconv.QuoteRune and strconv.IsPrint give.
TEST(GoStrconvTest, QuoteRune) {
  const std::vector<std::pair<char32_t, std::string>> cases = {
      {U'a', "'a'"},
      {U'\'', "'\\''"},
      {U'"', "'\"'"},
      {U'\\', "'\\\\'"},
      {U'\n', "'\\n'"},
      {0, "'\\x00'"},
      {0x7f, "'\\x7f'"},
      {0x85, "'\\u0085'"},
      {0xad, "'\\u00ad'"},
      {0x2028, "'\\u2028'"},
      {0x378, "'\\u0378'"},
      {0xfeff, "'\\ufeff'"},
      {0x1f600, "'😀'"},
      {0xe0001, "'\\U000e0001'"},
      {0x10ffff, "'\\U0010ffff'"},
      {0xd800, "'\xef\xbf\xbd'"},
      {0x110000, "'\xef\xbf\xbd'"},
      {U'☃', "'☃'"},
  };
  for (const auto& [r, want] : cases) {
    EXPECT_EQ(GoQuoteRune(r), want) << static_cast<uint32_t>(r);
  }
}

TEST(GoStrconvTest, IsPrint) {
  for (char32_t r :
       {U'a', U' ', U'~', U'\u00a1', U'\u00ff', U'☃', U'\ufffd', U'😀', U'\U00020000'}) {
    EXPECT_TRUE(GoIsPrint(r)) << static_cast<uint32_t>(r);
  }
  for (char32_t r : {0x0u, 0x1fu, 0x7fu, 0x85u, 0xa0u, 0xadu, 0x2028u, 0x2029u, 0x378u, 0xfeffu,
                     0xd800u, 0xe0001u, 0x10ffffu, 0x110000u}) {
    EXPECT_FALSE(GoIsPrint(r)) << static_cast<uint32_t>(r);
  }
}

TEST(GoStrconvTest, DecodeRune) {
  int w = 0;
  EXPECT_EQ(static_cast<uint32_t>(DecodeRune("a", &w)), static_cast<uint32_t>(U'a'));
  EXPECT_EQ(w, 1);
  EXPECT_EQ(static_cast<uint32_t>(DecodeRune("☃x", &w)), static_cast<uint32_t>(U'☃'));
  EXPECT_EQ(w, 3);
  EXPECT_EQ(static_cast<uint32_t>(DecodeRune("😀", &w)), static_cast<uint32_t>(U'😀'));
  EXPECT_EQ(w, 4);
  EXPECT_EQ(static_cast<uint32_t>(DecodeRune("\xef\xbf\xbd", &w)),
            static_cast<uint32_t>(kRuneError));  // a real U+FFFD
  EXPECT_EQ(w, 3);
  for (const char* bad :
       {"\xff", "\xc0\x80", "\xe2\x98", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x80"}) {
    EXPECT_EQ(static_cast<uint32_t>(DecodeRune(bad, &w)), static_cast<uint32_t>(kRuneError))
        << GoQuote(bad);
    EXPECT_EQ(w, 1) << GoQuote(bad);
  }
}

TEST(GoStrconvTest, FormatFixed) {
  EXPECT_EQ(GoFormatFixed(0), "0.000000");
  EXPECT_EQ(GoFormatFixed(-0.0), "-0.000000");
  EXPECT_EQ(GoFormatFixed(1.5), "1.500000");
  EXPECT_EQ(GoFormatFixed(0.0000005), "0.000000");  // just below the half in binary
  EXPECT_EQ(GoFormatFixed(0.0000015), "0.000002");
  EXPECT_EQ(GoFormatFixed(1e21), "1000000000000000000000.000000");
  EXPECT_EQ(GoFormatFixed(-3.14159265), "-3.141593");
  EXPECT_EQ(GoFormatFixed(123456789.1234565), "123456789.123456");
  EXPECT_EQ(GoFormatFixed(std::nan("")), "NaN");
  EXPECT_EQ(GoFormatFixed(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(GoFormatFixed(-std::numeric_limits<double>::infinity()), "-Inf");
}

// Values as Go 1.19's strconv.ParseFloat(s, 64) returns them (the plain decimal forms are
// covered through textparse's ParseFloat tests).
TEST(GoStrconvTest, ParseFloat) {
  const std::vector<std::pair<std::string, double>> cases = {
      {"0x1p3", 8},
      {"0x1.8p1", 3},
      {"0X1P-2", 0.25},
      {"-0x1p3", -8},
      {"0x_1p0", 1},
      {"0x1_0p0", 16},
      {"1_000", 1000},
      {"1_000.5", 1000.5},
      {"1e1_0", 1e10},
      {"0x1p-1080", 0},
      {"0x1p-1074", 4.9406564584124654e-324},
      {"4e-320", 4e-320},
      {"1e-400", 0},
      {"0x1.fffffffffffffp1023", 1.7976931348623157e308},
      {"123456789012345678901234567890", 1.2345678901234568e29},
      {"+Inf", std::numeric_limits<double>::infinity()},
      {"-infinity", -std::numeric_limits<double>::infinity()},
  };
  for (const auto& [in, want] : cases) {
    absl::StatusOr<double> v = GoParseFloat(in);
    ASSERT_TRUE(v.ok()) << in << ": " << v.status();
    EXPECT_EQ(*v, want) << in;
  }
  EXPECT_EQ(std::bit_cast<uint64_t>(*GoParseFloat("nAn")), 0x7ff8000000000001u);
  for (const char* in : {"1__0", "_1", "1_", "1_.5", "0x1.5", "0x", "0x1p", "0xp1", "0x1e3", "0b1",
                         ".e1", "1e+_1", "+nan", "infin", "", "1..2"}) {
    absl::StatusOr<double> v = GoParseFloat(in);
    ASSERT_FALSE(v.ok()) << in;
    EXPECT_EQ(v.status().message(),
              std::string("strconv.ParseFloat: parsing ") + GoQuote(in) + ": invalid syntax");
  }
  for (const char* in : {"0x1p1024", "0x1.fffffffffffff8p1023", "1e400", "-1e400"}) {
    absl::StatusOr<double> v = GoParseFloat(in);
    ASSERT_FALSE(v.ok()) << in;
    EXPECT_EQ(v.status().message(),
              std::string("strconv.ParseFloat: parsing ") + GoQuote(in) + ": value out of range");
  }
}

TEST(GoStrconvTest, FloatToInt64TruncatesAndSaturatesLikeAmd64) {
  EXPECT_EQ(GoFloatToInt64(1520879607.789 * 1000), 1520879607789);
  EXPECT_EQ(GoFloatToInt64(-1.9), -1);
  EXPECT_EQ(GoFloatToInt64(9223372036854775808.0), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(GoFloatToInt64(-1e30), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(GoFloatToInt64(std::nan("")), std::numeric_limits<int64_t>::min());
}

TEST(GoStrconvTest, FormatG) {
  EXPECT_EQ(GoFormatG(0), "0");
  EXPECT_EQ(GoFormatG(-0.0), "-0");
  EXPECT_EQ(GoFormatG(1), "1");
  EXPECT_EQ(GoFormatG(9.5), "9.5");
  EXPECT_EQ(GoFormatG(-3.25), "-3.25");
  EXPECT_EQ(GoFormatG(100000), "100000");
  EXPECT_EQ(GoFormatG(1e6), "1e+06");
  EXPECT_EQ(GoFormatG(1234567), "1.234567e+06");
  EXPECT_EQ(GoFormatG(123456.7), "123456.7");
  EXPECT_EQ(GoFormatG(0.0001), "0.0001");
  EXPECT_EQ(GoFormatG(0.00001), "1e-05");
  EXPECT_EQ(GoFormatG(1.5e300), "1.5e+300");
  EXPECT_EQ(GoFormatG(0.1), "0.1");
  EXPECT_EQ(GoFormatG(std::nan("")), "NaN");
  EXPECT_EQ(GoFormatG(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(GoFormatG(-std::numeric_limits<double>::infinity()), "-Inf");
}

TEST(GoStrconvTest, FormatF) {
  EXPECT_EQ(GoFormatF(0), "0");
  EXPECT_EQ(GoFormatF(1e21), "1000000000000000000000");
  EXPECT_EQ(GoFormatF(0.00001), "0.00001");
  EXPECT_EQ(GoFormatF(1.5e-7), "0.00000015");
  EXPECT_EQ(GoFormatF(3.14), "3.14");
  EXPECT_EQ(GoFormatF(std::nan("")), "NaN");
  EXPECT_EQ(GoFormatF(std::numeric_limits<double>::infinity()), "+Inf");
  // Past 17 digits Go pads the shortest digits with zeros rather than printing the exact value.
  EXPECT_EQ(GoFormatF(1.2345678901234568e20), "123456789012345680000");
  EXPECT_EQ(GoFormatF(1e23), "100000000000000000000000");
  EXPECT_EQ(GoFormatF(-0.0), "-0");
  EXPECT_EQ(GoFormatF(-12.5), "-12.5");
  EXPECT_EQ(GoFormatF(5e-324), "0." + std::string(323, '0') + "5");
  EXPECT_EQ(GoFormatF(std::numeric_limits<double>::max()),
            "17976931348623157" + std::string(292, '0'));
}

TEST(GoStrconvTest, WriteShortestSwitchesForms) {
  char buf[kGoShortestMaxChars + 21];
  auto json = [&](double v) { return std::string(buf, GoWriteShortest(v, -6, 21, buf)); };
  EXPECT_EQ(json(1e-6), "0.000001");
  EXPECT_EQ(json(9.99e-7), "9.99e-07");
  EXPECT_EQ(json(-1.5e-7), "-1.5e-07");
  EXPECT_EQ(json(999999999999999900000.0), "999999999999999900000");
  EXPECT_EQ(json(1e21), "1e+21");
  EXPECT_EQ(json(1.2345e-300), "1.2345e-300");
  EXPECT_EQ(json(0.1 + 0.2), "0.30000000000000004");
}

// The shortest digits, independently: C++'s shortest scientific form has the same digits and
// the same exponent notation as Go's 'e' -1.
TEST(GoStrconvTest, WriteShortestDigitsMatchToChars) {
  uint64_t state = 0x9e3779b97f4a7c15;
  char ours[kGoShortestMaxChars + 1];
  char theirs[64];
  for (int i = 0; i < 200000; ++i) {
    state = state * 6364136223846793005 + 1442695040888963407;
    const double v = std::bit_cast<double>(state);
    if (!std::isfinite(v) || v == 0) continue;
    const std::string got(ours, GoWriteShortest(v, 1, 0, ours));
    const std::string want(
        theirs,
        std::to_chars(theirs, theirs + sizeof theirs, v, std::chars_format::scientific).ptr);
    ASSERT_EQ(got, want) << "bits " << state;
  }
}

// The fixed form holds the same shortest digits, placed around the point, and reads back.
TEST(GoStrconvTest, WriteShortestFixedFormKeepsTheDigits) {
  uint64_t state = 7;
  auto significant = [](std::string s) {  // the digits without sign, point, outer zeros
    std::string d;
    for (char c : s.substr(0, s.find('e'))) {
      if (c >= '0' && c <= '9') d.push_back(c);
    }
    d.erase(0, d.find_first_not_of('0'));
    d.erase(d.find_last_not_of('0') + 1);
    return d;
  };
  char ours[kGoShortestMaxChars + 21];
  char theirs[64];
  for (int i = 0; i < 100000; ++i) {
    state = state * 6364136223846793005 + 1442695040888963407;
    const double v = static_cast<double>(state >> 11) / 9007199254740992.0 *
                     std::pow(10.0, static_cast<int>(state % 27) - 6) * (state & 1 ? -1 : 1);
    if (v == 0) continue;
    const std::string got(ours, GoWriteShortest(v, -6, 21, ours));
    ASSERT_EQ(got.find('e') == std::string::npos, std::fabs(v) >= 1e-6 && std::fabs(v) < 1e21)
        << got;
    EXPECT_EQ(std::strtod(got.c_str(), nullptr), v) << got;
    const std::string want(
        theirs,
        std::to_chars(theirs, theirs + sizeof theirs, v, std::chars_format::scientific).ptr);
    EXPECT_EQ(significant(got), significant(want)) << got << " vs " << want;
  }
}

TEST(GoStrconvTest, ValidUtf8) {
  EXPECT_TRUE(ValidUtf8(""));
  EXPECT_TRUE(ValidUtf8("plain ascii text, long enough for the word loop"));
  EXPECT_TRUE(ValidUtf8("h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80"));
  EXPECT_FALSE(ValidUtf8("\xff"));
  EXPECT_FALSE(ValidUtf8("\xc0\xaf"));          // overlong
  EXPECT_FALSE(ValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(ValidUtf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(ValidUtf8("abcdefgh\xe2\x82"));  // truncated
}

}  // namespace
}  // namespace argus
