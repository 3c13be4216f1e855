// libFuzzer target for the WAL reader: the input is segment 00000000 of a WAL directory in an
// in-memory Env, read record by record; every record goes to its record:: decoder. Reading must
// end cleanly or with a CorruptionError (DataLoss with a CorruptionInfo inside the segment), and
// decoding with DataLoss. Random bytes rarely carry a valid CRC32C, so each input is read twice:
// as given, and with every fragment's CRC recomputed, which lets mutations reach the framing,
// snappy and the record decoders behind the checksums. Seeds: `-write_seeds=DIR` writes WAL
// segments made by wlog::WAL.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/crc32c.h"
#include "base/status.h"
#include "fuzz/fuzz_util.h"
#include "tsdb/record/record.h"
#include "tsdb/wlog/reader.h"
#include "tsdb/wlog/wlog.h"

namespace argus::tsdb::wlog {
namespace {

using fuzz::Require;

constexpr char kDir[] = "/wal";

void DecodeRecord(absl::string_view rec) {
  absl::Status s;
  switch (record::GetType(rec)) {
    case record::Type::kSeries: {
      std::vector<record::RefSeries> out;
      s = record::DecodeSeries(rec, &out);
      break;
    }
    case record::Type::kSamples: {
      std::vector<record::RefSample> out;
      s = record::DecodeSamples(rec, &out);
      break;
    }
    case record::Type::kTombstones: {
      std::vector<record::Stone> out;
      s = record::DecodeTombstones(rec, &out);
      break;
    }
    case record::Type::kExemplars: {
      std::vector<record::RefExemplar> out;
      s = record::DecodeExemplars(rec, &out);
      break;
    }
    case record::Type::kMmapMarkers: {
      std::vector<record::RefMmapMarker> out;
      s = record::DecodeMmapMarkers(rec, &out);
      break;
    }
    case record::Type::kMetadata: {
      std::vector<record::RefMetadata> out;
      s = record::DecodeMetadata(rec, &out);
      break;
    }
    case record::Type::kHistogramSamples: {
      std::string out;
      size_t total = 0, kept = 0;
      s = record::FilterHistogramSamples(rec, 0, &out, &total, &kept);
      break;
    }
    case record::Type::kFloatHistogramSamples:
    case record::Type::kUnknown:
      return;
  }
  fuzz::RequireOkOr(s, absl::StatusCode::kDataLoss, "decode WAL record");
}

void ReadSegment(absl::string_view segment) {
  fuzz::MemEnv env;
  env.AddFile(SegmentPath(kDir, 0), segment);
  absl::StatusOr<std::unique_ptr<Reader>> reader = NewSegmentsReader(&env, kDir);
  Require(reader.ok(), absl::StrCat("open reader: ", reader.status().ToString()));
  Reader& r = **reader;
  uint64_t records = 0;
  int64_t last_offset = 0;
  while (r.Next()) {
    ++records;
    Require(r.segment() == 0, "record outside segment 0");
    Require(r.offset() > last_offset, "record offsets must increase");
    last_offset = r.offset();
    DecodeRecord(r.record());
  }
  Require(r.records_read() == records, "records_read() must count the records returned");
  // A short last page reads as if zero-padded: positions run up to the padded size.
  const int64_t padded =
      static_cast<int64_t>((segment.size() + kPageSize - 1) / kPageSize * kPageSize);
  Require(last_offset <= padded, "record ends past the segment");
  if (r.status().ok()) {
    Require(!r.corruption().has_value(), "corruption() set without an error");
    return;
  }
  Require(r.status().code() == absl::StatusCode::kDataLoss,
          absl::StrCat("read error must be DataLoss, got ", r.status().ToString()));
  Require(r.corruption().has_value(), "DataLoss without corruption()");
  const std::optional<CorruptionInfo> info = GetCorruption(r.status());
  Require(info.has_value(), "DataLoss without a CorruptionInfo payload");
  Require(info->dir == kDir && info->segment == 0 && info->offset == r.corruption()->offset &&
              info->reason == r.corruption()->reason,
          "the payload must match corruption()");
  Require(info->offset >= last_offset && info->offset <= padded,
          absl::StrCat("corruption offset ", info->offset, " outside [", last_offset, ", ", padded,
                       "]"));
}

// `segment` zero-padded to whole pages, with the CRC of every fragment the reader would parse
// recomputed (the walk mirrors Reader::Next's framing checks).
std::string FixChecksums(absl::string_view segment) {
  std::string s(segment);
  s.resize((s.size() + kPageSize - 1) / kPageSize * kPageSize, '\0');
  for (size_t page = 0; page < s.size(); page += kPageSize) {
    size_t pos = 0;
    while (pos < kPageSize) {
      char* h = s.data() + page + pos;
      if ((static_cast<uint8_t>(h[0]) & kFragTypeMask) == kFragPageTerm) break;
      if (kPageSize - pos < kHeaderSize) break;
      const size_t length = LoadBE16(h + 1);
      if (length > kPageSize - pos - kHeaderSize) break;
      StoreBE32(h + 3, Crc32c(absl::string_view(h + kHeaderSize, length)));
      pos += kHeaderSize + length;
    }
  }
  return s;
}

// Seeds: segments written by wlog::WAL, with and without snappy, one with a record spanning
// pages (first, middle and last fragments). Trailing zeros are cut: the reader pads a short
// last page with zeros, and short inputs fuzz faster.
absl::Status WriteSeeds(const std::string& corpus) {
  const labels::Labels up{{"__name__", "up"}, {"instance", "a:9100"}, {"job", "node"}};
  std::vector<std::string> records(6);
  record::EncodeSeries({{1, up}, {2, labels::Labels{{"__name__", "x"}, {"job", "node"}}}},
                       &records[0]);
  record::EncodeSamples({{1, 1000, 1}, {2, 1000, 0.5}, {1, 16000, 2}, {2, 16000, 0.75}},
                        &records[1]);
  record::EncodeTombstones({{1, {0, 5000}}}, &records[2]);
  record::EncodeExemplars({{1, 1000, 1, labels::Labels{{"trace_id", "abc"}}}}, &records[3]);
  record::EncodeMmapMarkers({{1, 8}, {2, 200}}, &records[4]);
  record::EncodeMetadata({{1, 2, "", "Whether the target is up."}}, &records[5]);
  // ~50 KiB of samples: a record over two pages.
  std::vector<record::RefSample> many;
  for (int i = 0; i < 5000; ++i) many.push_back({static_cast<uint64_t>(i % 7), 1000L * i, i * 0.1});
  std::string big;
  record::EncodeSamples(many, &big);

  struct Seed {
    const char* name;
    bool compress;
    std::vector<std::string> records;
  };
  const Seed seeds[] = {
      {"plain", false, records},
      {"snappy", true, records},
      {"multipage", false, {records[0], big, records[1]}},
      {"multipage-snappy", true, {records[0], big}},
  };
  ASSIGN_OR_RETURN(const std::string tmp, fuzz::MakeTempDir("argus_wlog_seeds"));
  Env* env = Env::Default();
  absl::Status status;
  for (const Seed& seed : seeds) {
    const std::string dir = JoinPath(tmp, seed.name);
    status = [&]() -> absl::Status {
      ASSIGN_OR_RETURN(std::unique_ptr<WAL> wal, WAL::Open(env, dir, {.compress = seed.compress}));
      RETURN_IF_ERROR(wal->Log(seed.records));
      RETURN_IF_ERROR(wal->Close());
      ASSIGN_OR_RETURN(std::string bytes, env->ReadFile(SegmentPath(dir, 0)));
      bytes.erase(bytes.find_last_not_of('\0') + 1);
      return fuzz::WriteSeed(corpus, seed.name, bytes);
    }();
    if (!status.ok()) break;
  }
  (void)env->RemoveAll(tmp);
  return status;
}

}  // namespace
}  // namespace argus::tsdb::wlog

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  argus::fuzz::MaybeWriteSeeds(*argc, *argv, argus::tsdb::wlog::WriteSeeds);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const absl::string_view in(reinterpret_cast<const char*>(data), size);
  argus::tsdb::wlog::ReadSegment(in);
  const std::string fixed = argus::tsdb::wlog::FixChecksums(in);
  if (absl::string_view(fixed).substr(0, in.size()) != in) argus::tsdb::wlog::ReadSegment(fixed);
  return 0;
}
