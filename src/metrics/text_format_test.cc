#include "metrics/text_format.h"

#include <cmath>
#include <limits>

#include "gtest/gtest.h"

namespace argus::metrics {
namespace {

TEST(TextFormatTest, Values) {
  EXPECT_EQ(FormatValue(0), "0");
  EXPECT_EQ(FormatValue(1), "1");
  EXPECT_EQ(FormatValue(-2.5), "-2.5");
  EXPECT_EQ(FormatValue(0.1), "0.1");
  EXPECT_EQ(FormatValue(std::nan("")), "NaN");
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(std::stod(FormatValue(1.0 / 3)), 1.0 / 3);  // round-trips
}

TEST(TextFormatTest, Escaping) {
  FamilySnapshot f{
      "m", "help with \\ and\nnewline", MetricType::kGauge, {{"m", {{"path", "a\"b\\c\nd"}}, 1}}};
  EXPECT_EQ(WriteText({f}),
            "# HELP m help with \\\\ and\\nnewline\n"
            "# TYPE m gauge\n"
            "m{path=\"a\\\"b\\\\c\\nd\"} 1\n");
}

}  // namespace
}  // namespace argus::metrics
