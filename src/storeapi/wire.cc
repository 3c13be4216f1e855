#include "storeapi/wire.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <utility>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/status.h"

namespace argus::storeapi {
namespace {

// Field keys ((number << 3) | wire type) of the messages involved. Series is field 1 of both
// SeriesResponse and SeriesBatch.
constexpr char kSeriesKey = 0x0a;                    // SeriesResponse.series, SeriesBatch.series
constexpr char kWarningKey = 0x12;                   // SeriesResponse.warning
constexpr char kBatchKey = 0x22;                     // SeriesResponse.batch
constexpr char kLabelKey = 0x0a;                     // Series.labels
constexpr char kChunkKey = 0x12;                     // Series.chunks
constexpr char kNameKey = 0x0a;                      // Label.name
constexpr char kValueKey = 0x12;                     // Label.value
constexpr char kMinTimeKey = 0x08;                   // AggrChunk.min_time
constexpr char kMaxTimeKey = 0x10;                   // AggrChunk.max_time
constexpr char kRawKey = 0x1a;                       // AggrChunk.raw
constexpr char kDataKey = 0x12;                      // Chunk.data (Chunk.type XOR is 0, left out)
constexpr char kHashKey = 0x18;                      // Chunk.hash
constexpr size_t kHeaderRoom = 1 + kMaxVarintLen64;  // a batch frame's key and length

// Size of a length-delimited field with a one-byte key and `n` bytes of payload.
size_t Delimited(size_t n) { return 1 + UvarintLength(n) + n; }
// Size of a field with a one-byte key, left out when its value is zero or empty (proto3).
size_t VarintField(uint64_t v) { return v == 0 ? 0 : 1 + UvarintLength(v); }
size_t BytesField(absl::string_view v) { return v.empty() ? 0 : Delimited(v.size()); }

// Writers into a buffer sized beforehand; each returns the end of what it wrote.
char* PutKeyLength(char* p, char key, size_t n) {
  *p++ = key;
  return EncodeUvarint(p, n);
}
char* PutBytesField(char* p, char key, absl::string_view v) {
  if (v.empty()) return p;
  p = PutKeyLength(p, key, v.size());
  std::memcpy(p, v.data(), v.size());
  return p + v.size();
}
char* PutVarintField(char* p, char key, uint64_t v) {
  if (v == 0) return p;
  *p++ = key;
  return EncodeUvarint(p, v);
}

// Reads the fields of one message. Malformed input ends the reading with status() set.
class FieldReader {
 public:
  explicit FieldReader(absl::string_view message) : d_(message) {}

  // Moves to the next field; false at the end of the message or on malformed input.
  bool Next() {
    if (!d_.ok() || d_.remaining() == 0 || !status_.ok()) return false;
    varint = 0;
    bytes = {};
    const uint64_t key = d_.Uvarint();
    number = key >> 3;
    switch (key & 7) {
      case 0:  // varint
        varint = d_.Uvarint();
        break;
      case 1:  // fixed64
        d_.Skip(8);
        break;
      case 2:  // length-delimited
        bytes = d_.UvarintBytes();
        break;
      case 5:  // fixed32
        d_.Skip(4);
        break;
      default:
        status_ = absl::DataLossError(absl::StrCat("malformed StoreAPI frame: wire type ", key & 7,
                                                   " at offset ", d_.position()));
        return false;
    }
    return d_.ok();
  }
  // OK, or DataLoss naming the first malformation.
  absl::Status status() const {
    if (!status_.ok()) return status_;
    return d_.status("malformed StoreAPI frame");
  }

  // The current field: its number, and its value (0 / empty unless the field is a varint /
  // length-delimited).
  uint64_t number = 0;
  uint64_t varint = 0;
  absl::string_view bytes;

 private:
  Decoder d_;
  absl::Status status_;
};

absl::Status DecodeLabel(absl::string_view message, std::vector<labels::Label>* out) {
  labels::Label& l = out->emplace_back();
  FieldReader r(message);
  while (r.Next()) {
    if (r.number == 1) l.name.assign(r.bytes.data(), r.bytes.size());
    if (r.number == 2) l.value.assign(r.bytes.data(), r.bytes.size());
  }
  return r.status();
}

// One AggrChunk of the series labelled `lset` (for errors).
absl::Status DecodeChunk(absl::string_view message, const labels::Labels& lset,
                         std::vector<tsdb::ChunkView>* out) {
  tsdb::ChunkView c;
  absl::string_view raw;
  bool has_raw = false;
  FieldReader r(message);
  while (r.Next()) {
    switch (r.number) {
      case 1:
        c.min_time = static_cast<int64_t>(r.varint);
        break;
      case 2:
        c.max_time = static_cast<int64_t>(r.varint);
        break;
      case 3:
        raw = r.bytes;
        has_raw = true;
        break;
    }
  }
  RETURN_IF_ERROR(r.status());
  if (!has_raw) {
    return absl::DataLossError(
        absl::StrCat("series ", lset.ToString(), ": chunk without raw data (downsampled)"));
  }
  FieldReader chunk(raw);
  while (chunk.Next()) {
    if (chunk.number == 1 && chunk.varint != 0) {  // 0 is XOR
      return absl::DataLossError(
          absl::StrCat("series ", lset.ToString(), ": unsupported chunk encoding ", chunk.varint));
    }
    if (chunk.number == 2) c.data = chunk.bytes;
  }
  RETURN_IF_ERROR(chunk.status());
  out->push_back(c);
  return absl::OkStatus();
}

absl::Status DecodeSeries(absl::string_view message, const std::shared_ptr<const void>& keep,
                          std::vector<tsdb::ChunkSeries>* out) {
  std::vector<labels::Label> lset;
  lset.reserve(8);
  absl::InlinedVector<absl::string_view, 8> chunks;
  FieldReader r(message);
  while (r.Next()) {
    if (r.number == 1) RETURN_IF_ERROR(DecodeLabel(r.bytes, &lset));
    if (r.number == 2) chunks.push_back(r.bytes);
  }
  RETURN_IF_ERROR(r.status());
  tsdb::ChunkSeries& s = out->emplace_back();
  s.labels = labels::Labels::FromUnsorted(std::move(lset));
  s.chunks.reserve(chunks.size());
  for (absl::string_view c : chunks) RETURN_IF_ERROR(DecodeChunk(c, s.labels, &s.chunks));
  s.keepalive.push_back(keep);
  return absl::OkStatus();
}

}  // namespace

FrameEncoder::~FrameEncoder() { std::free(buf_); }

char* FrameEncoder::Extend(size_t n) {
  if (size_ == 0) size_ = kHeaderRoom;
  if (size_ + n > cap_) {
    cap_ = std::max({2 * cap_, size_ + n, size_t{64} << 10});
    buf_ = static_cast<char*>(std::realloc(buf_, cap_));
    if (buf_ == nullptr) throw std::bad_alloc();
  }
  char* at = buf_ + size_;
  size_ += n;
  return at;
}

void FrameEncoder::Add(const tsdb::ChunkSeries& s) {
  // Sizes first: every message is preceded by its length.
  absl::InlinedVector<size_t, 16> label_sizes, chunk_sizes, raw_sizes;
  absl::InlinedVector<uint64_t, 16> hashes;
  size_t size = 0;
  for (const labels::Label& l : s.labels) {
    label_sizes.push_back(BytesField(l.name) + BytesField(l.value));
    size += Delimited(label_sizes.back());
  }
  for (const tsdb::ChunkView& c : s.chunks) {
    hashes.push_back(XXH64(c.data.data(), c.data.size(), 0));
    raw_sizes.push_back(BytesField(c.data) + VarintField(hashes.back()));
    chunk_sizes.push_back(VarintField(static_cast<uint64_t>(c.min_time)) +
                          VarintField(static_cast<uint64_t>(c.max_time)) +
                          Delimited(raw_sizes.back()));
    size += Delimited(chunk_sizes.back());
  }
  const size_t total = Delimited(size);
  char* p = PutKeyLength(Extend(total), kSeriesKey, size);
  size_t i = 0;
  for (const labels::Label& l : s.labels) {
    p = PutKeyLength(p, kLabelKey, label_sizes[i++]);
    p = PutBytesField(p, kNameKey, l.name);
    p = PutBytesField(p, kValueKey, l.value);
  }
  i = 0;
  for (const tsdb::ChunkView& c : s.chunks) {
    p = PutKeyLength(p, kChunkKey, chunk_sizes[i]);
    p = PutVarintField(p, kMinTimeKey, static_cast<uint64_t>(c.min_time));
    p = PutVarintField(p, kMaxTimeKey, static_cast<uint64_t>(c.max_time));
    p = PutKeyLength(p, kRawKey, raw_sizes[i]);
    p = PutBytesField(p, kDataKey, c.data);
    p = PutVarintField(p, kHashKey, hashes[i++]);
  }
  ++series_;
}

WireFrame FrameEncoder::Finish(bool batch) {
  Extend(0);
  size_t offset = kHeaderRoom;
  if (batch) {
    const size_t body = size_ - kHeaderRoom;
    offset -= Delimited(body) - body;
    PutKeyLength(buf_ + offset, kBatchKey, body);
  }
  // gRPC frees the buffer once the frame is sent.
  grpc::Slice slice(
      buf_ + offset, size_ - offset, [](void* p) { std::free(p); }, buf_);
  buf_ = nullptr;
  size_ = cap_ = 0;
  series_ = 0;
  return WireFrame{grpc::ByteBuffer(&slice, 1)};
}

WireFrame WarningFrame(const std::string& warning) {
  std::string out(Delimited(warning.size()), '\0');
  PutBytesField(out.data(), kWarningKey, warning);
  grpc::Slice slice(out);
  return WireFrame{grpc::ByteBuffer(&slice, 1)};
}

absl::Status DecodeFrame(const WireFrame& frame, SeriesFrame* out) {
  out->series.clear();
  out->warning.clear();
  if (frame.bytes.Length() == 0) return absl::OkStatus();  // an empty SeriesResponse
  grpc::Slice slice;
  if (!frame.bytes.TrySingleSlice(&slice).ok() && !frame.bytes.DumpToSingleSlice(&slice).ok()) {
    return absl::DataLossError("unreadable StoreAPI frame");
  }
  auto keep = std::make_shared<const grpc::Slice>(std::move(slice));
  FieldReader r(absl::string_view(reinterpret_cast<const char*>(keep->begin()), keep->size()));
  while (r.Next()) {
    switch (r.number) {
      case 1:
        RETURN_IF_ERROR(DecodeSeries(r.bytes, keep, &out->series));
        break;
      case 2:
        out->warning = std::string(r.bytes);
        break;
      case 4: {
        FieldReader batch(r.bytes);
        while (batch.Next()) {
          if (batch.number == 1) RETURN_IF_ERROR(DecodeSeries(batch.bytes, keep, &out->series));
        }
        RETURN_IF_ERROR(batch.status());
        break;
      }
      default:  // hints, or a field of a newer protocol
        break;
    }
  }
  return r.status();
}

}  // namespace argus::storeapi
