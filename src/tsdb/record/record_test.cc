#include "tsdb/record/record.h"

#include <bit>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <set>

#include "absl/strings/escaping.h"
#include "base/coding.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace argus::tsdb::record {
namespace {

using ::testing::HasSubstr;

std::string Hex(absl::string_view s) { return absl::BytesToHexString(s); }

bool SameSample(const RefSample& a, const RefSample& b) {
  return a.ref == b.ref && a.t == b.t &&
         std::bit_cast<uint64_t>(a.v) == std::bit_cast<uint64_t>(b.v);
}

TEST(RecordTest, GetType) {
  EXPECT_EQ(GetType(""), Type::kUnknown);
  EXPECT_EQ(GetType("\x01"), Type::kSeries);
  EXPECT_EQ(GetType("\x02rest"), Type::kSamples);
  EXPECT_EQ(GetType(absl::string_view("\x00", 1)), Type::kUnknown);
  EXPECT_EQ(GetType("\x06"), Type::kMetadata);
  EXPECT_EQ(GetType("\x08"), Type::kFloatHistogramSamples);
  EXPECT_EQ(GetType("\x09"), Type::kUnknown);
  EXPECT_EQ(GetType("\xff"), Type::kUnknown);
  EXPECT_EQ(TypeName(Type::kSamples), "samples");
  EXPECT_EQ(TypeName(Type::kUnknown), "unknown");
}

// Bytes computed by hand from tsdb/record/record.go.
TEST(RecordTest, SeriesExactBytes) {
  std::string out;
  EncodeSeries({{1, labels::Labels{{"__name__", "up"}, {"job", "a"}}}}, &out);
  EXPECT_EQ(Hex(out),
            "01"                  // type
            "0000000000000001"    // ref
            "02"                  // two labels
            "085f5f6e616d655f5f"  // "__name__"
            "027570"              // "up"
            "036a6f62"
            "0161");  // "job" "a"
  std::vector<RefSeries> got;
  ASSERT_TRUE(DecodeSeries(out, &got).ok());
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].ref, 1u);
  EXPECT_EQ(got[0].labels.ToString(), "{__name__=\"up\", job=\"a\"}");
}

TEST(RecordTest, SamplesExactBytesWithSignedDeltas) {
  std::string out;
  EncodeSamples({{5, 1000, 1.5}, {3, 1001, 2.0}, {8, 999, -0.0}}, &out);
  EXPECT_EQ(Hex(out),
            "02"
            "0000000000000005"  // base ref
            "00000000000003e8"  // base t = 1000
            "0000"
            "3ff8000000000000"  // 0, 0, 1.5
            "0302"
            "4000000000000000"  // -2, +1, 2.0
            "0601"
            "8000000000000000");  // +3, -1, -0.0
  std::vector<RefSample> got;
  ASSERT_TRUE(DecodeSamples(out, &got).ok());
  ASSERT_EQ(got.size(), 3u);
  EXPECT_TRUE(SameSample(got[1], {3, 1001, 2.0}));
  EXPECT_TRUE(SameSample(got[2], {8, 999, -0.0}));

  out.clear();
  EncodeSamples({}, &out);
  EXPECT_EQ(Hex(out), "02");
}

TEST(RecordTest, TombstonesAndExemplarsExactBytes) {
  std::string out;
  EncodeTombstones({{5, {-1, 10}}, {6, {0, 300}}}, &out);
  EXPECT_EQ(Hex(out),
            "03"
            "0000000000000005"
            "01"
            "14"
            "0000000000000006"
            "00"
            "d804");
  std::vector<Stone> stones;
  ASSERT_TRUE(DecodeTombstones(out, &stones).ok());
  ASSERT_EQ(stones.size(), 2u);
  EXPECT_EQ(stones[1].ref, 6u);
  EXPECT_EQ(stones[1].interval, (tombstones::Interval{0, 300}));

  out.clear();
  EncodeExemplars({{3, 100, 1.0, labels::Labels{{"trace_id", "x"}}}}, &out);
  EXPECT_EQ(Hex(out),
            "04"
            "0000000000000003"
            "0000000000000064"
            "0000"
            "3ff0000000000000"
            "01"
            "0874726163655f6964"
            "0178");
  std::vector<RefExemplar> ex;
  ASSERT_TRUE(DecodeExemplars(out, &ex).ok());
  ASSERT_EQ(ex.size(), 1u);
  EXPECT_EQ(ex[0].labels.ToString(), "{trace_id=\"x\"}");
}

TEST(RecordTest, MetadataAndMmapMarkersExactBytes) {
  std::string out;
  EncodeMetadata({{300, 1, "s", "h"}}, &out);
  EXPECT_EQ(Hex(out),
            "06"
            "ac02"
            "01"
            "02"
            "04554e4954"
            "0173"
            "0448454c50"
            "0168");
  std::vector<RefMetadata> md;
  ASSERT_TRUE(DecodeMetadata(out, &md).ok());
  ASSERT_EQ(md.size(), 1u);
  EXPECT_EQ(md[0].ref, 300u);
  EXPECT_EQ(md[0].type, 1);
  EXPECT_EQ(md[0].unit, "s");
  EXPECT_EQ(md[0].help, "h");

  // Unknown fields are skipped.
  std::string rec = "\x06";
  PutUvarint(&rec, 7);
  rec.push_back(2);
  PutUvarint(&rec, 3);
  for (absl::string_view s : {"FOO", "bar", "HELP", "help text", "UNIT", "bytes"}) {
    PutUvarint(&rec, s.size());
    rec.append(s.data(), s.size());
  }
  md.clear();
  ASSERT_TRUE(DecodeMetadata(rec, &md).ok());
  ASSERT_EQ(md.size(), 1u);
  EXPECT_EQ(md[0].help, "help text");
  EXPECT_EQ(md[0].unit, "bytes");

  out.clear();
  EncodeMmapMarkers({{1, 0x100000020}}, &out);
  EXPECT_EQ(Hex(out),
            "05"
            "0000000000000001"
            "0000000100000020");
  std::vector<RefMmapMarker> mm;
  ASSERT_TRUE(DecodeMmapMarkers(out, &mm).ok());
  ASSERT_EQ(mm.size(), 1u);
  EXPECT_EQ(mm[0].mmap_ref, 0x100000020u);
}

TEST(RecordTest, WrongTypeAndTrailingBytesAreErrors) {
  std::string series;
  EncodeSeries({{1, labels::Labels{{"a", "b"}}}}, &series);
  std::vector<RefSample> samples;
  absl::Status s = DecodeSamples(series, &samples);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(s.message(), HasSubstr("invalid record type 1"));
  EXPECT_FALSE(DecodeSamples("", &samples).ok());

  std::string rec;
  EncodeSamples({{1, 2, 3.0}}, &rec);
  rec.push_back('\x01');
  s = DecodeSamples(rec, &samples);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(s.message(), HasSubstr("samples"));

  std::vector<RefSeries> out;
  series.push_back('\x00');
  EXPECT_FALSE(DecodeSeries(series, &out).ok());
}

TEST(RecordTest, UnsortedLabelsAreSorted) {
  std::string rec = "\x01";
  PutBE64(&rec, 9);
  PutUvarint(&rec, 2);
  for (absl::string_view s : {"z", "1", "a", "2"}) {
    PutUvarint(&rec, s.size());
    rec.append(s.data(), s.size());
  }
  std::vector<RefSeries> out;
  ASSERT_TRUE(DecodeSeries(rec, &out).ok());
  EXPECT_EQ(out[0].labels.ToString(), "{a=\"2\", z=\"1\"}");
}

TEST(RecordTest, VarintOverflowIsAnError) {
  std::string rec = "\x03";
  PutBE64(&rec, 1);
  rec.append(10, '\xff');
  std::vector<Stone> out;
  absl::Status s = DecodeTombstones(rec, &out);
  EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(s.message(), HasSubstr("overflow"));
}

labels::Labels RandomLabels(std::mt19937_64& rng, int n) {
  std::vector<labels::Label> ls;
  for (int i = 0; i < n; ++i) {
    ls.push_back({"l" + std::to_string(rng() % 50), std::string(rng() % 20, 'a' + rng() % 26)});
  }
  return labels::Labels::FromUnsorted(std::move(ls));
}

TEST(RecordTest, RandomRoundTrips) {
  std::mt19937_64 rng(1);
  const int64_t kMin = std::numeric_limits<int64_t>::min();
  const int64_t kMax = std::numeric_limits<int64_t>::max();
  for (int iter = 0; iter < 200; ++iter) {
    std::vector<RefSample> samples;
    std::vector<RefSeries> series;
    std::vector<Stone> stones;
    std::vector<RefExemplar> exemplars;
    const int n = static_cast<int>(rng() % 300);
    for (int i = 0; i < n; ++i) {
      uint64_t ref = (iter % 3 == 0) ? rng() : rng() % 100000;
      int64_t t = (iter % 5 == 0) ? static_cast<int64_t>(rng())
                                  : 1700000000000 + static_cast<int64_t>(rng() % 100000);
      if (i == 1 && iter % 7 == 0) t = kMin;
      if (i == 2 && iter % 7 == 0) t = kMax;
      double v = std::bit_cast<double>(rng());
      samples.push_back({ref, t, v});
      series.push_back({ref, RandomLabels(rng, static_cast<int>(rng() % 8))});
      stones.push_back({ref, {t, static_cast<int64_t>(static_cast<uint64_t>(t) + rng() % 1000)}});
      exemplars.push_back({ref, t, v, RandomLabels(rng, static_cast<int>(rng() % 3))});
    }
    std::string rec;
    EncodeSamples(samples, &rec);
    std::vector<RefSample> got_samples = {{1, 1, 1}};  // decoders append
    ASSERT_TRUE(DecodeSamples(rec, &got_samples).ok());
    ASSERT_EQ(got_samples.size(), samples.size() + 1);
    for (int i = 0; i < n; ++i) ASSERT_TRUE(SameSample(got_samples[i + 1], samples[i])) << i;

    rec.clear();
    EncodeSeries(series, &rec);
    std::vector<RefSeries> got_series;
    ASSERT_TRUE(DecodeSeries(rec, &got_series).ok());
    ASSERT_EQ(got_series.size(), series.size());
    for (int i = 0; i < n; ++i) {
      EXPECT_EQ(got_series[i].ref, series[i].ref);
      EXPECT_EQ(got_series[i].labels, series[i].labels);
    }

    rec.clear();
    EncodeTombstones(stones, &rec);
    std::vector<Stone> got_stones;
    ASSERT_TRUE(DecodeTombstones(rec, &got_stones).ok());
    ASSERT_EQ(got_stones.size(), stones.size());
    for (int i = 0; i < n; ++i) EXPECT_EQ(got_stones[i].interval, stones[i].interval);

    rec.clear();
    EncodeExemplars(exemplars, &rec);
    std::vector<RefExemplar> got_ex;
    ASSERT_TRUE(DecodeExemplars(rec, &got_ex).ok());
    ASSERT_EQ(got_ex.size(), exemplars.size());
    for (int i = 0; i < n; ++i) {
      EXPECT_EQ(got_ex[i].ref, exemplars[i].ref);
      EXPECT_EQ(got_ex[i].t, exemplars[i].t);
      EXPECT_EQ(got_ex[i].labels, exemplars[i].labels);
    }
  }
}

// Every prefix of a record either decodes to the first k entries (when it ends exactly after
// an entry) or fails; none crashes or reads out of bounds (ASan checks the latter).
template <typename T, typename EncodeFn, typename DecodeFn>
void CheckPrefixes(const std::vector<T>& entries, EncodeFn encode, DecodeFn decode, bool has_base) {
  std::set<size_t> boundaries;
  std::vector<size_t> count_at;
  std::string full;
  encode(absl::MakeConstSpan(entries), &full);
  std::map<size_t, size_t> entries_at;
  for (size_t k = 0; k <= entries.size(); ++k) {
    std::string prefix;
    encode(absl::MakeConstSpan(entries.data(), k), &prefix);
    entries_at[prefix.size()] = k;
  }
  if (has_base) entries_at[17] = 0;  // base ref and time without entries
  for (size_t len = 0; len < full.size(); ++len) {
    std::vector<T> out;
    absl::Status s = decode(absl::string_view(full).substr(0, len), &out);
    auto it = entries_at.find(len);
    if (len > 0 && it != entries_at.end()) {
      ASSERT_TRUE(s.ok()) << len << ": " << s;
      EXPECT_EQ(out.size(), it->second) << len;
    } else {
      ASSERT_FALSE(s.ok()) << "prefix of " << len << " bytes decoded";
      EXPECT_EQ(s.code(), absl::StatusCode::kDataLoss);
    }
  }
}

TEST(RecordTest, EveryTruncationIsAnErrorOrAnEntryBoundary) {
  std::vector<RefSample> samples = {{1, 100, 1}, {300, 5000000, 2}, {2, -7, 3}};
  CheckPrefixes(samples, EncodeSamples, DecodeSamples, true);
  std::vector<RefSeries> series = {{1, labels::Labels{{"__name__", "up"}, {"job", "x"}}},
                                   {200, labels::Labels{{"a", std::string(200, 'v')}}}};
  CheckPrefixes(series, EncodeSeries, DecodeSeries, false);
  std::vector<Stone> stones = {{1, {-500, 500}}, {2, {0, 1LL << 40}}};
  CheckPrefixes(stones, EncodeTombstones, DecodeTombstones, false);
  std::vector<RefExemplar> ex = {{1, 100, 1, labels::Labels{{"trace_id", "abc"}}},
                                 {2, 101, 2, labels::Labels{}}};
  CheckPrefixes(ex, EncodeExemplars, DecodeExemplars, true);
  std::vector<RefMetadata> md = {{1, 2, "u", "h"}, {500, 3, "", "longer help"}};
  CheckPrefixes(md, EncodeMetadata, DecodeMetadata, false);
  std::vector<RefMmapMarker> mm = {{1, 2}, {3, 4}};
  CheckPrefixes(mm, EncodeMmapMarkers, DecodeMmapMarkers, false);
}

// One histogram sample entry body as HistogramSamples writes it (after the deltas).
std::string HistogramBody(int salt) {
  std::string b;
  b.push_back(0);            // counter reset hint
  PutVarint(&b, 3);          // schema
  PutBE64(&b, 0);            // zero threshold
  PutUvarint(&b, 5 + salt);  // zero count
  PutUvarint(&b, 20);        // count
  PutBE64(&b, std::bit_cast<uint64_t>(12.5));
  PutUvarint(&b, 1);  // positive spans
  PutVarint(&b, -2);
  PutUvarint(&b, 2);
  PutUvarint(&b, 0);  // negative spans
  PutUvarint(&b, 2);  // positive buckets
  PutVarint(&b, 4);
  PutVarint(&b, -1 - salt);
  PutUvarint(&b, 0);  // negative buckets
  return b;
}

TEST(RecordTest, FilterHistogramSamplesKeepsRecentEntriesVerbatim) {
  std::string rec = "\x07";
  PutBE64(&rec, 10);
  PutBE64(&rec, 1000);
  const int64_t ts[] = {1000, 900, 1100};
  const uint64_t refs[] = {10, 11, 12};
  std::set<size_t> boundaries = {17};  // only the base alone and whole entries are valid
  for (int i = 0; i < 3; ++i) {
    PutVarint(&rec, static_cast<int64_t>(refs[i] - 10));
    PutVarint(&rec, ts[i] - 1000);
    rec += HistogramBody(i);
    boundaries.insert(rec.size());
  }
  std::string out;
  size_t total = 0, kept = 0;
  ASSERT_TRUE(FilterHistogramSamples(rec, 1000, &out, &total, &kept).ok());
  EXPECT_EQ(total, 3u);
  EXPECT_EQ(kept, 2u);
  std::string want = "\x07";
  PutBE64(&want, 10);
  PutBE64(&want, 1000);
  want += std::string("\x00\x00", 2) + HistogramBody(0);
  want += "\x04\xc8\x01" + HistogramBody(2);  // dref 2, dt 100
  EXPECT_EQ(Hex(out), Hex(want));

  out.clear();
  ASSERT_TRUE(FilterHistogramSamples(rec, 5000, &out, &total, &kept).ok());
  EXPECT_EQ(kept, 0u);
  EXPECT_TRUE(out.empty());
  for (size_t len = 0; len < rec.size(); ++len) {
    absl::Status s = FilterHistogramSamples(rec.substr(0, len), 0, &out, &total, &kept);
    EXPECT_EQ(s.ok(), len == 1 || boundaries.count(len) > 0) << len << " " << s;
  }
}

}  // namespace
}  // namespace argus::tsdb::record
