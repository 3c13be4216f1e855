#include "tsdb/head/head.h"

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tsdb/record/record.h"

namespace argus::tsdb::head {
namespace {

constexpr int64_t kHour = 3600 * 1000;

labels::Labels L(const std::string& name, const std::string& v = "x") {
  return labels::Labels({{"__name__", name}, {"job", v}});
}

// All samples of the series `lset` in the head, via the postings and SeriesChunks.
std::vector<std::pair<int64_t, double>> Samples(const Head& h, const labels::Labels& lset) {
  std::vector<std::pair<int64_t, double>> out;
  index::PostingsList refs = h.Postings("__name__", lset.Get("__name__"));
  for (uint64_t ref : refs) {
    ChunkSeries s;
    std::vector<tombstones::Interval> deleted;
    if (!h.SeriesChunks(ref, INT64_MIN, INT64_MAX, &s, &deleted) || !(s.labels == lset)) continue;
    auto it = NewChunkSeriesIterator(s, INT64_MIN, INT64_MAX);
    while (it->Next()) out.emplace_back(it->t(), it->v());
  }
  return out;
}

TEST(HeadTest, CommitMakesTheBatchVisibleAndRollbackDiscardsIt) {
  Head h({});
  auto app = h.NewAppender();
  ASSERT_TRUE(app->Append(0, L("a"), 1000, 1).ok());
  ASSERT_TRUE(app->Append(0, L("b"), 1000, 2).ok());
  EXPECT_TRUE(Samples(h, L("a")).empty());
  ASSERT_TRUE(app->Commit().ok());
  EXPECT_EQ(Samples(h, L("a")), (std::vector<std::pair<int64_t, double>>{{1000, 1}}));
  EXPECT_EQ(h.min_time(), 1000);
  EXPECT_EQ(h.max_time(), 1000);

  ASSERT_TRUE(app->Append(0, L("a"), 2000, 5).ok());
  ASSERT_TRUE(app->Rollback().ok());
  EXPECT_EQ(Samples(h, L("a")).size(), 1u);
  EXPECT_EQ(h.num_series(), 2u);
}

TEST(HeadTest, RefsFromAppendFindTheSeries) {
  Head h({});
  auto app = h.NewAppender();
  absl::StatusOr<storage::SeriesRef> ref = app->Append(0, L("a"), 1, 1);
  ASSERT_TRUE(ref.ok());
  EXPECT_EQ(*app->Append(*ref, labels::Labels(), 2, 2), *ref);
  EXPECT_EQ(*app->Append(0, L("a"), 3, 3), *ref);
  ASSERT_TRUE(app->Commit().ok());
  EXPECT_EQ(Samples(h, L("a")).size(), 3u);
}

TEST(HeadTest, RejectsOutOfOrderDuplicateAndOutOfBoundsSamples) {
  Head h({});
  auto app = h.NewAppender();
  ASSERT_TRUE(app->Append(0, L("a"), 10 * kHour, 1).ok());
  // Within the batch.
  EXPECT_EQ(app->Append(0, L("a"), 10 * kHour - 1, 1).status().message(), "out of order sample");
  EXPECT_EQ(app->Append(0, L("a"), 10 * kHour, 2).status().message(),
            "duplicate sample for timestamp");
  EXPECT_TRUE(app->Append(0, L("a"), 10 * kHour, 1).ok());  // the same sample again: a no-op
  ASSERT_TRUE(app->Commit().ok());
  // Against committed samples.
  absl::Status st = app->Append(0, L("a"), 10 * kHour - 5, 1).status();
  EXPECT_EQ(st.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(app->Append(0, L("a"), 10 * kHour, 3).status().message(),
            "duplicate sample for timestamp");
  // More than half a chunk range behind the newest sample.
  st = app->Append(0, L("b"), 10 * kHour - kHour - 1, 1).status();
  EXPECT_EQ(st.code(), absl::StatusCode::kOutOfRange) << st;
  EXPECT_TRUE(app->Append(0, L("b"), 10 * kHour - kHour, 1).ok());
  EXPECT_EQ(app->Append(0, labels::Labels(), 10 * kHour, 1).status().code(),
            absl::StatusCode::kInvalidArgument);
  // A ref alone must be known.
  EXPECT_EQ(app->Append(987654, labels::Labels(), 10 * kHour, 1).status().code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(app->Commit().ok());
  EXPECT_EQ(Samples(h, L("a")).size(), 1u);
}

TEST(HeadTest, InBatchChecksUseEachSeriesLatestPendingSample) {
  Head h({});
  auto app = h.NewAppender();
  ASSERT_TRUE(app->Append(0, L("a"), 1000, 1).ok());
  ASSERT_TRUE(app->Append(0, L("b"), 1000, 1).ok());
  ASSERT_TRUE(app->Append(0, L("a"), 2000, 2).ok());  // the second sample of a series
  ASSERT_TRUE(app->Append(0, L("b"), 3000, 3).ok());
  ASSERT_TRUE(app->Append(0, L("a"), 4000, 4).ok());
  EXPECT_EQ(app->Append(0, L("a"), 3000, 9).status().message(), "out of order sample");
  EXPECT_EQ(app->Append(0, L("b"), 3000, 9).status().message(), "duplicate sample for timestamp");
  EXPECT_TRUE(app->Append(0, L("b"), 3000, 3).ok());  // the same sample again: a no-op
  // Another appender's pending samples do not constrain this one's.
  auto other = h.NewAppender();
  ASSERT_TRUE(other->Append(0, L("a"), 1500, 7).ok());
  ASSERT_TRUE(app->Commit().ok());
  using P = std::vector<std::pair<int64_t, double>>;
  EXPECT_EQ(Samples(h, L("a")), (P{{1000, 1}, {2000, 2}, {4000, 4}}));
  EXPECT_EQ(Samples(h, L("b")), (P{{1000, 1}, {3000, 3}}));
  // Committed after newer samples: dropped at commit as out of order.
  ASSERT_TRUE(other->Commit().ok());
  EXPECT_EQ(Samples(h, L("a")).size(), 3u);
}

TEST(HeadTest, CommitLogsSeriesBeforeSamplesAndFailsWithTheLog) {
  std::vector<std::string> logged;
  bool fail = false;
  HeadOptions opts;
  opts.log = [&](absl::Span<const std::string> recs) -> absl::Status {
    if (fail) return absl::ResourceExhaustedError("disk full");
    logged.insert(logged.end(), recs.begin(), recs.end());
    return absl::OkStatus();
  };
  Head h(opts);
  auto app = h.NewAppender();
  ASSERT_TRUE(app->Append(0, L("a"), 1, 1).ok());
  ASSERT_TRUE(app->Commit().ok());
  ASSERT_EQ(logged.size(), 2u);
  std::vector<record::RefSeries> series;
  ASSERT_TRUE(record::DecodeSeries(logged[0], &series).ok());
  ASSERT_EQ(series.size(), 1u);
  EXPECT_EQ(series[0].labels, L("a"));
  std::vector<record::RefSample> samples;
  ASSERT_TRUE(record::DecodeSamples(logged[1], &samples).ok());
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples[0].ref, series[0].ref);

  // A failed write: nothing becomes visible, and the new series is logged by the next commit.
  fail = true;
  ASSERT_TRUE(app->Append(0, L("b"), 2, 2).ok());
  EXPECT_EQ(app->Commit().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_TRUE(Samples(h, L("b")).empty());
  fail = false;
  ASSERT_TRUE(app->Append(0, L("b"), 3, 3).ok());
  ASSERT_TRUE(app->Commit().ok());
  series.clear();
  ASSERT_TRUE(record::DecodeSeries(logged[2], &series).ok());
  EXPECT_EQ(series.at(0).labels, L("b"));
  EXPECT_EQ(Samples(h, L("b")), (std::vector<std::pair<int64_t, double>>{{3, 3}}));
}

TEST(HeadTest, TruncateGarbageCollectsSeriesWithoutSamples) {
  Head h({});
  auto app = h.NewAppender();
  ASSERT_TRUE(app->Append(0, L("old"), 1000, 1).ok());
  ASSERT_TRUE(app->Append(0, L("new", "y"), 1000, 1).ok());
  ASSERT_TRUE(app->Commit().ok());
  ASSERT_TRUE(app->Append(0, L("new", "y"), 3 * kHour, 1).ok());
  ASSERT_TRUE(app->Commit().ok());
  h.Truncate(2 * kHour);
  EXPECT_EQ(h.num_series(), 1u);
  EXPECT_TRUE(h.Postings("__name__", "old").empty());
  EXPECT_EQ(h.LabelValues("job"), std::vector<std::string>{"y"});
  EXPECT_EQ(h.min_time(), 3 * kHour);
  EXPECT_EQ(app->Append(0, L("old"), 2 * kHour - 1, 1).status().code(),
            absl::StatusCode::kOutOfRange);
}

TEST(HeadTest, DeleteHidesSamplesThroughTombstones) {
  Head h({});
  auto app = h.NewAppender();
  for (int64_t t = 1; t <= 10; ++t) ASSERT_TRUE(app->Append(0, L("a"), t, t).ok());
  ASSERT_TRUE(app->Commit().ok());
  ASSERT_TRUE(h.Delete(h.Postings("__name__", "a"), 3, 8).ok());
  ChunkSeries s;
  std::vector<tombstones::Interval> deleted;
  ASSERT_TRUE(h.SeriesChunks(h.Postings("__name__", "a")[0], 0, 100, &s, &deleted));
  EXPECT_EQ(deleted, (std::vector<tombstones::Interval>{{3, 8}}));
}

// Writers commit batches that give every series of their target the same timestamp; a
// reader taking consistent views must always see each target's series at the same length.
TEST(HeadTest, ConcurrentCommitsAreAtomicForReaders) {
  Head h({});
  constexpr int kWriters = 3, kSeries = 50, kBatches = 200;
  std::atomic<bool> stop{false};
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&h, w] {
      auto app = h.NewAppender();
      for (int b = 1; b <= kBatches; ++b) {
        for (int s = 0; s < kSeries; ++s) {
          ASSERT_TRUE(app->Append(0, L(absl::StrCat("m", s), absl::StrCat("w", w)), b, b).ok());
        }
        ASSERT_TRUE(app->Commit().ok());
      }
    });
  }
  std::thread reader([&] {
    while (!stop.load()) {
      std::map<std::string, std::set<size_t>> lengths;  // target -> lengths seen
      h.WithConsistentView([&] {
        for (uint64_t ref : h.AllPostings()) {
          ChunkSeries s;
          std::vector<tombstones::Interval> deleted;
          if (!h.SeriesChunks(ref, INT64_MIN, INT64_MAX, &s, &deleted)) continue;
          size_t n = 0;
          for (const ChunkView& c : s.chunks) n += chunkenc::XorNumSamples(c.data);
          lengths[std::string(s.labels.Get("job"))].insert(n);
        }
      });
      for (const auto& [job, ns] : lengths) EXPECT_LE(ns.size(), 1u) << job;
    }
  });
  for (auto& t : writers) t.join();
  stop = true;
  reader.join();
  EXPECT_EQ(h.num_series(), static_cast<size_t>(kWriters * kSeries));
  EXPECT_EQ(Samples(h, L("m7", "w1")).size(), static_cast<size_t>(kBatches));
}

TEST(HeadTest, StatsCountTheIndexAndChunks) {
  Head h({});
  auto app = h.NewAppender();
  // a{job=x}, a{job=y}, b{job=x}; a{job=x} gets 200 samples (two chunks).
  for (int i = 0; i < 200; ++i) ASSERT_TRUE(app->Append(0, L("a"), 1000 * i, i).ok());
  ASSERT_TRUE(app->Append(0, L("a", "y"), 0, 1).ok());
  ASSERT_TRUE(app->Append(0, L("b"), 0, 1).ok());
  ASSERT_TRUE(app->Commit().ok());
  EXPECT_EQ(h.NumChunks(), 4u);
  const PostingsStats st = h.Stats(10);
  using Top = PostingsStats::Top;
  EXPECT_EQ(st.num_label_pairs, 4u);  // __name__=a, __name__=b, job=x, job=y
  EXPECT_EQ(st.series_by_metric_name, (Top{{"a", 2}, {"b", 1}}));
  EXPECT_EQ(st.values_by_label_name, (Top{{"__name__", 2}, {"job", 2}}));
  EXPECT_EQ(st.value_bytes_by_label_name, (Top{{"__name__", 2}, {"job", 2}}));
  EXPECT_EQ(st.series_by_label_pair,
            (Top{{"__name__=a", 2}, {"job=x", 2}, {"__name__=b", 1}, {"job=y", 1}}));
  EXPECT_EQ(h.Stats(1).series_by_label_pair, (Top{{"__name__=a", 2}}));
}

TEST(RefTableTest, RegistersRemovesAndIgnoresRefsPastItsCapacity) {
  RefTable t;
  auto* a = reinterpret_cast<MemSeries*>(uintptr_t{64});
  EXPECT_EQ(t.Get(1), nullptr);
  t.Set(1, a);
  t.Set(70000, a);  // a second page
  EXPECT_EQ(t.Get(1), a);
  EXPECT_EQ(t.Get(70000), a);
  EXPECT_EQ(t.Get(2), nullptr);
  t.Set(1, nullptr);
  EXPECT_EQ(t.Get(1), nullptr);
  t.Set(uint64_t{1} << 40, a);
  EXPECT_EQ(t.Get(uint64_t{1} << 40), nullptr);
}

}  // namespace
}  // namespace argus::tsdb::head
