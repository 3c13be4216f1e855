#include "base/go_strconv.h"

#include <cmath>
#include <limits>

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
