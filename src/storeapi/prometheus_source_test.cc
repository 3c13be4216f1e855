#include "storeapi/prometheus_source.h"

#include <snappy.h>

#include "base/coding.h"
#include "base/crc32c.h"
#include "gtest/gtest.h"
#include "prompb/remote.pb.h"

namespace argus::storeapi {
namespace {

prometheus::ChunkedReadResponse Frame(const std::string& job, int64_t t, const std::string& data,
                                      prometheus::Chunk::Encoding enc = prometheus::Chunk::XOR) {
  prometheus::ChunkedReadResponse m;
  prometheus::ChunkedSeries* s = m.add_chunked_series();
  prometheus::Label* l = s->add_labels();
  l->set_name("job");
  l->set_value(job);
  prometheus::Chunk* c = s->add_chunks();
  c->set_min_time_ms(t);
  c->set_max_time_ms(t + 10);
  c->set_type(enc);
  c->set_data(data);
  return m;
}

// Appends `m` framed as Prometheus frames it: uvarint length, CRC32C, message.
void Put(const prometheus::ChunkedReadResponse& m, std::string* out) {
  const std::string raw = m.SerializeAsString();
  PutUvarint(out, raw.size());
  PutBE32(out, Crc32c(raw));
  out->append(raw);
}

TEST(DecodeChunkedFrames, JoinsASeriesSplitOverFrames) {
  std::string body;
  Put(Frame("a", 0, "c1"), &body);
  Put(Frame("a", 100, "c2"), &body);
  Put(Frame("b", 0, "c3"), &body);
  absl::StatusOr<std::vector<tsdb::ChunkSeries>> got = DecodeChunkedFrames(body);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 2u);
  ASSERT_EQ((*got)[0].chunks.size(), 2u);
  EXPECT_EQ((*got)[0].chunks[1].data, "c2");
  EXPECT_EQ((*got)[0].chunks[1].min_time, 100);
  EXPECT_EQ((*got)[1].labels.Get("job"), "b");
}

TEST(DecodeChunkedFrames, RefusesCorruptTruncatedOrForeignFrames) {
  std::string body;
  Put(Frame("a", 0, "c1"), &body);
  std::string bad_crc = body;
  bad_crc[2] ^= 1;
  EXPECT_EQ(DecodeChunkedFrames(bad_crc).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ(DecodeChunkedFrames(body.substr(0, body.size() - 1)).status().code(),
            absl::StatusCode::kDataLoss);
  std::string histogram;
  Put(Frame("a", 0, "c1", prometheus::Chunk::HISTOGRAM), &histogram);
  EXPECT_EQ(DecodeChunkedFrames(histogram).status().code(), absl::StatusCode::kDataLoss);
}

TEST(DecodeSamples, CutsSeriesIntoChunksOf120Samples) {
  prometheus::ReadResponse resp;
  prometheus::TimeSeries* ts = resp.add_results()->add_timeseries();
  prometheus::Label* l = ts->add_labels();
  l->set_name("job");
  l->set_value("a");
  for (int i = 0; i < 250; ++i) {
    prometheus::Sample* s = ts->add_samples();
    s->set_timestamp(1000 * i);
    s->set_value(i * 0.5);
  }
  std::string body;
  const std::string raw = resp.SerializeAsString();
  snappy::Compress(raw.data(), raw.size(), &body);
  absl::StatusOr<std::vector<tsdb::ChunkSeries>> got = DecodeSamples(body);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->size(), 1u);
  const tsdb::ChunkSeries& s = (*got)[0];
  ASSERT_EQ(s.chunks.size(), 3u);
  EXPECT_EQ(s.chunks[2].min_time, 240000);
  EXPECT_EQ(s.chunks[2].max_time, 249000);
  auto it = tsdb::NewChunkSeriesIterator(s, 0, 1 << 30);
  int n = 0;
  while (it->Next()) {
    EXPECT_EQ(it->t(), 1000 * n);
    EXPECT_EQ(it->v(), n * 0.5);
    ++n;
  }
  EXPECT_TRUE(it->status().ok());
  EXPECT_EQ(n, 250);
  EXPECT_EQ(DecodeSamples("not snappy").status().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace argus::storeapi
