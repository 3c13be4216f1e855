#include "tsdb/wlog/reader.h"

#include "base/coding.h"
#include "base/crc32c.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tsdb/wlog/test_util.h"
#include "tsdb/wlog/wlog.h"

namespace argus::tsdb::wlog {
namespace {

using testing::FileBytes;
using ::testing::HasSubstr;
using testing::RandomBytes;
using testing::ReadAll;
using testing::WriteBytes;

class ReaderTest : public testing::TempDirTest {
 protected:
  void Write(const std::vector<std::string>& recs, Options o) {
    auto w = WAL::Open(Env::Default(), dir_, o);
    ASSERT_TRUE(w.ok()) << w.status();
    for (const std::string& r : recs) ASSERT_TRUE((*w)->Log(r).ok());
    ASSERT_TRUE((*w)->Close().ok());
  }
  std::string Seg(int i) { return SegmentPath(dir_, i); }
};

std::vector<std::string> RandomRecords(uint64_t seed, int n) {
  std::mt19937_64 rng(seed);
  std::vector<std::string> recs;
  for (int i = 0; i < n; ++i) {
    const uint64_t kind = rng() % 100;
    size_t size = kind < 80 ? rng() % 200 : kind < 98 ? rng() % 5000 : rng() % 100000;
    if (kind == 0) size = 0;
    recs.push_back(rng() % 2 ? RandomBytes(rng, size) : testing::Compressible(rng, size));
  }
  return recs;
}

class RoundTripTest : public ReaderTest, public ::testing::WithParamInterface<bool> {};

TEST_P(RoundTripTest, HundredThousandRandomRecords) {
  const std::vector<std::string> recs = RandomRecords(GetParam() ? 11 : 12, 100000);
  Write(recs, {.segment_size = 1 << 20, .compress = GetParam()});
  auto r = NewSegmentsReader(Env::Default(), dir_);
  ASSERT_TRUE(r.ok()) << r.status();
  size_t i = 0;
  int last_segment = -1;
  int64_t last_offset = 0;
  while ((*r)->Next()) {
    ASSERT_LT(i, recs.size());
    ASSERT_EQ((*r)->record(), recs[i]) << i;
    // Positions only move forward.
    if ((*r)->segment() == last_segment) {
      ASSERT_GT((*r)->offset(), last_offset);
    }
    ASSERT_GE((*r)->segment(), last_segment);
    last_segment = (*r)->segment();
    last_offset = (*r)->offset();
    ++i;
  }
  ASSERT_TRUE((*r)->status().ok()) << (*r)->status();
  EXPECT_EQ(i, recs.size());
  EXPECT_EQ((*r)->records_read(), recs.size());
  EXPECT_GT((*r)->segments_read(), 5u);
  EXPECT_FALSE((*r)->Next());  // stays at the end
}

INSTANTIATE_TEST_SUITE_P(Compression, RoundTripTest, ::testing::Bool());

TEST_F(ReaderTest, RangesSelectSegmentsAndConcatenate) {
  auto w = WAL::Open(Env::Default(), dir_, {});
  ASSERT_TRUE(w.ok());
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE((*w)->Log("rec" + std::to_string(i)).ok());
    ASSERT_TRUE((*w)->NextSegment().ok());
  }
  ASSERT_TRUE((*w)->Close().ok());
  auto r = ReadAll(Env::Default(), dir_, 1, 3);
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.records, (std::vector<std::string>{"rec1", "rec2", "rec3"}));
  r = ReadAll(Env::Default(), dir_, 3, -1);
  EXPECT_EQ(r.records, (std::vector<std::string>{"rec3", "rec4"}));
  const std::vector<SegmentRange> ranges = {{dir_, 4, 4}, {dir_, 0, 0}};
  auto rr = Reader::Open(Env::Default(), ranges);
  ASSERT_TRUE(rr.ok());
  std::vector<std::string> got;
  while ((*rr)->Next()) got.emplace_back((*rr)->record());
  EXPECT_EQ(got, (std::vector<std::string>{"rec4", "rec0"}));
  EXPECT_FALSE(Reader::Open(Env::Default(), {{dir_ + "/missing", -1, -1}}).ok());
}

TEST_F(ReaderTest, ShortSegmentReadsAsZeroPadded) {
  Write({"alpha", "beta"}, {.compress = false});
  const std::string bytes = FileBytes(Seg(0));
  WriteBytes(Seg(0), bytes.substr(0, 7 + 5 + 7 + 4));  // exactly the two records
  auto r = ReadAll(Env::Default(), dir_);
  ASSERT_TRUE(r.status.ok()) << r.status;
  EXPECT_EQ(r.records, (std::vector<std::string>{"alpha", "beta"}));
  EXPECT_EQ(r.ends[1].second, 23);
}

TEST_F(ReaderTest, FlippedByteIsDataLossNamingSegmentAndOffset) {
  std::mt19937_64 rng(1);
  std::vector<std::string> recs;
  for (int i = 0; i < 30; ++i) recs.push_back(RandomBytes(rng, 3000));
  Write(recs, {.segment_size = 2 * kPageSize, .compress = false});
  auto clean = ReadAll(Env::Default(), dir_);
  ASSERT_TRUE(clean.status.ok());
  // A record in segment 1, not its first, that lies in one page (a single fragment).
  size_t victim = 0;
  for (size_t i = 1; i < recs.size(); ++i) {
    const auto [seg, end] = clean.ends[i];
    if (seg == 1 && clean.ends[i - 1].first == 1 &&
        (end - 3007) / kPageSize == (end - 1) / kPageSize) {
      victim = i;
      break;
    }
  }
  ASSERT_GT(victim, 0u);
  const int64_t end = clean.ends[victim].second;
  std::string seg = FileBytes(Seg(1));
  seg[end - 50] ^= 0x20;
  WriteBytes(Seg(1), seg);
  auto r = ReadAll(Env::Default(), dir_);
  ASSERT_FALSE(r.status.ok());
  EXPECT_EQ(r.status.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(r.status.message(),
              HasSubstr("corruption in segment " + Seg(1) + " at " + std::to_string(end)));
  EXPECT_THAT(r.status.message(), HasSubstr("unexpected checksum"));
  ASSERT_EQ(r.records.size(), victim);
  auto info = GetCorruption(r.status);
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->segment, 1);
  EXPECT_EQ(info->offset, end);  // just past the bad fragment
  EXPECT_EQ(info->dir, dir_);
}

// Found by tsdb_wlog_reader_fuzz: a 12-byte record whose snappy header claims 2.7 GB must be
// corruption, not an allocation.
TEST_F(ReaderTest, ImplausibleSnappyLengthIsCorruption) {
  const unsigned char seg[] = {0x09, 0x00, 0x42, 0x74, 0x7e, 0x31,
                               0x94, 0xac, 0xfb, 0xfe, 0xff, 0x09};
  ASSERT_TRUE(WriteFileAtomically(Env::Default(), Seg(0),
                                  absl::string_view(reinterpret_cast<const char*>(seg), sizeof seg))
                  .ok());
  auto r = NewSegmentsReader(Env::Default(), dir_);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE((*r)->Next());
  EXPECT_EQ((*r)->status().code(), absl::StatusCode::kDataLoss);
  ASSERT_TRUE((*r)->corruption().has_value());
  EXPECT_EQ((*r)->corruption()->reason, "snappy: corrupt input");
}

TEST_F(ReaderTest, BadFramingIsReported) {
  struct Case {
    const char* name;
    std::string bytes;
    const char* error;
  };
  auto frag = [](uint8_t type, absl::string_view p) {
    std::string f(1, static_cast<char>(type));
    PutBE16(&f, static_cast<uint16_t>(p.size()));
    PutBE32(&f, Crc32c(p));
    f.append(p.data(), p.size());
    return f;
  };
  std::string nonzero_pad = frag(1, "ok") + std::string(1, '\0') + "x";
  std::string too_long(1, '\x01');
  PutBE16(&too_long, 40000);
  too_long += std::string(4, '\0');
  const std::string overflow =
      frag(1, std::string(kPageSize - 7 - 20, 'a')) + frag(1, std::string(30, 'b'));
  const std::vector<Case> cases = {
      {"torn", frag(2, "first"), "last record is torn"},
      {"middle first", frag(3, "m"), "unexpected middle record"},
      {"last first", frag(4, "l"), "unexpected last record"},
      {"full after first", frag(2, "a") + frag(1, "b"), "unexpected full record"},
      {"first after first", frag(2, "a") + frag(2, "b"), "unexpected first record"},
      {"type 5", frag(5, "a"), "unexpected record type 5"},
      {"zstd flag", frag(0x11, "a"), "unknown flags"},
      {"mixed compression", frag(0x0a, "a") + frag(4, "b"), "disagree on compression"},
      {"bad snappy", frag(0x09, "\xff\xff\xff\xff\xff\xff"), "snappy"},
      {"non-zero padding", nonzero_pad, "non-zero byte in padded page"},
      {"length", too_long, "invalid record size 40000"},
      {"page overflow", overflow, "would overflow current page"},
  };
  for (const Case& c : cases) {
    WriteBytes(Seg(0), c.bytes);
    auto r = ReadAll(Env::Default(), dir_);
    EXPECT_EQ(r.status.code(), absl::StatusCode::kDataLoss) << c.name;
    EXPECT_THAT(r.status.message(), HasSubstr(c.error)) << c.name;
    EXPECT_TRUE(GetCorruption(r.status).has_value()) << c.name;
  }
}

TEST_F(ReaderTest, RecordTornAtTheEndOfASegmentIsReportedInThatSegment) {
  std::mt19937_64 rng(2);
  const std::string big = RandomBytes(rng, kPageSize + 100);
  Write({"a", big}, {.compress = false});
  std::string seg = FileBytes(Seg(0));
  WriteBytes(Seg(0), seg.substr(0, kPageSize));  // keeps only the first fragment
  WriteBytes(Seg(1), seg);                       // a later, intact segment
  auto r = ReadAll(Env::Default(), dir_);
  ASSERT_EQ(r.records.size(), 1u);
  auto info = GetCorruption(r.status);
  ASSERT_TRUE(info.has_value()) << r.status;
  EXPECT_EQ(info->segment, 0);
  EXPECT_EQ(info->offset, static_cast<int64_t>(kPageSize));
  EXPECT_EQ(info->reason, "last record is torn");
}

TEST_F(ReaderTest, EmptyDirectoryAndEmptySegments) {
  auto r = ReadAll(Env::Default(), dir_);
  EXPECT_TRUE(r.status.ok());
  EXPECT_TRUE(r.records.empty());
  WriteBytes(Seg(0), "");
  WriteBytes(Seg(1), std::string(kPageSize, '\0'));
  r = ReadAll(Env::Default(), dir_);
  EXPECT_TRUE(r.status.ok()) << r.status;
  EXPECT_TRUE(r.records.empty());
}

}  // namespace
}  // namespace argus::tsdb::wlog
