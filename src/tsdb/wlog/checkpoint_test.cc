#include "tsdb/wlog/checkpoint.h"

#include "base/coding.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tsdb/record/record.h"
#include "tsdb/wlog/test_util.h"
#include "tsdb/wlog/wlog.h"

namespace argus::tsdb::wlog {
namespace {

using ::testing::HasSubstr;
using testing::ReadAll;

namespace rec = ::argus::tsdb::record;

std::string Series(std::vector<uint64_t> refs) {
  std::vector<rec::RefSeries> s;
  for (uint64_t r : refs)
    s.push_back({r, labels::Labels{{"__name__", "m"}, {"id", std::to_string(r)}}});
  std::string out;
  rec::EncodeSeries(s, &out);
  return out;
}

std::string Samples(std::vector<rec::RefSample> s) {
  std::string out;
  rec::EncodeSamples(s, &out);
  return out;
}

// A histogram samples record (type 7) with one minimal histogram per (ref, t).
std::string Histograms(std::vector<std::pair<uint64_t, int64_t>> hs) {
  std::string out = "\x07";
  PutBE64(&out, hs[0].first);
  PutBE64(&out, static_cast<uint64_t>(hs[0].second));
  for (auto [ref, t] : hs) {
    PutVarint(&out, static_cast<int64_t>(ref - hs[0].first));
    PutVarint(&out, t - hs[0].second);
    out.push_back(0);                                 // hint
    PutVarint(&out, 0);                               // schema
    PutBE64(&out, 0);                                 // zero threshold
    PutUvarint(&out, 0);                              // zero count
    PutUvarint(&out, 1);                              // count
    PutBE64(&out, 0);                                 // sum
    for (int i = 0; i < 4; ++i) PutUvarint(&out, 0);  // no spans, no buckets
  }
  return out;
}

class CheckpointTest : public testing::TempDirTest {
 protected:
  // Segment i of the WAL holds records[i].
  void WriteSegments(const std::vector<std::vector<std::string>>& segments) {
    auto w = WAL::Open(Env::Default(), dir_, {});
    ASSERT_TRUE(w.ok()) << w.status();
    for (size_t i = 0; i < segments.size(); ++i) {
      for (const std::string& r : segments[i]) ASSERT_TRUE((*w)->Log(r).ok());
      if (i + 1 < segments.size()) {
        ASSERT_TRUE((*w)->NextSegment().ok());
      }
    }
    ASSERT_TRUE((*w)->Close().ok());
  }
};

TEST_F(CheckpointTest, KeepsExactlyWhatV242Keeps) {
  std::string stones, exemplars, metadata1, metadata2, markers;
  rec::EncodeTombstones({{1, {0, 500}}, {2, {100, 1500}}, {3, {2000, 3000}}}, &stones);
  rec::EncodeExemplars({{2, 900, 1, labels::Labels{{"trace_id", "a"}}},
                        {4, 1000, 2, labels::Labels{{"trace_id", "b"}}}},
                       &exemplars);
  rec::EncodeMetadata({{2, 1, "", "old help"}, {3, 2, "", "odd"}}, &metadata1);
  rec::EncodeMetadata({{2, 1, "s", "new help"}}, &metadata2);
  rec::EncodeMmapMarkers({{2, 7}}, &markers);
  WriteSegments({
      {Series({1, 2, 3, 4}), Samples({{1, 999, 1}, {2, 1000, 2}, {3, 1001, 3}}), metadata1},
      {stones, exemplars, markers, "\x42unknown", "\x08", Histograms({{2, 500}, {4, 1500}})},
      {Series({5, 6}), Samples({{5, 10, 1}, {6, 20, 2}}), metadata2},
      {Series({7}), Samples({{7, 5000, 1}})},  // beyond `to`
  });
  auto keep = [](uint64_t ref) { return ref % 2 == 0; };
  auto stats = Checkpoint(Env::Default(), dir_, 0, 2, keep, 1000);
  ASSERT_TRUE(stats.ok()) << stats.status();
  EXPECT_EQ(stats->total_series, 6u);
  EXPECT_EQ(stats->dropped_series, 3u);
  EXPECT_EQ(stats->total_samples, 7u);  // 5 float + 2 histogram
  EXPECT_EQ(stats->dropped_samples, 4u);
  EXPECT_EQ(stats->total_tombstones, 3u);
  EXPECT_EQ(stats->dropped_tombstones, 1u);
  EXPECT_EQ(stats->total_exemplars, 2u);
  EXPECT_EQ(stats->dropped_exemplars, 1u);
  EXPECT_EQ(stats->total_metadata, 3u);
  EXPECT_EQ(stats->dropped_metadata, 2u);  // ref 3 not kept; ref 2 superseded

  const std::string cp = JoinPath(dir_, "checkpoint.00000002");
  EXPECT_TRUE(std::filesystem::is_directory(cp));
  EXPECT_FALSE(std::filesystem::exists(cp + ".tmp"));
  auto got = ReadAll(Env::Default(), cp);
  ASSERT_TRUE(got.status.ok()) << got.status;
  std::string want_stones, want_ex, want_md;
  rec::EncodeTombstones({{2, {100, 1500}}, {3, {2000, 3000}}}, &want_stones);
  rec::EncodeExemplars({{4, 1000, 2, labels::Labels{{"trace_id", "b"}}}}, &want_ex);
  rec::EncodeMetadata({{2, 1, "s", "new help"}}, &want_md);
  const std::vector<std::string> want = {
      Series({2, 4}),
      // Samples of any series with t >= mint: v2.42 filters samples by time only.
      Samples({{2, 1000, 2}, {3, 1001, 3}}), want_stones, want_ex, Histograms({{4, 1500}}),
      Series({6}),
      want_md,  // latest metadata of kept series, last
  };
  EXPECT_EQ(got.records, want);

  // LastCheckpoint finds it; the next checkpoint starts from it.
  auto last = LastCheckpoint(Env::Default(), dir_);
  ASSERT_TRUE(last.ok());
  EXPECT_EQ(last->index, 2);
  EXPECT_EQ(last->name, "checkpoint.00000002");
  EXPECT_EQ(last->dir, cp);
  auto gap = Checkpoint(Env::Default(), dir_, 4, 4, keep, 1000);
  EXPECT_EQ(gap.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(gap.status().message(), HasSubstr("expected:3, requested:4"));
  auto next = Checkpoint(
      Env::Default(), dir_, 0, 3, [](uint64_t) { return true; }, 1001);
  ASSERT_TRUE(next.ok()) << next.status();
  auto got3 = ReadAll(Env::Default(), JoinPath(dir_, "checkpoint.00000003"));
  ASSERT_TRUE(got3.status.ok());
  // The exemplar at 1000 is gone now; segment 3 follows the old checkpoint's records.
  const std::vector<std::string> want3 = {
      Series({2, 4}), Samples({{3, 1001, 3}}), want_stones, Histograms({{4, 1500}}), Series({6}),
      Series({7}),    Samples({{7, 5000, 1}}), want_md};
  EXPECT_EQ(got3.records, want3);

  ASSERT_TRUE(DeleteCheckpoints(Env::Default(), dir_, 3).ok());
  auto all = ListCheckpoints(Env::Default(), dir_);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].index, 3);
}

TEST_F(CheckpointTest, ListingSkipsTemporariesAndRejectsFiles) {
  EXPECT_EQ(LastCheckpoint(Env::Default(), dir_).status().code(), absl::StatusCode::kNotFound);
  std::filesystem::create_directories(JoinPath(dir_, "checkpoint.00000004.tmp"));
  std::filesystem::create_directories(JoinPath(dir_, "checkpoint.00000010"));
  std::filesystem::create_directories(JoinPath(dir_, "checkpoint.00000009"));
  auto all = ListCheckpoints(Env::Default(), dir_);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].index, 9);
  EXPECT_EQ((*all)[1].index, 10);
  testing::WriteBytes(JoinPath(dir_, "checkpoint.00000011"), "");
  EXPECT_EQ(ListCheckpoints(Env::Default(), dir_).status().code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(CheckpointDirName(7), "checkpoint.00000007");
}

TEST_F(CheckpointTest, CorruptInputFailsAndLeavesNoTemporaryDirectory) {
  WriteSegments({{Series({1})}, {Samples({{1, 5, 5}})}});
  std::string seg = testing::FileBytes(SegmentPath(dir_, 1));
  seg[9] ^= 1;
  testing::WriteBytes(SegmentPath(dir_, 1), seg);
  auto st = Checkpoint(
      Env::Default(), dir_, 0, 1, [](uint64_t) { return true; }, 0);
  EXPECT_EQ(st.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_FALSE(std::filesystem::exists(JoinPath(dir_, "checkpoint.00000001.tmp")));
  EXPECT_FALSE(std::filesystem::exists(JoinPath(dir_, "checkpoint.00000001")));

  // A record that fails to decode is also an error.
  std::filesystem::remove_all(dir_);
  WriteSegments({{"\x02short"}});
  st = Checkpoint(
      Env::Default(), dir_, 0, 0, [](uint64_t) { return true; }, 0);
  EXPECT_EQ(st.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(st.status().message(), HasSubstr("decode samples"));
}

}  // namespace
}  // namespace argus::tsdb::wlog
