#include "block/metadata.h"

#include <string>
#include <utility>
#include <vector>

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
  EXPECT_EQ(m->thanos.segment_files, std::vector<std::string>{"000001"});
  ASSERT_EQ(m->thanos.files.size(), 3u);
  EXPECT_EQ(m->thanos.files[0].rel_path, "chunks/000001");
  EXPECT_EQ(m->thanos.files[0].size_bytes, 1234);
  EXPECT_EQ(m->thanos.files[2].rel_path, "meta.json");
  EXPECT_EQ(m->thanos.files[2].size_bytes, 0);
}

TEST(MetadataTest, FormatsByteForByteAsThanos) {
  absl::StatusOr<Meta> m = ParseMeta(kThanosMeta, "meta.json");
  ASSERT_TRUE(m.ok()) << m.status();
  // Go's json.Encoder ends the text with a newline.
  EXPECT_EQ(FormatMeta(*m), std::string(kThanosMeta) + "\n");
}

TEST(MetadataTest, EscapesAsGoAndRoundTrips) {
  Meta m = *ParseMeta(kThanosMeta, "meta.json");
  m.thanos.labels = {{"team", "a<b>&c\xe2\x80\xa8"}};
  const std::string text = FormatMeta(m);
  EXPECT_NE(text.find(R"("team": "a\u003cb\u003e\u0026c\u2028")"), std::string::npos) << text;
  absl::StatusOr<Meta> again = ParseMeta(text, "again");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ(again->thanos.labels, m.thanos.labels);
  EXPECT_EQ(FormatMeta(*again), text);
}

TEST(MetadataTest, EmptyListsAreOmittedLabelsAndIndexStatsAreNot) {
  Meta m;
  m.prom = ParseMeta(kThanosMeta, "meta.json")->prom;
  m.thanos.source = kCompactorSource;
  const std::string text = FormatMeta(m);
  const std::string thanos = text.substr(text.find("\"thanos\""));
  EXPECT_EQ(thanos,
            "\"thanos\": {\n\t\t\"labels\": {},\n\t\t\"downsample\": {\n\t\t\t\"resolution\": 0\n"
            "\t\t},\n\t\t\"source\": \"compactor\",\n\t\t\"index_stats\": {}\n\t}\n}\n");
}

TEST(MetadataTest, PrometheusMetaHasEmptyThanosSection) {
  Meta m = *ParseMeta(kThanosMeta, "meta.json");
  absl::StatusOr<Meta> plain = ParseMeta(tsdb::block::FormatMeta(m.prom), "plain");
  ASSERT_TRUE(plain.ok()) << plain.status();
  EXPECT_TRUE(plain->thanos.labels.empty());
  EXPECT_TRUE(plain->thanos.source.empty());
  EXPECT_TRUE(plain->thanos.files.empty());
}

TEST(MetadataTest, NullFieldsReadAsEmpty) {
  std::string text = kThanosMeta;
  text.replace(text.find("\"source\": \"sidecar\""), 19, "\"source\": null, \"version\": 0");
  text.replace(text.find("[\n\t\t\t\"000001\"\n\t\t]"), 17, "null");
  absl::StatusOr<Meta> m = ParseMeta(text, "nulls.json");
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_TRUE(m->thanos.source.empty());
  EXPECT_TRUE(m->thanos.segment_files.empty());
  EXPECT_EQ(m->thanos.files.size(), 3u);
}

TEST(MetadataTest, RejectsUnknownThanosVersionAndBadFields) {
  std::string v2 = kThanosMeta;
  v2.replace(v2.find("\"labels\""), 0, "\"version\": 2, ");
  absl::StatusOr<Meta> m = ParseMeta(v2, "v2.json");
  EXPECT_TRUE(absl::IsInvalidArgument(m.status()));
  EXPECT_EQ(m.status().message(), "v2.json: unexpected meta file Thanos section version 2");
  std::string v1 = kThanosMeta;
  v1.replace(v1.find("\"labels\""), 0, "\"version\": 1, ");
  EXPECT_TRUE(ParseMeta(v1, "v1.json").ok());
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"1234", "\"x\""},                 // size not a number
           {"\"eu1\"", "1"},                  // label value not a string
           {"\"sidecar\"", "[]"},             // source not a string
           {"\"rel_path\": \"index\",", ""},  // file without a path
       }) {
    std::string bad = kThanosMeta;
    bad.replace(bad.find(from), from.size(), to);
    EXPECT_TRUE(absl::IsInvalidArgument(ParseMeta(bad, "bad.json").status())) << from;
  }
  std::string not_object = tsdb::block::FormatMeta(ParseMeta(kThanosMeta, "m")->prom);
  not_object.insert(not_object.rfind('}'), ",\"thanos\": 5");
  EXPECT_TRUE(absl::IsInvalidArgument(ParseMeta(not_object, "five.json").status()));
  EXPECT_TRUE(absl::IsInvalidArgument(ParseMeta("{", "cut.json").status()));
}

TEST(MetadataTest, ReadsFromABlockDirectory) {
  Env* env = Env::Default();
  const std::string dir = ::testing::TempDir() + "/block_metadata_read";
  ASSERT_TRUE(env->RemoveAll(dir).ok());
  ASSERT_TRUE(env->CreateDirs(dir).ok());
  ASSERT_TRUE(WriteFileAtomically(env, dir + "/meta.json", kThanosMeta).ok());
  absl::StatusOr<Meta> m = ReadMeta(env, dir);
  ASSERT_TRUE(m.ok()) << m.status();
  EXPECT_EQ(m->thanos.source, "sidecar");
  EXPECT_FALSE(ReadMeta(env, dir + "/missing").ok());
}

}  // namespace
}  // namespace argus::block
