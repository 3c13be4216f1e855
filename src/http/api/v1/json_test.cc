#include "http/api/v1/json.h"

#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "gtest/gtest.h"

namespace argus::http::api {
namespace {

std::string Str(absl::string_view s) {
  std::string out;
  AppendJsonString(s, &out);
  return out;
}

std::string Data(const promql::Value& v) {
  std::string out;
  AppendQueryData(v, &out);
  return out;
}

// The timestamp and the quoted value of the "value" pair AppendQueryData writes for a one-sample
// vector.
std::pair<std::string, std::string> Pair(int64_t ms, double v) {
  const std::string data = Data(promql::Vector{promql::Sample{labels::Labels(), ms, v}});
  const size_t open = data.find(R"("value":[)") + 9;
  const size_t comma = data.find(',', open);
  const size_t close = data.find(']', comma);
  return {data.substr(open, comma - open), data.substr(comma + 1, close - comma - 1)};
}

std::string Ts(int64_t ms) { return Pair(ms, 0).first; }

std::string Val(double v) { return Pair(0, v).second; }

// Expected strings are what Go's encoding/json and jsoniter (Prometheus 2.42) write.
TEST(JsonTest, StringEscapes) {
  EXPECT_EQ(Str(""), R"("")");
  EXPECT_EQ(Str("plain text"), R"("plain text")");
  EXPECT_EQ(Str("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(Str("\n\r\t"), R"("\n\r\t")");
  EXPECT_EQ(Str(std::string("\x00\x01\x1f\b\f", 5)), R"("\u0000\u0001\u001f\u0008\u000c")");
  EXPECT_EQ(Str("<a>&"), R"("\u003ca\u003e\u0026")");
  EXPECT_EQ(Str("h\xc3\xa9 \xe2\x98\x83 \xf0\x9d\x84\x9e"),
            "\"h\xc3\xa9 \xe2\x98\x83 \xf0\x9d\x84\x9e\"");
  EXPECT_EQ(Str("\xe2\x80\xa8\xe2\x80\xa9"), R"("\u2028\u2029")");
  EXPECT_EQ(Str("a\xff"
                "b\xc3"),
            R"("a\ufffdb\ufffd")");
  EXPECT_EQ(Str("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");  // a surrogate: three bad bytes
  EXPECT_EQ(Str("\xc0\xaf"), R"("\ufffd\ufffd")");            // overlong
  EXPECT_EQ(Str("\x7f"), "\"\x7f\"");
}

TEST(JsonTest, Timestamps) {
  EXPECT_EQ(Ts(0), "0");
  EXPECT_EQ(Ts(1435781451781), "1435781451.781");
  EXPECT_EQ(Ts(1500), "1.500");
  EXPECT_EQ(Ts(1050), "1.050");
  EXPECT_EQ(Ts(1005), "1.005");
  EXPECT_EQ(Ts(12000), "12");
  EXPECT_EQ(Ts(5), "0.005");
  EXPECT_EQ(Ts(-5), "-0.005");
  EXPECT_EQ(Ts(-1500), "-1.500");
  EXPECT_EQ(Ts(std::numeric_limits<int64_t>::min()), "-9223372036854775.808");
}

TEST(JsonTest, SampleValues) {
  EXPECT_EQ(Val(1), R"("1")");
  EXPECT_EQ(Val(0), R"("0")");
  EXPECT_EQ(Val(-0.0), R"("-0")");
  EXPECT_EQ(Val(0.1), R"("0.1")");
  EXPECT_EQ(Val(1e-6), R"("0.000001")");
  EXPECT_EQ(Val(1e-7), R"("1e-07")");
  EXPECT_EQ(Val(-1.5e-7), R"("-1.5e-07")");
  EXPECT_EQ(Val(123456789012345678), R"("123456789012345680")");
  EXPECT_EQ(Val(1e20), R"("100000000000000000000")");
  EXPECT_EQ(Val(1e21), R"("1e+21")");
  EXPECT_EQ(Val(std::nan("")), R"("NaN")");
  EXPECT_EQ(Val(INFINITY), R"("+Inf")");
  EXPECT_EQ(Val(-INFINITY), R"("-Inf")");
}

TEST(JsonTest, Vector) {
  promql::Vector v = {{labels::Labels({{"__name__", "up"}, {"job", "a"}}), 1435781451781, 1},
                      {labels::Labels(), 2000, std::nan("")}};
  EXPECT_EQ(Data(v), R"({"resultType":"vector","result":[{"metric":{"__name__":"up","job":"a"},)"
                     R"("value":[1435781451.781,"1"]},{"metric":{},"value":[2,"NaN"]}]})");
  EXPECT_EQ(Data(promql::Vector{}), R"({"resultType":"vector","result":[]})");
}

TEST(JsonTest, Matrix) {
  promql::Matrix m = {{labels::Labels({{"a", "<b>"}}), {{1000, 1.5}, {2500, -INFINITY}}},
                      {labels::Labels({{"a", "c"}}), {}}};
  EXPECT_EQ(Data(m), R"({"resultType":"matrix","result":[{"metric":{"a":"\u003cb\u003e"},)"
                     R"("values":[[1,"1.5"],[2.500,"-Inf"]]},{"metric":{"a":"c"}}]})");
}

// Series sharing, and not sharing, their steps: each point keeps its own time text, over more
// distinct times than the writer keeps texts of; with this many points two threads write the
// halves (five series, one without points).
TEST(JsonTest, LargeMatrix) {
  promql::Matrix m(5);
  std::string want = R"({"resultType":"matrix","result":[)";
  for (int s = 0; s < 5; ++s) {
    m[s].metric = labels::Labels({{"s", std::to_string(s)}});
    want += std::string(s > 0 ? "," : "") + R"({"metric":{"s":")" + std::to_string(s) + R"("})";
    if (s == 3) {
      want += "}";
      continue;
    }
    want += R"(,"values":[)";
    for (int64_t i = 0; i < 30000; ++i) {
      const int64_t t = s == 2 ? -i * 7 : i * 15000 + (i % 3 == 0 ? 0 : 1);
      m[s].points.push_back({t, 0.5 * s});
      want += std::string(i > 0 ? "," : "") + "[" + Ts(t) + "," + Val(0.5 * s) + "]";
    }
    want += "]}";
  }
  want += "]}";
  EXPECT_EQ(Data(m), want);
}

TEST(JsonTest, ScalarAndString) {
  // Scalars print their timestamp as a JSON float and their value in 'f' form throughout.
  EXPECT_EQ(Data(promql::Scalar{1500, 1e-7}),
            R"({"resultType":"scalar","result":[1.5,"0.0000001"]})");
  EXPECT_EQ(Data(promql::Scalar{1435781451781, INFINITY}),
            R"({"resultType":"scalar","result":[1435781451.781,"+Inf"]})");
  EXPECT_EQ(Data(promql::String{0, "a\"b"}), R"({"resultType":"string","result":[0,"a\"b"]})");
}

TEST(JsonTest, StringArray) {
  std::string out;
  AppendStringArray({}, &out);
  AppendStringArray({"a", "b&"}, &out);
  EXPECT_EQ(out, R"([]["a","b\u0026"])");
}

}  // namespace
}  // namespace argus::http::api
