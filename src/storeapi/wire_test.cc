#include "storeapi/wire.h"

#include <gtest/gtest.h>
#include <xxhash.h>

#include <string>

#include "thanos/rpc.pb.h"

namespace argus::storeapi {
namespace {

std::string Bytes(const WireFrame& f) {
  grpc::Slice s;
  EXPECT_TRUE(f.bytes.DumpToSingleSlice(&s).ok());
  return std::string(reinterpret_cast<const char*>(s.begin()), s.size());
}

WireFrame FromBytes(const std::string& bytes) {
  grpc::Slice s(bytes);
  return WireFrame{grpc::ByteBuffer(&s, 1)};
}

tsdb::ChunkSeries Series(labels::Labels l, std::vector<tsdb::ChunkView> chunks) {
  tsdb::ChunkSeries s;
  s.labels = std::move(l);
  s.chunks = std::move(chunks);
  return s;
}

// `check_hash`: the chunk hashes are the xxhash64 of the data, as Argus writes them.
void ExpectSame(const thanos::Series& p, const tsdb::ChunkSeries& s, bool check_hash = true) {
  ASSERT_EQ(p.labels_size(), static_cast<int>(s.labels.size()));
  int i = 0;
  for (const labels::Label& l : s.labels) {
    EXPECT_EQ(p.labels(i).name(), l.name);
    EXPECT_EQ(p.labels(i).value(), l.value);
    ++i;
  }
  ASSERT_EQ(p.chunks_size(), static_cast<int>(s.chunks.size()));
  for (i = 0; i < p.chunks_size(); ++i) {
    const tsdb::ChunkView& c = s.chunks[i];
    EXPECT_EQ(p.chunks(i).min_time(), c.min_time);
    EXPECT_EQ(p.chunks(i).max_time(), c.max_time);
    EXPECT_EQ(p.chunks(i).raw().type(), thanos::Chunk::XOR);
    EXPECT_EQ(p.chunks(i).raw().data(), c.data);
    if (check_hash) {
      EXPECT_EQ(p.chunks(i).raw().hash(), XXH64(c.data.data(), c.data.size(), 0));
    }
  }
}

const std::string kChunkA("\x00\x02\x80\x01\xff", 5), kChunkB(300, '\x5a');

TEST(WireTest, EncodedFramesParseAsSeriesResponse) {
  const tsdb::ChunkSeries a = Series(labels::Labels::FromSorted({{"__name__", "up"}, {"job", "x"}}),
                                     {{-5, 7, kChunkA}, {8, 1LL << 40, kChunkB}});
  const tsdb::ChunkSeries b =
      Series(labels::Labels::FromSorted({{"__name__", "up"}, {"e", ""}}), {});
  FrameEncoder enc;
  enc.Add(a);
  EXPECT_EQ(enc.series(), 1u);
  thanos::SeriesResponse single;
  ASSERT_TRUE(single.ParseFromString(Bytes(enc.Finish(false))));
  ASSERT_EQ(single.result_case(), thanos::SeriesResponse::kSeries);
  ExpectSame(single.series(), a);

  enc.Add(a);
  enc.Add(b);
  thanos::SeriesResponse batch;
  ASSERT_TRUE(batch.ParseFromString(Bytes(enc.Finish(true))));
  ASSERT_EQ(batch.result_case(), thanos::SeriesResponse::kBatch);
  ASSERT_EQ(batch.batch().series_size(), 2);
  ExpectSame(batch.batch().series(0), a);
  // An empty value is left out on the wire, as protobuf does; the label stays.
  EXPECT_EQ(batch.batch().series(1).labels(1).name(), "e");
  EXPECT_EQ(batch.batch().series(1).labels(1).value(), "");
  EXPECT_EQ(enc.series(), 0u);

  thanos::SeriesResponse empty_batch;
  ASSERT_TRUE(empty_batch.ParseFromString(Bytes(enc.Finish(true))));
  EXPECT_EQ(empty_batch.batch().series_size(), 0);

  thanos::SeriesResponse warning;
  ASSERT_TRUE(warning.ParseFromString(Bytes(WarningFrame("store x: down"))));
  EXPECT_EQ(warning.warning(), "store x: down");
}

TEST(WireTest, DecodesWhatProtobufWrites) {
  thanos::SeriesResponse batch;
  for (int i = 0; i < 3; ++i) {
    thanos::Series* s = batch.mutable_batch()->add_series();
    thanos::Label* l = s->add_labels();
    l->set_name("__name__");
    l->set_value("m" + std::to_string(i));
    thanos::AggrChunk* c = s->add_chunks();
    c->set_min_time(-1000 * i);
    c->set_max_time(1000 * i);
    c->mutable_raw()->set_data(kChunkB);
    c->mutable_raw()->set_hash(12345);  // not checked: the hash is for stores' deduplication
  }
  std::string bytes = batch.SerializeAsString();
  bytes += std::string("\x2a\x02xy", 4);  // field 5, unknown to Argus: skipped
  SeriesFrame got;
  ASSERT_TRUE(DecodeFrame(FromBytes(bytes), &got).ok());
  ASSERT_EQ(got.series.size(), 3u);
  for (int i = 0; i < 3; ++i) ExpectSame(batch.batch().series(i), got.series[i], false);

  thanos::SeriesResponse hints;
  hints.mutable_hints()->set_type_url("type.googleapis.com/x");
  ASSERT_TRUE(DecodeFrame(FromBytes(hints.SerializeAsString()), &got).ok());
  EXPECT_TRUE(got.series.empty());
  EXPECT_TRUE(got.warning.empty());

  thanos::SeriesResponse warning;
  warning.set_warning("partial");
  ASSERT_TRUE(DecodeFrame(FromBytes(warning.SerializeAsString()), &got).ok());
  EXPECT_EQ(got.warning, "partial");
}

TEST(WireTest, ChunkViewsOutliveTheFrame) {
  FrameEncoder enc;
  enc.Add(Series(labels::Labels::FromSorted({{"__name__", "up"}}), {{1, 2, kChunkB}}));
  SeriesFrame got;
  {
    WireFrame f = enc.Finish(false);
    ASSERT_TRUE(DecodeFrame(f, &got).ok());
  }
  ASSERT_EQ(got.series.size(), 1u);
  EXPECT_EQ(got.series[0].chunks[0].data, kChunkB);
}

TEST(WireTest, MalformedFramesAreDataLoss) {
  thanos::SeriesResponse r;
  thanos::AggrChunk* c = r.mutable_series()->add_chunks();
  c->mutable_raw()->set_data(kChunkA);
  const std::string good = r.SerializeAsString();
  SeriesFrame got;
  ASSERT_TRUE(DecodeFrame(FromBytes(good), &got).ok());
  for (size_t cut = 1; cut < good.size(); ++cut) {
    absl::Status s = DecodeFrame(FromBytes(good.substr(0, cut)), &got);
    EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss) << cut << ": " << s;
  }
  EXPECT_EQ(DecodeFrame(FromBytes("\x0b"), &got).code(), absl::StatusCode::kDataLoss);  // group

  c->mutable_raw()->set_type(thanos::Chunk::HISTOGRAM);
  absl::Status s = DecodeFrame(FromBytes(r.SerializeAsString()), &got);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(s.message().find("unsupported chunk encoding 1"), std::string::npos) << s;

  c->clear_raw();
  c->mutable_sum()->set_data(kChunkA);
  s = DecodeFrame(FromBytes(r.SerializeAsString()), &got);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(s.message().find("downsampled"), std::string::npos) << s;
}

}  // namespace
}  // namespace argus::storeapi
