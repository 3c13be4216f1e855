#include "tsdb/block/meta.h"

#include "gtest/gtest.h"

namespace argus::tsdb::block {
namespace {

// As promtool 2.42 writes it.
constexpr char kPromtoolMeta[] = R"({
	"ulid": "01M8FYEAC5M6V3R1DWREBEV56A",
	"minTime": 1600000000000,
	"maxTime": 1600000060001,
	"stats": {
		"numSamples": 6,
		"numSeries": 3,
		"numChunks": 3
	},
	"compaction": {
		"level": 1,
		"sources": [
			"01M8FYEAC5M6V3R1DWREBEV56A"
		]
	},
	"version": 1
})";

TEST(MetaTest, ParsesPromtoolMetaAndFormatsItBack) {
  absl::StatusOr<BlockMeta> m = ParseMeta(kPromtoolMeta, "meta.json");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->ulid.ToString(), "01M8FYEAC5M6V3R1DWREBEV56A");
  EXPECT_EQ(m->min_time, 1600000000000);
  EXPECT_EQ(m->max_time, 1600000060001);
  EXPECT_EQ(m->stats.num_samples, 6u);
  EXPECT_EQ(m->stats.num_series, 3u);
  EXPECT_EQ(m->compaction_level, 1);
  ASSERT_EQ(m->sources.size(), 1u);
  EXPECT_EQ(FormatMeta(*m), kPromtoolMeta);
}

TEST(MetaTest, Errors) {
  EXPECT_EQ(ParseMeta("{", "m").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(ParseMeta(R"({"ulid":"bad","minTime":0,"maxTime":1,"version":1})", "m").ok());
  EXPECT_FALSE(
      ParseMeta(R"({"ulid":"01M8FYEAC5M6V3R1DWREBEV56A","minTime":0,"maxTime":1,"version":2})", "m")
          .ok());
  absl::Status s =
      ParseMeta(R"({"ulid":"01M8FYEAC5M6V3R1DWREBEV56A","version":1})", "x/meta.json").status();
  EXPECT_NE(s.message().find("x/meta.json"), absl::string_view::npos);
}

}  // namespace
}  // namespace argus::tsdb::block
