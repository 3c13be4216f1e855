#include "tsdb/wlog/wlog.h"

#include <thread>

#include "base/coding.h"
#include "base/crc32c.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "snappy.h"
#include "tsdb/wlog/test_util.h"

namespace argus::tsdb::wlog {
namespace {

using testing::FileBytes;
using testing::RandomBytes;
using testing::ReadAll;

// A fragment as the format describes it: type | be16 length | be32 crc32c(payload) | payload.
std::string Frag(uint8_t type, absl::string_view payload) {
  std::string f(1, static_cast<char>(type));
  PutBE16(&f, static_cast<uint16_t>(payload.size()));
  PutBE32(&f, Crc32c(payload));
  f.append(payload.data(), payload.size());
  return f;
}

std::string PadToPage(std::string s) {
  s.resize((s.size() + kPageSize - 1) / kPageSize * kPageSize, '\0');
  return s;
}

class WalTest : public testing::TempDirTest {
 protected:
  std::unique_ptr<WAL> OpenWal(Options o) {
    auto w = WAL::Open(Env::Default(), dir_, o);
    EXPECT_TRUE(w.ok()) << w.status();
    return w.ok() ? *std::move(w) : nullptr;
  }
  std::string Seg(int i) { return FileBytes(SegmentPath(dir_, i)); }
};

TEST(Crc32cTest, IsCastagnoli) {
  // The check value of CRC-32C (iSCSI), the polynomial Go's crc32.Castagnoli table uses.
  EXPECT_EQ(Crc32c("123456789"), 0xE3069283u);
}

TEST_F(WalTest, SmallRecordsAreFullFragmentsFlushedAtEachLog) {
  auto w = OpenWal({.compress = false});
  ASSERT_TRUE(w->Log("hello").ok());
  // Handed to the OS at the end of Log: the partial page is in the file already.
  EXPECT_EQ(Seg(0), Frag(1, "hello"));
  std::vector<std::string> batch = {"", "abc"};
  ASSERT_TRUE(w->Log(absl::MakeConstSpan(batch)).ok());
  const std::string want = Frag(1, "hello") + Frag(1, "") + Frag(1, "abc");
  EXPECT_EQ(Seg(0), want);
  EXPECT_EQ(Frag(1, "").substr(1), std::string(6, '\0'));  // empty: zero length, CRC 0
  ASSERT_TRUE(w->Close().ok());
  // Closing zero-pads the last page.
  EXPECT_EQ(Seg(0), PadToPage(want));
  EXPECT_FALSE(w->Close().ok());
  EXPECT_EQ(w->Log("x").code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(WalTest, LargeRecordIsSplitIntoFirstMiddleLastAcrossPages) {
  std::mt19937_64 rng(1);
  const std::string big = RandomBytes(rng, 2 * kPageSize + 100);
  auto w = OpenWal({.compress = false});
  ASSERT_TRUE(w->Log("ab").ok());
  ASSERT_TRUE(w->Log(big).ok());
  ASSERT_TRUE(w->Close().ok());
  const size_t first = kPageSize - 9 - kHeaderSize;  // the rest of page 0
  const size_t middle = kMaxFragmentPayload;
  std::string want = Frag(1, "ab") + Frag(2, absl::string_view(big).substr(0, first)) +
                     Frag(3, absl::string_view(big).substr(first, middle)) +
                     Frag(4, absl::string_view(big).substr(first + middle));
  EXPECT_EQ(Seg(0), PadToPage(want));
  auto r = ReadAll(Env::Default(), dir_);
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[1], big);
}

TEST_F(WalTest, PageWithLessThanAHeaderLeftIsPadded) {
  std::mt19937_64 rng(2);
  // Leaves 4 bytes in page 0: too few for a header, so the page is closed.
  const std::string a = RandomBytes(rng, kPageSize - kHeaderSize - 4);
  auto w = OpenWal({.compress = false});
  ASSERT_TRUE(w->Log(a).ok());
  EXPECT_EQ(Seg(0).size(), kPageSize);  // completed page written whole
  ASSERT_TRUE(w->Log("next").ok());
  ASSERT_TRUE(w->Close().ok());
  EXPECT_EQ(Seg(0), PadToPage(PadToPage(Frag(1, a)) + Frag(1, "next")));

  // With exactly 7 + 3 bytes left, a 5-byte record is split: 3 bytes, then 2 on the next page.
  std::filesystem::remove_all(dir_);
  const std::string b = RandomBytes(rng, kPageSize - kHeaderSize - 10);
  w = OpenWal({.compress = false});
  ASSERT_TRUE(w->Log(b).ok());
  ASSERT_TRUE(w->Log("12345").ok());
  ASSERT_TRUE(w->Close().ok());
  EXPECT_EQ(Seg(0), PadToPage(Frag(1, b) + Frag(2, "123") + Frag(4, "45")));
}

TEST_F(WalTest, CompressesOnlyWhenStrictlyShorter) {
  std::mt19937_64 rng(3);
  const std::string text = testing::Compressible(rng, 5000);
  const std::string noise = RandomBytes(rng, 300);
  auto w = OpenWal({.compress = true});
  ASSERT_TRUE(w->Log(text).ok());
  ASSERT_TRUE(w->Log(noise).ok());
  ASSERT_TRUE(w->Log("tiny").ok());
  ASSERT_TRUE(w->Close().ok());
  std::string snappy_text;
  snappy::Compress(text.data(), text.size(), &snappy_text);
  ASSERT_LT(snappy_text.size(), text.size());
  EXPECT_EQ(Seg(0), PadToPage(Frag(0x09, snappy_text) + Frag(1, noise) + Frag(1, "tiny")));
  Stats st = w->stats();
  EXPECT_EQ(st.records, 3u);
  EXPECT_EQ(st.compressed_records, 1u);
  EXPECT_EQ(st.record_bytes, text.size() + noise.size() + 4);

  auto r = ReadAll(Env::Default(), dir_);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.records, (std::vector<std::string>{text, noise, "tiny"}));
}

TEST_F(WalTest, CompressedRecordSpanningPagesFlagsEveryFragment) {
  std::mt19937_64 rng(4);
  const std::string text = testing::Compressible(rng, 400000);
  auto w = OpenWal({.compress = true});
  ASSERT_TRUE(w->Log(text).ok());
  ASSERT_TRUE(w->Close().ok());
  const std::string seg = Seg(0);
  ASSERT_GT(seg.size(), kPageSize);  // compressed, still more than a page
  EXPECT_EQ(static_cast<uint8_t>(seg[0]), 0x0a);
  EXPECT_EQ(static_cast<uint8_t>(seg[kPageSize]), seg.size() > 2 * kPageSize ? 0x0b : 0x0c);
  auto r = ReadAll(Env::Default(), dir_);
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0], text);
}

TEST_F(WalTest, RecordsNeverCrossSegments) {
  std::mt19937_64 rng(5);
  const Options o{.segment_size = 3 * kPageSize, .compress = false};
  auto w = OpenWal(o);
  std::vector<std::string> recs;
  for (int i = 0; i < 40; ++i) {
    recs.push_back(RandomBytes(rng, rng() % 40000));
    ASSERT_TRUE(w->Log(recs.back()).ok());
  }
  ASSERT_TRUE(w->Close().ok());
  auto range = Segments(Env::Default(), dir_);
  ASSERT_TRUE(range.ok());
  ASSERT_GT(range->last, 5);
  // Each segment read on its own holds whole records, and all of them in order.
  std::vector<std::string> all;
  for (int i = range->first; i <= range->last; ++i) {
    const std::string seg = Seg(i);
    EXPECT_EQ(seg.size() % kPageSize, 0u) << i;
    EXPECT_LE(seg.size(), o.segment_size) << i;
    auto r = ReadAll(Env::Default(), dir_, i, i);
    ASSERT_TRUE(r.status.ok()) << i << ": " << r.status;
    all.insert(all.end(), r.records.begin(), r.records.end());
  }
  EXPECT_EQ(all, recs);
}

TEST_F(WalTest, RecordLargerThanASegmentGrowsItsOwnSegment) {
  std::mt19937_64 rng(6);
  const std::string huge = RandomBytes(rng, 5 * kPageSize);
  auto w = OpenWal({.segment_size = 2 * kPageSize, .compress = false});
  ASSERT_TRUE(w->Log("a").ok());
  ASSERT_TRUE(w->Log(huge).ok());
  ASSERT_TRUE(w->Log("b").ok());
  ASSERT_TRUE(w->Close().ok());
  EXPECT_EQ(Seg(0), PadToPage(Frag(1, "a")));
  EXPECT_EQ(Seg(1).size(), 6 * kPageSize);  // past the 2-page limit
  EXPECT_EQ(Seg(2), PadToPage(Frag(1, "b")));
  auto r = ReadAll(Env::Default(), dir_);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.records, (std::vector<std::string>{"a", huge, "b"}));
}

TEST_F(WalTest, OpenStartsANewSegmentAfterTheLast) {
  auto w = OpenWal({});
  ASSERT_TRUE(w->Log("one").ok());
  EXPECT_EQ(w->ActiveSegment(), 0);
  ASSERT_TRUE(w->Close().ok());
  w = OpenWal({});
  EXPECT_EQ(w->ActiveSegment(), 1);
  ASSERT_TRUE(w->Log("two").ok());
  auto next = w->NextSegment();
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(*next, 2);
  EXPECT_EQ(Seg(1).size(), kPageSize);  // the finished segment was padded
  // An empty active segment is cut without padding (an empty page is never written).
  ASSERT_TRUE(w->NextSegment().ok());
  EXPECT_EQ(Seg(2).size(), 0u);
  auto range = w->Segments();
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(range->first, 0);
  EXPECT_EQ(range->last, 3);
  ASSERT_TRUE(w->Log("three").ok());
  ASSERT_TRUE(w->Close().ok());
  auto r = ReadAll(Env::Default(), dir_);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.records, (std::vector<std::string>{"one", "two", "three"}));
  EXPECT_EQ(r.ends[2].first, 3);
}

TEST_F(WalTest, TruncateRemovesOlderSegmentsButNeverTheActiveOne) {
  auto w = OpenWal({});
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(w->NextSegment().ok());
  ASSERT_TRUE(w->Truncate(2).ok());
  auto range = w->Segments();
  ASSERT_TRUE(range.ok());
  EXPECT_EQ(range->first, 2);
  EXPECT_EQ(range->last, 4);
  ASSERT_TRUE(w->Truncate(100).ok());
  range = w->Segments();
  EXPECT_EQ(range->first, 4);
  EXPECT_EQ(w->stats().truncations, 2u);
  ASSERT_TRUE(w->Close().ok());
}

TEST_F(WalTest, InvalidSegmentSize) {
  EXPECT_EQ(WAL::Open(Env::Default(), dir_, {.segment_size = 1000}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(WAL::Open(Env::Default(), dir_, {.segment_size = 0}).ok());
}

TEST_F(WalTest, StatsCountPagesAndSegments) {
  auto w = OpenWal({.segment_size = 2 * kPageSize, .compress = false});
  std::mt19937_64 rng(7);
  ASSERT_TRUE(w->Log(RandomBytes(rng, kPageSize)).ok());  // two pages: one completed
  ASSERT_TRUE(w->NextSegment().ok());
  ASSERT_TRUE(w->Sync().ok());
  ASSERT_TRUE(w->Close().ok());
  Stats s = w->stats();
  EXPECT_EQ(s.segments_created, 2u);
  EXPECT_EQ(s.page_completions, 2u);
  EXPECT_EQ(s.bytes_written, 2 * kPageSize);
  EXPECT_EQ(s.current_segment, 1);
  EXPECT_GE(s.fsyncs, 3u);  // cut segment (background), Sync, Close
  EXPECT_EQ(s.fsync_errors, 0u);
}

TEST_F(WalTest, ConcurrentWritersLoseNothing) {
  auto w = OpenWal({.segment_size = 4 * kPageSize});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&w, t] {
      for (int i = 0; i < 2000; ++i) {
        std::string rec = std::to_string(t) + ":" + std::to_string(i) + std::string(i % 300, 'x');
        ASSERT_TRUE(w->Log(rec).ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_TRUE(w->Close().ok());
  auto r = ReadAll(Env::Default(), dir_);
  ASSERT_TRUE(r.status.ok()) << r.status;
  ASSERT_EQ(r.records.size(), 8000u);
  std::vector<int> next(4, 0);
  for (const std::string& rec : r.records) {
    const int t = rec[0] - '0';
    EXPECT_EQ(
        rec.substr(2, rec.find('x') == std::string::npos ? std::string::npos : rec.find('x') - 2),
        std::to_string(next[t]));
    ++next[t];
  }
}

}  // namespace
}  // namespace argus::tsdb::wlog
