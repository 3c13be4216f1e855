#include "tsdb/record/record.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/status.h"

namespace argus::tsdb::record {
namespace {

// A bounds-checked cursor over a record with sticky errors, like base/coding.h's Decoder but
// with inline fast paths: WAL replay decodes ~10^8 samples, so a call per varint matters. After
// the first failure every read returns 0 and remaining() is 0, so loops end by themselves.
class Cursor {
 public:
  explicit Cursor(absl::string_view data)
      : begin_(data.data()), p_(data.data()), end_(data.data() + data.size()) {}

  bool ok() const { return error_ == nullptr; }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }
  const char* pos() const { return p_; }

  uint8_t Byte() {
    if (p_ == end_) return Fail("unexpected end of record");
    return static_cast<uint8_t>(*p_++);
  }

  uint64_t BE64() {
    if (remaining() < 8) return Fail("unexpected end of record");
    const uint64_t v = LoadBE64(p_);
    p_ += 8;
    return v;
  }

  uint64_t Uvarint() {
    if (p_ != end_ && static_cast<uint8_t>(*p_) < 0x80) return static_cast<uint8_t>(*p_++);
    return UvarintSlow();
  }

  int64_t Varint() {
    const uint64_t ux = Uvarint();
    int64_t x = static_cast<int64_t>(ux >> 1);
    if (ux & 1) x = ~x;
    return x;
  }

  // A uvarint length and that many bytes (a view into the record).
  absl::string_view Str() {
    const uint64_t n = Uvarint();
    if (n > remaining()) {
      Fail("string length exceeds record");
      return {};
    }
    absl::string_view s(p_, n);
    p_ += n;
    return s;
  }

  // OK, or DataLoss "decode <what> record: <reason> at offset N".
  absl::Status status(absl::string_view what) const {
    if (ok()) return absl::OkStatus();
    return absl::DataLossError(
        absl::StrCat("decode ", what, " record: ", error_, " at offset ", error_offset_));
  }

  uint64_t Fail(const char* why) {
    if (error_ == nullptr) {
      error_ = why;
      error_offset_ = static_cast<size_t>(p_ - begin_);
    }
    p_ = end_;
    return 0;
  }

 private:
  uint64_t UvarintSlow() {
    // Go's binary.Uvarint: at most 10 bytes, the 10th at most 1.
    uint64_t x = 0;
    for (int shift = 0, i = 0; i < kMaxVarintLen64; ++i, shift += 7) {
      if (p_ == end_) return Fail("unexpected end of record in varint");
      const uint8_t b = static_cast<uint8_t>(*p_);
      if (b < 0x80) {
        if (i == kMaxVarintLen64 - 1 && b > 1) break;
        ++p_;
        return x | static_cast<uint64_t>(b) << shift;
      }
      x |= static_cast<uint64_t>(b & 0x7f) << shift;
      ++p_;
    }
    return Fail("varint overflows 64 bits");
  }

  const char* begin_;
  const char* p_;
  const char* end_;
  const char* error_ = nullptr;
  size_t error_offset_ = 0;
};

absl::Status CheckType(Cursor* c, Type want) {
  const uint8_t got = c->Byte();
  if (!c->ok() || got != static_cast<uint8_t>(want)) {
    return absl::DataLossError(absl::StrCat(
        "decode ", TypeName(want), " record: invalid record type ", static_cast<int>(got)));
  }
  return absl::OkStatus();
}

// Grows `v` geometrically so that `extra` more elements fit: plain reserve(size + extra) per
// record would reallocate on every call for a caller that accumulates many records.
template <typename T>
void ReserveMore(std::vector<T>* v, size_t extra) {
  const size_t need = v->size() + extra;
  if (need > v->capacity()) v->reserve(std::max(need, 2 * v->capacity()));
}

labels::Labels DecodeLabels(Cursor* c) {
  const uint64_t n = c->Uvarint();
  std::vector<labels::Label> ls;
  ls.reserve(std::min<uint64_t>(n, c->remaining() / 2));
  bool sorted = true;
  for (uint64_t i = 0; i < n && c->ok(); ++i) {
    absl::string_view name = c->Str();
    absl::string_view value = c->Str();
    if (!c->ok()) break;
    if (!ls.empty() && !(ls.back().name < name)) sorted = false;
    ls.push_back({std::string(name), std::string(value)});
  }
  if (!sorted) return labels::Labels::FromUnsorted(std::move(ls));
  return labels::Labels::FromSorted(std::move(ls));
}

void EncodeLabels(const labels::Labels& ls, std::string* out) {
  PutUvarint(out, ls.size());
  for (const labels::Label& l : ls) {
    PutUvarint(out, l.name.size());
    out->append(l.name);
    PutUvarint(out, l.value.size());
    out->append(l.value);
  }
}

inline char* WriteUvarint(char* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  return p;
}

inline char* WriteVarint(char* p, int64_t v) {
  uint64_t ux = static_cast<uint64_t>(v) << 1;
  if (v < 0) ux = ~ux;
  return WriteUvarint(p, ux);
}

// a - base as Go's int64(a) - int64(base), wrapping instead of overflowing.
inline int64_t Delta(uint64_t a, uint64_t base) { return static_cast<int64_t>(a - base); }
inline int64_t Delta(int64_t a, int64_t base) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(base));
}

// Skips the body of one histogram sample (after its ref and time deltas) as
// Decoder.HistogramSamples reads it.
void SkipHistogram(Cursor* c) {
  c->Byte();     // counter reset hint
  c->Varint();   // schema
  c->BE64();     // zero threshold
  c->Uvarint();  // zero count
  c->Uvarint();  // count
  c->BE64();     // sum
  for (int spans = 0; spans < 2; ++spans) {
    const uint64_t n = c->Uvarint();
    for (uint64_t i = 0; i < n && c->ok(); ++i) {
      c->Varint();  // offset
      if (c->Uvarint() > UINT32_MAX) c->Fail("span length overflows 32 bits");
    }
  }
  for (int buckets = 0; buckets < 2; ++buckets) {
    const uint64_t n = c->Uvarint();
    for (uint64_t i = 0; i < n && c->ok(); ++i) c->Varint();
  }
}

}  // namespace

absl::string_view TypeName(Type type) {
  switch (type) {
    case Type::kSeries:
      return "series";
    case Type::kSamples:
      return "samples";
    case Type::kTombstones:
      return "tombstones";
    case Type::kExemplars:
      return "exemplars";
    case Type::kMmapMarkers:
      return "mmapmarkers";
    case Type::kMetadata:
      return "metadata";
    case Type::kHistogramSamples:
      return "histogram_samples";
    case Type::kFloatHistogramSamples:
      return "float_histogram_samples";
    case Type::kUnknown:
      break;
  }
  return "unknown";
}

Type GetType(absl::string_view rec) {
  if (rec.empty()) return Type::kUnknown;
  const uint8_t b = static_cast<uint8_t>(rec[0]);
  if (b >= 1 && b <= 8) return static_cast<Type>(b);
  return Type::kUnknown;
}

void EncodeSeries(absl::Span<const RefSeries> series, std::string* out) {
  out->push_back(static_cast<char>(Type::kSeries));
  for (const RefSeries& s : series) {
    PutBE64(out, s.ref);
    EncodeLabels(s.labels, out);
  }
}

void EncodeSamples(absl::Span<const RefSample> samples, std::string* out) {
  out->push_back(static_cast<char>(Type::kSamples));
  if (samples.empty()) return;
  const RefSample& first = samples[0];
  const size_t old = out->size();
  // Worst case per sample: two 10-byte varints and the value.
  out->resize(old + 16 + samples.size() * (2 * kMaxVarintLen64 + 8));
  char* p = out->data() + old;
  StoreBE64(p, first.ref);
  StoreBE64(p + 8, static_cast<uint64_t>(first.t));
  p += 16;
  for (const RefSample& s : samples) {
    p = WriteVarint(p, Delta(s.ref, first.ref));
    p = WriteVarint(p, Delta(s.t, first.t));
    StoreBE64(p, std::bit_cast<uint64_t>(s.v));
    p += 8;
  }
  out->resize(static_cast<size_t>(p - out->data()));
}

void EncodeTombstones(absl::Span<const Stone> stones, std::string* out) {
  out->push_back(static_cast<char>(Type::kTombstones));
  for (const Stone& s : stones) {
    PutBE64(out, s.ref);
    PutVarint(out, s.interval.min_time);
    PutVarint(out, s.interval.max_time);
  }
}

void EncodeExemplars(absl::Span<const RefExemplar> exemplars, std::string* out) {
  out->push_back(static_cast<char>(Type::kExemplars));
  if (exemplars.empty()) return;
  const RefExemplar& first = exemplars[0];
  PutBE64(out, first.ref);
  PutBE64(out, static_cast<uint64_t>(first.t));
  for (const RefExemplar& e : exemplars) {
    PutVarint(out, Delta(e.ref, first.ref));
    PutVarint(out, Delta(e.t, first.t));
    PutBE64(out, std::bit_cast<uint64_t>(e.v));
    EncodeLabels(e.labels, out);
  }
}

void EncodeMmapMarkers(absl::Span<const RefMmapMarker> markers, std::string* out) {
  out->push_back(static_cast<char>(Type::kMmapMarkers));
  for (const RefMmapMarker& m : markers) {
    PutBE64(out, m.ref);
    PutBE64(out, m.mmap_ref);
  }
}

void EncodeMetadata(absl::Span<const RefMetadata> metadata, std::string* out) {
  out->push_back(static_cast<char>(Type::kMetadata));
  for (const RefMetadata& m : metadata) {
    PutUvarint(out, m.ref);
    out->push_back(static_cast<char>(m.type));
    PutUvarint(out, 2);
    for (absl::string_view s : {absl::string_view("UNIT"), absl::string_view(m.unit),
                                absl::string_view("HELP"), absl::string_view(m.help)}) {
      PutUvarint(out, s.size());
      out->append(s.data(), s.size());
    }
  }
}

absl::Status DecodeSeries(absl::string_view rec, std::vector<RefSeries>* out) {
  Cursor c(rec);
  RETURN_IF_ERROR(CheckType(&c, Type::kSeries));
  while (c.remaining() > 0) {
    const uint64_t ref = c.BE64();
    labels::Labels ls = DecodeLabels(&c);
    if (!c.ok()) break;
    out->push_back({ref, std::move(ls)});
  }
  return c.status("series");
}

absl::Status DecodeSamples(absl::string_view rec, std::vector<RefSample>* out) {
  Cursor c(rec);
  RETURN_IF_ERROR(CheckType(&c, Type::kSamples));
  if (c.remaining() == 0) return absl::OkStatus();
  const uint64_t base_ref = c.BE64();
  const uint64_t base_t = c.BE64();
  // Each sample takes at least 10 bytes (two 1-byte varints and the value).
  ReserveMore(out, c.remaining() / 10);
  while (c.remaining() > 0) {
    const int64_t dref = c.Varint();
    const int64_t dt = c.Varint();
    const uint64_t v = c.BE64();
    if (!c.ok()) break;
    out->push_back({base_ref + static_cast<uint64_t>(dref),
                    static_cast<int64_t>(base_t + static_cast<uint64_t>(dt)),
                    std::bit_cast<double>(v)});
  }
  return c.status("samples");
}

absl::Status DecodeTombstones(absl::string_view rec, std::vector<Stone>* out) {
  Cursor c(rec);
  RETURN_IF_ERROR(CheckType(&c, Type::kTombstones));
  ReserveMore(out, c.remaining() / 10);
  while (c.remaining() > 0) {
    const uint64_t ref = c.BE64();
    const int64_t mint = c.Varint();
    const int64_t maxt = c.Varint();
    if (!c.ok()) break;
    out->push_back({ref, {mint, maxt}});
  }
  return c.status("tombstones");
}

absl::Status DecodeExemplars(absl::string_view rec, std::vector<RefExemplar>* out) {
  Cursor c(rec);
  RETURN_IF_ERROR(CheckType(&c, Type::kExemplars));
  if (c.remaining() == 0) return absl::OkStatus();
  const uint64_t base_ref = c.BE64();
  const uint64_t base_t = c.BE64();
  while (c.remaining() > 0) {
    const int64_t dref = c.Varint();
    const int64_t dt = c.Varint();
    const uint64_t v = c.BE64();
    labels::Labels ls = DecodeLabels(&c);
    if (!c.ok()) break;
    out->push_back({base_ref + static_cast<uint64_t>(dref),
                    static_cast<int64_t>(base_t + static_cast<uint64_t>(dt)),
                    std::bit_cast<double>(v), std::move(ls)});
  }
  return c.status("exemplars");
}

absl::Status DecodeMmapMarkers(absl::string_view rec, std::vector<RefMmapMarker>* out) {
  Cursor c(rec);
  RETURN_IF_ERROR(CheckType(&c, Type::kMmapMarkers));
  ReserveMore(out, c.remaining() / 16);
  while (c.remaining() > 0) {
    const uint64_t ref = c.BE64();
    const uint64_t mmap_ref = c.BE64();
    if (!c.ok()) break;
    out->push_back({ref, mmap_ref});
  }
  return c.status("mmapmarkers");
}

absl::Status DecodeMetadata(absl::string_view rec, std::vector<RefMetadata>* out) {
  Cursor c(rec);
  RETURN_IF_ERROR(CheckType(&c, Type::kMetadata));
  while (c.remaining() > 0) {
    RefMetadata m{c.Uvarint(), c.Byte(), {}, {}};
    const uint64_t fields = c.Uvarint();
    for (uint64_t i = 0; i < fields && c.ok(); ++i) {
      absl::string_view name = c.Str();
      absl::string_view value = c.Str();
      if (name == "UNIT") {
        m.unit.assign(value.data(), value.size());
      } else if (name == "HELP") {
        m.help.assign(value.data(), value.size());
      }
    }
    if (!c.ok()) break;
    out->push_back(std::move(m));
  }
  return c.status("metadata");
}

absl::Status FilterHistogramSamples(absl::string_view rec, int64_t mint, std::string* out,
                                    size_t* total, size_t* kept) {
  *total = 0;
  *kept = 0;
  Cursor c(rec);
  RETURN_IF_ERROR(CheckType(&c, Type::kHistogramSamples));
  if (c.remaining() == 0) return absl::OkStatus();
  const uint64_t base_ref = c.BE64();
  const uint64_t base_t = c.BE64();
  struct Entry {
    uint64_t ref;
    int64_t t;
    absl::string_view body;
  };
  std::vector<Entry> keep;
  while (c.remaining() > 0) {
    const uint64_t ref = base_ref + static_cast<uint64_t>(c.Varint());
    const int64_t t = static_cast<int64_t>(base_t + static_cast<uint64_t>(c.Varint()));
    const char* body = c.pos();
    SkipHistogram(&c);
    if (!c.ok()) break;
    ++*total;
    if (t >= mint) keep.push_back({ref, t, absl::string_view(body, c.pos() - body)});
  }
  RETURN_IF_ERROR(c.status("histogram_samples"));
  *kept = keep.size();
  if (keep.empty()) return absl::OkStatus();
  out->push_back(static_cast<char>(Type::kHistogramSamples));
  PutBE64(out, keep[0].ref);
  PutBE64(out, static_cast<uint64_t>(keep[0].t));
  for (const Entry& e : keep) {
    PutVarint(out, Delta(e.ref, keep[0].ref));
    PutVarint(out, Delta(e.t, keep[0].t));
    out->append(e.body.data(), e.body.size());
  }
  return absl::OkStatus();
}

}  // namespace argus::tsdb::record
