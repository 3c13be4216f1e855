#include "tsdb/querier/chunk_series.h"

#include "gtest/gtest.h"
#include "tsdb/chunkenc/xor.h"

namespace argus::tsdb {
namespace {

// Appends a chunk holding samples t = from, from+step, ... < to with v = t.
void AddChunk(ChunkSeries* s, int64_t from, int64_t to, int64_t step) {
  chunkenc::XorAppender app;
  for (int64_t t = from; t < to; t += step) app.Append(t, static_cast<double>(t));
  auto bytes = std::make_shared<const std::string>(std::string(app.bytes()));
  s->chunks.push_back({from, app.last_t(), *bytes});
  s->keepalive.push_back(bytes);
}

std::vector<int64_t> Times(storage::SampleIterator& it) {
  std::vector<int64_t> out;
  while (it.Next()) {
    EXPECT_EQ(it.v(), static_cast<double>(it.t()));
    out.push_back(it.t());
  }
  EXPECT_TRUE(it.status().ok());
  return out;
}

TEST(ChunkSeriesTest, SequentialChunksRespectTheRange) {
  ChunkSeries s;
  AddChunk(&s, 0, 10, 1);
  AddChunk(&s, 10, 20, 1);
  auto it = NewChunkSeriesIterator(s, 5, 14);
  EXPECT_EQ(Times(*it), (std::vector<int64_t>{5, 6, 7, 8, 9, 10, 11, 12, 13, 14}));
}

// Batches of any size give the samples Next() gives, across chunk boundaries and with the range
// cutting into the first and last chunk; Seek and Next carry on after a batch.
TEST(ChunkSeriesTest, BatchesMatchNext) {
  ChunkSeries s;
  AddChunk(&s, 0, 100, 3);
  AddChunk(&s, 100, 250, 3);
  AddChunk(&s, 250, 400, 5);
  auto want_it = NewChunkSeriesIterator(s, 17, 333);
  const std::vector<int64_t> want = Times(*want_it);
  for (size_t max : {1, 2, 7, 32, 500}) {
    auto it = NewChunkSeriesIterator(s, 17, 333);
    std::vector<int64_t> got;
    std::vector<int64_t> ts(max);
    std::vector<double> vs(max);
    while (size_t n = it->NextBatch(ts.data(), vs.data(), max)) {
      for (size_t i = 0; i < n; ++i) {
        EXPECT_EQ(vs[i], static_cast<double>(ts[i]));
        got.push_back(ts[i]);
      }
    }
    EXPECT_TRUE(it->status().ok());
    EXPECT_EQ(got, want) << "batches of " << max;
  }
  auto it = NewChunkSeriesIterator(s, 17, 333);
  int64_t ts[4];
  double vs[4];
  ASSERT_EQ(it->NextBatch(ts, vs, 4), 4u);
  EXPECT_EQ(ts[3], 27);
  ASSERT_TRUE(it->Seek(26));  // already past: stays on the last sample returned
  EXPECT_EQ(it->t(), 27);
  ASSERT_TRUE(it->Next());
  EXPECT_EQ(it->t(), 30);
  ASSERT_TRUE(it->Seek(251));
  EXPECT_EQ(it->t(), 255);
  EXPECT_FALSE(it->Seek(334));
}

TEST(ChunkSeriesTest, SeekSkipsChunksAndNeverGoesBack) {
  ChunkSeries s;
  AddChunk(&s, 0, 10, 2);
  AddChunk(&s, 10, 20, 2);
  for (bool overlap : {false, true}) {
    if (overlap) AddChunk(&s, 1, 4, 2);  // {1, 3}: forces the merging iterator
    auto it = NewChunkSeriesIterator(s, INT64_MIN, INT64_MAX);
    ASSERT_TRUE(it->Seek(13));
    EXPECT_EQ(it->t(), 14);
    ASSERT_TRUE(it->Seek(2));
    EXPECT_EQ(it->t(), 14);
    ASSERT_TRUE(it->Next());
    EXPECT_EQ(it->t(), 16);
    EXPECT_FALSE(it->Seek(19));
  }
}

TEST(ChunkSeriesTest, OverlappingChunksAreMergedOncePerTimestamp) {
  ChunkSeries s;
  AddChunk(&s, 0, 10, 2);
  AddChunk(&s, 5, 12, 1);
  auto it = NewChunkSeriesIterator(s, INT64_MIN, INT64_MAX);
  EXPECT_EQ(Times(*it), (std::vector<int64_t>{0, 2, 4, 5, 6, 7, 8, 9, 10, 11}));
}

TEST(ChunkSeriesTest, RemoveDeletedReencodesOnlyTouchedChunks) {
  ChunkSeries s;
  AddChunk(&s, 0, 10, 1);
  AddChunk(&s, 10, 20, 1);
  AddChunk(&s, 20, 30, 1);
  const char* untouched = s.chunks[0].data.data();
  ASSERT_TRUE(RemoveDeleted({{12, 14}, {20, 29}}, &s).ok());
  ASSERT_EQ(s.chunks.size(), 2u);
  EXPECT_EQ(s.chunks[0].data.data(), untouched);
  EXPECT_EQ(s.chunks[1].min_time, 10);
  auto it = NewChunkSeriesIterator(s, 8, INT64_MAX);
  EXPECT_EQ(Times(*it), (std::vector<int64_t>{8, 9, 10, 11, 15, 16, 17, 18, 19}));
}

TEST(ChunkSeriesTest, CorruptChunkIsAnError) {
  ChunkSeries s;
  s.chunks.push_back({0, 10, absl::string_view("\x00\x05\x01", 3)});
  auto it = NewChunkSeriesIterator(s, INT64_MIN, INT64_MAX);
  while (it->Next()) {
  }
  EXPECT_EQ(it->status().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace argus::tsdb
