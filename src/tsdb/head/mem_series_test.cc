#include "tsdb/head/mem_series.h"

#include <cmath>

#include "gtest/gtest.h"
#include "tsdb/head/interner.h"
#include "tsdb/head/series_pool.h"

namespace argus::tsdb::head {
namespace {

constexpr int64_t kHour = 3600 * 1000;

std::vector<std::pair<int64_t, int64_t>> ChunkRanges(const MemSeries& s,
                                                     const chunks::HeadChunks& store) {
  ChunkSeries out;
  s.Chunks(INT64_MIN, INT64_MAX, store, &out);
  std::vector<std::pair<int64_t, int64_t>> r;
  for (const ChunkView& c : out.chunks) r.emplace_back(c.min_time, c.max_time);
  return r;
}

// A 15s scrape fills a 2h range with four chunks of 120 samples, as Prometheus cuts them.
TEST(MemSeriesTest, CutsChunksEvenlyUpToTheRangeBoundary) {
  Interner in;
  auto store = *chunks::HeadChunks::Open(nullptr, "");
  MemSeries s(1, {{in.Intern("__name__"), in.Intern("up")}});
  for (int64_t t = 0; t < 2 * kHour + 60000; t += 15000)
    ASSERT_TRUE(s.Append(t, 1, 2 * kHour, *store));
  const auto r = ChunkRanges(s, *store);
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0], std::make_pair(int64_t{0}, int64_t{1785000}));
  EXPECT_EQ(r[1].first, 1800000);
  EXPECT_EQ(r[3].second, 2 * kHour - 15000);  // never crosses the boundary
  EXPECT_EQ(r[4].first, 2 * kHour);
}

// The end time is planned from the first quarter of a chunk; when samples then come much
// faster, the chunk is still cut at twice the target.
TEST(MemSeriesTest, CapsChunksAtTwiceTheTarget) {
  Interner in;
  auto store = *chunks::HeadChunks::Open(nullptr, "");
  MemSeries s(1, {{in.Intern("a"), in.Intern("b")}});
  for (int64_t t = 0; t < 30000; t += 1000) ASSERT_TRUE(s.Append(t, 0, 2 * kHour, *store));
  for (int64_t t = 30000; t < 30500; ++t) ASSERT_TRUE(s.Append(t, 0, 2 * kHour, *store));
  const auto r = ChunkRanges(s, *store);
  ASSERT_GE(r.size(), 2u);
  EXPECT_EQ(r[0].second, 30000 + 240 - 30 - 1);  // 30 slow + 210 fast samples
  EXPECT_EQ(r[1].first, 30000 + 210);
}

TEST(MemSeriesTest, RejectsOldSamplesAndKeepsNaNBits) {
  Interner in;
  auto store = *chunks::HeadChunks::Open(nullptr, "");
  MemSeries s(1, {{in.Intern("a"), in.Intern("b")}});
  const double stale = std::bit_cast<double>(uint64_t{0x7ff0000000000002});
  EXPECT_TRUE(s.Append(10, stale, kHour, *store));
  EXPECT_FALSE(s.Append(10, 1, kHour, *store));
  EXPECT_FALSE(s.Append(9, 1, kHour, *store));
  ChunkSeries out;
  s.Chunks(0, 100, *store, &out);
  chunkenc::XorIterator it(out.chunks.at(0).data);
  ASSERT_TRUE(it.Next());
  EXPECT_EQ(std::bit_cast<uint64_t>(it.v()), 0x7ff0000000000002u);
}

TEST(MemSeriesTest, TruncateDropsOldChunks) {
  Interner in;
  auto store = *chunks::HeadChunks::Open(nullptr, "");
  MemSeries s(1, {{in.Intern("a"), in.Intern("b")}});
  for (int64_t t = 0; t < 3 * kHour; t += 60000) s.Append(t, 1, kHour, *store);
  s.TruncateBefore(kHour, *store);
  EXPECT_EQ(s.min_time(*store), kHour);
  s.TruncateBefore(3 * kHour, *store);
  EXPECT_TRUE(s.empty());
}

}  // namespace
}  // namespace argus::tsdb::head

namespace argus::tsdb::head {
namespace {

TEST(SeriesPoolTest, HandsOutAlignedSlotsInOrderAndReusesFreedOnes) {
  SeriesPool pool;
  Interner in;
  MemSeries* a = pool.New(1, std::vector<InternedLabel>{{in.Intern("a"), in.Intern("1")}});
  MemSeries* b = pool.New(2, std::vector<InternedLabel>{{in.Intern("a"), in.Intern("2")}});
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a) % 64, 0u);
  EXPECT_EQ(reinterpret_cast<char*>(b) - reinterpret_cast<char*>(a),
            static_cast<ptrdiff_t>(sizeof(MemSeries)));
  pool.Delete(a);
  MemSeries* c = pool.New(3, std::vector<InternedLabel>{});
  EXPECT_EQ(c, a);
  EXPECT_EQ(c->ref(), 3u);
  EXPECT_EQ(b->Get("a"), "2");
  pool.Delete(b);
  pool.Delete(c);
}

}  // namespace
}  // namespace argus::tsdb::head
