#include "block/metadata.h"

#include "gtest/gtest.h"

namespace argus::block {
namespace {

// meta.json as a Thanos sidecar uploads it (layout of Thanos v0.3x).
constexpr char kThanosMeta[] = R"({
	"ulid": "01HGZ0TQ5W2N8W4V3M1M6R6D8K",
	"minTime": 1700000000000,
	"maxTime": 1700007200000,
	"stats": {
		"numSamples": 480,
		"numSeries": 2,
		"numChunks": 4
	},
	"compaction": {
		"level": 1,
		"sources": [
			"01HGZ0TQ5W2N8W4V3M1M6R6D8K"
		]
	},
	"version": 1,
	"thanos": {
		"labels": {
			"cluster": "eu1",
			"replica": "0"
		},
		"downsample": {
			"resolution": 0
		},
		"source": "sidecar",
		"segment_files": [
			"000001"
		],
		"files": [
			{
				"rel_path": "chunks/000001",
				"size_bytes": 1234
			},
			{
				"rel_path": "index",
				"size_bytes": 567
			},
			{
				"rel_path": "meta.json"
			}
		],
		"index_stats": {}
	}
})";

TEST(MetadataTest, ParsesWhatThanosWrites) {
  absl::StatusOr<Meta> m = ParseMeta(kThanosMeta, "meta.json");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->prom.ulid.ToString(), "01HGZ0TQ5W2N8W4V3M1M6R6D8K");
  EXPECT_EQ(m->prom.stats.num_samples, 480u);
  EXPECT_EQ(m->thanos.labels, (labels::Labels{{"cluster", "eu1"}, {"replica", "0"}}));
  EXPECT_EQ(m->thanos.source, "sidecar");
  EXPECT_EQ(m->thanos.downsample_resolution, 0);
  ASSERT_EQ(m->thanos.files.size(), 3u);
  EXPECT_EQ(m->thanos.files[0].rel_path, "chunks/000001");
  EXPECT_EQ(m->thanos.files[0].size_bytes, 1234);
  EXPECT_FALSE(m->thanos.files[2].size_bytes.has_value());
}

TEST(MetadataTest, FormatsAsThanosAndRoundTrips) {
  Meta m = *ParseMeta(kThanosMeta, "meta.json");
  const std::string text = FormatMeta(m);
  // Thanos's field order, a version, no segment_files (Argus does not write them).
  const size_t version = text.find("\"version\": 1,\n\t\t\"labels\"");
  EXPECT_NE(version, std::string::npos) << text;
  EXPECT_LT(text.find("\"compaction\""), text.find("\"thanos\""));
  EXPECT_LT(text.find("\"downsample\""), text.find("\"source\""));
  EXPECT_LT(text.find("\"source\""), text.find("\"files\""));
  absl::StatusOr<Meta> again = ParseMeta(text, "again");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(FormatMeta(*again), text);
}

TEST(MetadataTest, PrometheusMetaHasEmptyThanosSection) {
  Meta m = *ParseMeta(kThanosMeta, "meta.json");
  absl::StatusOr<Meta> plain = ParseMeta(tsdb::block::FormatMeta(m.prom), "plain");
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_TRUE(plain->thanos.labels.empty());
  EXPECT_TRUE(plain->thanos.files.empty());
}

TEST(MetadataTest, RejectsUnknownThanosVersionAndBadFields) {
  std::string v2 = kThanosMeta;
  v2.replace(v2.find("\"labels\""), 0, "\"version\": 2, ");
  absl::StatusOr<Meta> m = ParseMeta(v2, "v2.json");
  EXPECT_TRUE(absl::IsInvalidArgument(m.status()));
  EXPECT_NE(m.status().message().find("thanos meta version 2"), std::string::npos);
  std::string bad = kThanosMeta;
  bad.replace(bad.find("1234"), 4, "\"x\"");
  EXPECT_TRUE(absl::IsInvalidArgument(ParseMeta(bad, "bad.json").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(ParseMeta("{", "cut.json").status()));
}

}  // namespace
}  // namespace argus::block
