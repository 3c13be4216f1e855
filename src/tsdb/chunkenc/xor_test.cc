#include "tsdb/chunkenc/xor.h"

#include <bit>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace argus::tsdb::chunkenc {
namespace {

struct S {
  int64_t t;
  double v;
};

std::string Encode(const std::vector<S>& samples) {
  XorAppender a;
  for (const S& s : samples) a.Append(s.t, s.v);
  EXPECT_EQ(a.num_samples(), static_cast<int>(samples.size()));
  return std::string(a.bytes());
}

void ExpectRoundTrip(const std::vector<S>& samples) {
  std::string bytes = Encode(samples);
  EXPECT_EQ(XorNumSamples(bytes), static_cast<int>(samples.size()));
  XorIterator it(bytes);
  for (size_t i = 0; i < samples.size(); ++i) {
    ASSERT_TRUE(it.Next()) << "sample " << i << ": " << it.status();
    EXPECT_EQ(it.t(), samples[i].t) << i;
    // Compare bit patterns: NaN payloads (the staleness marker) must survive.
    EXPECT_EQ(std::bit_cast<uint64_t>(it.v()), std::bit_cast<uint64_t>(samples[i].v)) << i;
  }
  EXPECT_FALSE(it.Next());
  EXPECT_TRUE(it.status().ok());
  // The same in batches.
  XorIterator batches(bytes);
  int64_t ts[7];
  double vs[7];
  size_t i = 0;
  while (size_t n = batches.NextBatch(ts, vs, 7)) {
    for (size_t j = 0; j < n; ++j, ++i) {
      ASSERT_LT(i, samples.size());
      EXPECT_EQ(ts[j], samples[i].t) << i;
      EXPECT_EQ(std::bit_cast<uint64_t>(vs[j]), std::bit_cast<uint64_t>(samples[i].v)) << i;
    }
    EXPECT_EQ(batches.t(), ts[n - 1]);
  }
  EXPECT_EQ(i, samples.size());
  EXPECT_TRUE(batches.status().ok());
}

TEST(XorTest, EmptyChunk) {
  XorAppender a;
  EXPECT_EQ(a.bytes(), std::string(2, '\0'));
  XorIterator it(a.bytes());
  EXPECT_FALSE(it.Next());
  EXPECT_TRUE(it.status().ok());
}

TEST(XorTest, CopyBytesCarriesTheCountBytesDoes) {
  XorAppender a;
  EXPECT_EQ(a.CopyBytes(), std::string(2, '\0'));
  for (int i = 0; i < 300; ++i) a.Append(i * 15000, i);
  const std::string copy = a.CopyBytes();
  EXPECT_EQ(XorNumSamples(copy), 300);
  EXPECT_EQ(copy, a.bytes());
  EXPECT_EQ(a.size(), copy.size());
  a.Reserve(0);  // never below the size
  EXPECT_EQ(std::string(a.bytes()), copy);
}

TEST(XorTest, KnownBytesForTwoSamples) {
  // t=1000 (varint 0xd0 0x0f), v=1.0, then t=1015 (uvarint delta 15), v=1.0 (bit 0). Like
  // Prometheus, byte-aligned writes leave an empty byte behind, which the next bit fills.
  XorAppender a;
  a.Append(1000, 1.0);
  a.Append(1015, 1.0);
  const std::string want("\x00\x02\xd0\x0f\x3f\xf0\x00\x00\x00\x00\x00\x00\x0f\x00", 14);
  EXPECT_EQ(a.bytes(), want);
}

TEST(XorTest, RegularScrapes) {
  std::vector<S> s;
  for (int i = 0; i < 120; ++i) s.push_back({1600000000000 + i * 15000, 100.0 + i * 0.5});
  ExpectRoundTrip(s);
}

TEST(XorTest, EveryDodBucketAndSign) {
  std::vector<S> s{{0, 0}, {10, 1}};
  int64_t t = 10, delta = 10;
  // dods at and around each bucket's edges: 0, +-1, +-8191/8192, +-65535/65536, +-2^19, huge.
  for (int64_t dod : {0ll, 1ll, -1ll, 8192ll, -8191ll, 8193ll, 65536ll, -65535ll, 65537ll, 524288ll,
                      -524287ll, 524289ll, 1ll << 40, -(1ll << 40) + 5}) {
    delta += dod;
    if (delta <= 0) delta = 1;
    t += delta;
    s.push_back({t, static_cast<double>(dod)});
  }
  ExpectRoundTrip(s);
}

TEST(XorTest, SpecialValues) {
  const double stale = std::bit_cast<double>(uint64_t{0x7ff0000000000002});
  ExpectRoundTrip({{-5000, std::nan("")},
                   {-4000, stale},
                   {-3000, std::numeric_limits<double>::infinity()},
                   {0, -std::numeric_limits<double>::infinity()},
                   {1, -0.0},
                   {2, 0.0},
                   {3, std::numeric_limits<double>::denorm_min()},
                   {4, std::numeric_limits<double>::max()},
                   {5, std::numeric_limits<double>::lowest()},
                   {6, 1.0},
                   {7, 1.0},
                   {8, stale}});
}

TEST(XorTest, RandomSeries) {
  std::mt19937_64 rng(1234);
  for (int round = 0; round < 200; ++round) {
    std::vector<S> s;
    int64_t t = static_cast<int64_t>(rng() % 2000000000000) - 1000000000000;
    double v = 0;
    const int n = 1 + static_cast<int>(rng() % 300);
    for (int i = 0; i < n; ++i) {
      switch (rng() % 5) {
        case 0:
          break;  // repeat value
        case 1:
          v += 1;
          break;
        case 2:
          v = std::bit_cast<double>(rng());
          break;
        case 3:
          v = static_cast<double>(rng() % 1000) / 7;
          break;
        default:
          v *= -1.5;
      }
      s.push_back({t, v});
      t += 1 + static_cast<int64_t>(rng() % (rng() % 4 == 0 ? 1000000000 : 30000));
    }
    ExpectRoundTrip(s);
  }
}

TEST(XorTest, SeekFindsFirstAtOrAfter) {
  std::vector<S> s;
  for (int i = 0; i < 50; ++i) s.push_back({i * 10, static_cast<double>(i)});
  std::string bytes = Encode(s);
  XorIterator it(bytes);
  ASSERT_TRUE(it.Seek(95));
  EXPECT_EQ(it.t(), 100);
  ASSERT_TRUE(it.Seek(50));  // already past: stays
  EXPECT_EQ(it.t(), 100);
  EXPECT_FALSE(it.Seek(491));
}

TEST(XorTest, TruncatedAndCorruptChunksFailCleanly) {
  std::vector<S> s;
  for (int i = 0; i < 100; ++i) s.push_back({i * 1000 + (i % 3), i * 1.25});
  std::string bytes = Encode(s);
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    XorIterator it(absl::string_view(bytes).substr(0, cut));
    int n = 0;
    while (it.Next()) ++n;
    EXPECT_LT(n, 100);
    if (cut >= 2) {
      EXPECT_EQ(it.status().code(), absl::StatusCode::kDataLoss) << cut;
    }
  }
  // Flipped bits never crash; they either decode to something or report DataLoss.
  for (size_t i = 2; i < bytes.size(); ++i) {
    std::string bad = bytes;
    bad[i] ^= 0x5a;
    XorIterator it(bad);
    while (it.Next()) {
    }
  }
}

}  // namespace
}  // namespace argus::tsdb::chunkenc
