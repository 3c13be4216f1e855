// WAL record codecs, byte-compatible with Prometheus v2.42 (tsdb/record/record.go). A record's
// first byte is its Type; see docs/format/wal.md for the layouts:
//
//   series     : 01 | { be64 ref | uvarint n | (uvarint-str name, uvarint-str value) x n }*
//   samples    : 02 | be64 base_ref | be64 base_t | { varint dref | varint dt | be64 f64 }*
//   tombstones : 03 | { be64 ref | varint mint | varint maxt }*
//   exemplars  : 04 | be64 base_ref | be64 base_t | { varint dref | varint dt | be64 f64 | labels
//   }* mmap marker: 05 | { be64 ref | be64 chunk ref }* metadata   : 06 | { uvarint ref | u8 type |
//   uvarint nfields | (str, str) x nfields }*
//
// Encoders append to `out` (callers clear it when reusing a buffer). Decoders append to `out`
// and fail with DataLoss naming the record type and the problem (wrong type byte, truncation,
// trailing bytes); on error `out` may hold a partial result. All functions are thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "model/labels/labels.h"
#include "tsdb/tombstones/tombstones.h"

namespace argus::tsdb::record {

enum class Type : uint8_t {
  kSeries = 1,
  kSamples = 2,
  kTombstones = 3,
  kExemplars = 4,
  kMmapMarkers = 5,
  kMetadata = 6,
  kHistogramSamples = 7,       // native histograms; only filtered (checkpoints), not decoded
  kFloatHistogramSamples = 8,  // native float histograms; not decoded
  kUnknown = 255,
};

// "series", "samples", ... as Prometheus's Type.String; "unknown" otherwise.
absl::string_view TypeName(Type type);

// A series and its head ref (HeadSeriesRef). Labels are sorted.
struct RefSeries {
  uint64_t ref;
  labels::Labels labels;
};

struct RefSample {
  uint64_t ref;
  int64_t t;
  double v;
};

// One deleted interval of a series (a record holds one entry per interval).
struct Stone {
  uint64_t ref;
  tombstones::Interval interval;
};

struct RefExemplar {
  uint64_t ref;
  int64_t t;
  double v;
  labels::Labels labels;
};

// All samples of series `ref` up to now are in the m-mapped head chunk `mmap_ref`.
struct RefMmapMarker {
  uint64_t ref;
  uint64_t mmap_ref;
};

// Metric metadata of a series. `type`: 0 unknown, 1 counter, 2 gauge, 3 histogram,
// 4 gaugehistogram, 5 summary, 6 info, 7 stateset.
struct RefMetadata {
  uint64_t ref;
  uint8_t type;
  std::string unit;
  std::string help;
};

// The type of `rec` from its first byte; kUnknown for an empty record or an unknown byte.
Type GetType(absl::string_view rec);

void EncodeSeries(absl::Span<const RefSeries> series, std::string* out);
// Refs and timestamps are stored as deltas to the first sample's. An empty span encodes as the
// type byte alone.
void EncodeSamples(absl::Span<const RefSample> samples, std::string* out);
void EncodeTombstones(absl::Span<const Stone> stones, std::string* out);
void EncodeExemplars(absl::Span<const RefExemplar> exemplars, std::string* out);
void EncodeMmapMarkers(absl::Span<const RefMmapMarker> markers, std::string* out);
// Writes the two fields Prometheus writes, UNIT and HELP.
void EncodeMetadata(absl::Span<const RefMetadata> metadata, std::string* out);

// Labels that arrive unsorted are sorted (and de-duplicated) rather than rejected.
absl::Status DecodeSeries(absl::string_view rec, std::vector<RefSeries>* out);
// Allocation-free apart from growing `out` (reserved once per record).
absl::Status DecodeSamples(absl::string_view rec, std::vector<RefSample>* out);
absl::Status DecodeTombstones(absl::string_view rec, std::vector<Stone>* out);
absl::Status DecodeExemplars(absl::string_view rec, std::vector<RefExemplar>* out);
absl::Status DecodeMmapMarkers(absl::string_view rec, std::vector<RefMmapMarker>* out);
// Fields other than UNIT and HELP are skipped, as Prometheus does.
absl::Status DecodeMetadata(absl::string_view rec, std::vector<RefMetadata>* out);

// Re-encodes the histogram samples record `rec` (type 7) keeping only entries with t >= mint,
// as Prometheus's checkpoint does, without decoding the histograms themselves: each kept entry's
// bytes after its ref/time deltas are copied verbatim. Appends nothing when no entry is kept.
// Sets `*total` and `*kept` to the entry counts. Errors: DataLoss as the decoders.
absl::Status FilterHistogramSamples(absl::string_view rec, int64_t mint, std::string* out,
                                    size_t* total, size_t* kept);

}  // namespace argus::tsdb::record
