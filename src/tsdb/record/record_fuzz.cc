// libFuzzer target for the WAL record decoders. The first byte picks the decoder, as the record
// type does in a WAL; a record of an unknown type goes to every decoder, which must reject it.
// Errors must be DataLoss. A record that decodes is re-encoded and decoded again and must come
// back equal (checkpoints re-encode what WAL replay decoded). Seeds: `-write_seeds=DIR`.
#include <bit>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/status.h"
#include "fuzz/fuzz_util.h"
#include "tsdb/record/record.h"

namespace argus::tsdb::record {
namespace {

using fuzz::Require;

bool SameBits(double a, double b) {
  return std::bit_cast<uint64_t>(a) == std::bit_cast<uint64_t>(b);
}

bool Equal(const RefSeries& a, const RefSeries& b) {
  return a.ref == b.ref && a.labels == b.labels;
}
bool Equal(const RefSample& a, const RefSample& b) {
  return a.ref == b.ref && a.t == b.t && SameBits(a.v, b.v);
}
bool Equal(const Stone& a, const Stone& b) { return a.ref == b.ref && a.interval == b.interval; }
bool Equal(const RefExemplar& a, const RefExemplar& b) {
  return a.ref == b.ref && a.t == b.t && SameBits(a.v, b.v) && a.labels == b.labels;
}
bool Equal(const RefMmapMarker& a, const RefMmapMarker& b) {
  return a.ref == b.ref && a.mmap_ref == b.mmap_ref;
}
bool Equal(const RefMetadata& a, const RefMetadata& b) {
  return a.ref == b.ref && a.type == b.type && a.unit == b.unit && a.help == b.help;
}

// Decodes `rec`; when that works, checks that encode(decoded) decodes to the same values.
template <typename T>
void RoundTrip(absl::string_view rec, absl::Status (*decode)(absl::string_view, std::vector<T>*),
               void (*encode)(absl::Span<const T>, std::string*), absl::string_view what) {
  std::vector<T> got;
  const absl::Status s = decode(rec, &got);
  fuzz::RequireOkOr(s, absl::StatusCode::kDataLoss, absl::StrCat("decode ", what));
  if (!s.ok()) return;
  std::string again;
  encode(got, &again);
  std::vector<T> back;
  const absl::Status s2 = decode(again, &back);
  Require(s2.ok(), absl::StrCat("decode re-encoded ", what, ": ", s2.ToString()));
  Require(back.size() == got.size(), absl::StrCat(what, ": re-encoded record changed length"));
  for (size_t i = 0; i < got.size(); ++i) {
    Require(Equal(got[i], back[i]), absl::StrCat(what, ": re-encoded entry ", i, " differs"));
  }
}

// Histogram samples are only filtered (checkpoints), never decoded: filtering with no lower
// bound keeps every entry and is idempotent; a real bound keeps a subset whose re-filtering
// keeps all of it.
void CheckHistogramFilter(absl::string_view rec) {
  constexpr int64_t kAll = std::numeric_limits<int64_t>::min();
  std::string all;
  size_t total = 0, kept = 0;
  const absl::Status s = FilterHistogramSamples(rec, kAll, &all, &total, &kept);
  fuzz::RequireOkOr(s, absl::StatusCode::kDataLoss, "filter histogram samples");
  if (!s.ok()) return;
  Require(kept == total, "no lower bound must keep every histogram sample");
  Require((total == 0) == all.empty(), "kept histogram samples must be written");
  if (total > 0) {
    std::string again;
    size_t total2 = 0, kept2 = 0;
    Require(FilterHistogramSamples(all, kAll, &again, &total2, &kept2).ok(),
            "re-filter histogram samples");
    Require(total2 == total && kept2 == total && again == all,
            "filtering histogram samples twice must change nothing");
  }
  // A lower bound taken from the input: the base timestamp when there is one.
  const int64_t mint = rec.size() >= 17 ? static_cast<int64_t>(LoadBE64(rec.data() + 9)) : 0;
  std::string some;
  size_t total3 = 0, kept3 = 0;
  Require(FilterHistogramSamples(rec, mint, &some, &total3, &kept3).ok(),
          "filter histogram samples with a bound");
  Require(total3 == total && kept3 <= total, "a bound keeps a subset");
  if (kept3 > 0) {
    std::string again;
    size_t total4 = 0, kept4 = 0;
    Require(FilterHistogramSamples(some, mint, &again, &total4, &kept4).ok(),
            "re-filter bounded histogram samples");
    Require(total4 == kept3 && kept4 == kept3, "re-filtering with the same bound keeps all");
  }
}

void CheckRecord(absl::string_view rec) {
  switch (GetType(rec)) {
    case Type::kSeries:
      return RoundTrip<RefSeries>(rec, DecodeSeries, EncodeSeries, "series");
    case Type::kSamples:
      return RoundTrip<RefSample>(rec, DecodeSamples, EncodeSamples, "samples");
    case Type::kTombstones:
      return RoundTrip<Stone>(rec, DecodeTombstones, EncodeTombstones, "tombstones");
    case Type::kExemplars:
      return RoundTrip<RefExemplar>(rec, DecodeExemplars, EncodeExemplars, "exemplars");
    case Type::kMmapMarkers:
      return RoundTrip<RefMmapMarker>(rec, DecodeMmapMarkers, EncodeMmapMarkers, "mmapmarkers");
    case Type::kMetadata:
      return RoundTrip<RefMetadata>(rec, DecodeMetadata, EncodeMetadata, "metadata");
    case Type::kHistogramSamples:
      return CheckHistogramFilter(rec);
    case Type::kFloatHistogramSamples:
    case Type::kUnknown:
      break;
  }
  std::vector<RefSeries> series;
  std::vector<RefSample> samples;
  std::vector<Stone> stones;
  std::vector<RefExemplar> exemplars;
  std::vector<RefMmapMarker> markers;
  std::vector<RefMetadata> metadata;
  std::string filtered;
  size_t total = 0, kept = 0;
  for (const absl::Status& s :
       {DecodeSeries(rec, &series), DecodeSamples(rec, &samples), DecodeTombstones(rec, &stones),
        DecodeExemplars(rec, &exemplars), DecodeMmapMarkers(rec, &markers),
        DecodeMetadata(rec, &metadata), FilterHistogramSamples(rec, 0, &filtered, &total, &kept)}) {
    Require(s.code() == absl::StatusCode::kDataLoss,
            absl::StrCat("a record of another type must fail with DataLoss, got ", s.ToString()));
  }
}

// Seeds: one record of each type, small, empty and with awkward values.
absl::Status WriteSeeds(const std::string& dir) {
  const labels::Labels up{{"__name__", "up"}, {"instance", "a:9100"}, {"job", "node"}};
  const labels::Labels trace{{"trace_id", "4bf92f3577b34da6"}};
  std::vector<std::pair<std::string, std::string>> seeds;
  auto add = [&](std::string name, std::string rec) {
    seeds.emplace_back(std::move(name), std::move(rec));
  };
  std::string r;
  EncodeSeries({{1, up}, {2, labels::Labels{{"__name__", "x"}}}, {3, {}}}, &r);
  add("series", std::exchange(r, {}));
  EncodeSeries({}, &r);
  add("series-empty", std::exchange(r, {}));
  EncodeSamples(
      {{1, 1000, 1.5},
       {2, 1000, -0.0},
       {1, 2000, std::numeric_limits<double>::quiet_NaN()},
       {std::numeric_limits<uint64_t>::max(), std::numeric_limits<int64_t>::min(), 1e308}},
      &r);
  add("samples", std::exchange(r, {}));
  EncodeSamples({}, &r);
  add("samples-empty", std::exchange(r, {}));
  EncodeTombstones({{1, {0, 100}}, {7, {std::numeric_limits<int64_t>::min(), -1}}}, &r);
  add("tombstones", std::exchange(r, {}));
  EncodeExemplars({{1, 1000, 0.25, trace}, {3, 900, 2, {}}}, &r);
  add("exemplars", std::exchange(r, {}));
  EncodeMmapMarkers({{1, 0x100000008}, {2, 0}}, &r);
  add("mmapmarkers", std::exchange(r, {}));
  EncodeMetadata({{1, 1, "seconds", "Total CPU time."}, {300, 7, "", ""}}, &r);
  add("metadata", std::exchange(r, {}));
  // A histogram samples record (type 7; no encoder): base ref and time, then per sample the
  // ref and time deltas and a histogram (hint, schema, zero threshold, zero count, count, sum,
  // positive and negative spans, positive and negative bucket deltas).
  r.push_back(static_cast<char>(Type::kHistogramSamples));
  PutBE64(&r, 5);
  PutBE64(&r, 1000);
  for (int64_t dt : {0, 15000}) {
    PutVarint(&r, 0);
    PutVarint(&r, dt);
    r.push_back(0);
    PutVarint(&r, 3);
    PutBE64(&r, std::bit_cast<uint64_t>(0.001));
    PutUvarint(&r, 1);
    PutUvarint(&r, 6);
    PutBE64(&r, std::bit_cast<uint64_t>(12.5));
    PutUvarint(&r, 1);  // one positive span
    PutVarint(&r, 0);
    PutUvarint(&r, 2);
    PutUvarint(&r, 0);  // no negative span
    PutUvarint(&r, 2);  // two positive bucket deltas
    PutVarint(&r, 2);
    PutVarint(&r, 1);
    PutUvarint(&r, 0);  // no negative bucket
  }
  add("histograms", std::exchange(r, {}));
  for (const auto& [name, rec] : seeds) RETURN_IF_ERROR(fuzz::WriteSeed(dir, name, rec));
  return absl::OkStatus();
}

}  // namespace
}  // namespace argus::tsdb::record

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  argus::fuzz::MaybeWriteSeeds(*argc, *argv, argus::tsdb::record::WriteSeeds);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  argus::tsdb::record::CheckRecord(absl::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
