// The XOR float chunk (Prometheus chunk encoding 1): byte-for-byte the encoding of
// tsdb/chunkenc/xor.go in Prometheus v2.42, so chunks move between Argus, Prometheus and Thanos
// without re-encoding. Layout: 2-byte big-endian sample count, then the bit stream.
// See docs/format/chunks.md.
#pragma once

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "tsdb/chunkenc/bstream.h"

namespace argus::tsdb::chunkenc {

// Chunk encodings as stored in chunk segment files (not the Thanos storepb numbering).
enum class Encoding : uint8_t { kNone = 0, kXor = 1, kHistogram = 2, kFloatHistogram = 3 };

// Most samples a chunk can hold (the 16-bit count).
inline constexpr int kMaxSamplesPerChunk = 65535;

// Number of samples in chunk bytes (0 for fewer than 2 bytes).
int XorNumSamples(absl::string_view chunk);

// Builds one XOR chunk. 48 bytes plus the chunk's bytes (a head keeps one per series); the
// buffer is allocated at the first Append. Not thread-safe.
class XorAppender {
 public:
  // Sets the buffer's room to `bytes` (at least the current size): appends up to that size do
  // not reallocate.
  void Reserve(size_t bytes) { w_.bytes().SetCapacity(bytes); }
  size_t size() const { return w_.bytes().empty() ? 2 : w_.bytes().size(); }

  // REQUIRES: t greater than the previous sample's t; fewer than kMaxSamplesPerChunk samples.
  void Append(int64_t t, double v);

  int num_samples() const { return num_; }
  // The chunk bytes so far (valid until the next Append). The sample count in the header is
  // brought up to date here rather than on every Append, which would touch a second cache
  // line per sample.
  absl::string_view bytes();
  // A copy of the chunk bytes.
  std::string CopyBytes() const;
  // The last sample (REQUIRES: num_samples() > 0).
  int64_t last_t() const { return t_; }
  double last_v() const { return v_; }
  // Where the next Append writes: for prefetching (nullptr before the first Append).
  const char* tail() const {
    return w_.bytes().empty() ? nullptr : w_.bytes().data() + w_.bytes().size() - 1;
  }

 private:
  void WriteValue(double v);
  // Go's binary.PutUvarint bytes, each written with WriteByte.
  void WriteUvarint(uint64_t v);

  // Potentially overlapping: the small fields below live in the writer's tail padding.
  [[no_unique_address]] BitWriter w_;
  uint16_t num_ = 0;
  uint8_t leading_ = 0xff;  // 0xff: no window yet, the next value writes a full one
  uint8_t trailing_ = 0;
  int64_t t_ = 0;
  double v_ = 0;
  uint64_t t_delta_ = 0;
};

// Iterates the samples of an XOR chunk. Does not own the bytes. Not thread-safe.
class XorIterator {
 public:
  XorIterator() = default;
  explicit XorIterator(absl::string_view chunk);

  // Moves to the next sample; false at the end or on corrupt data (see status()).
  bool Next();
  // Next up to `max` times, each sample into ts[i], vs[i]; returns how many (fewer at the end
  // or on corrupt data). t() and v() are then those of the last.
  size_t NextBatch(int64_t* ts, double* vs, size_t max);
  // Moves to the first sample with timestamp >= t (staying put if already there); false when
  // there is none.
  bool Seek(int64_t t);
  int64_t t() const { return t_; }
  double v() const { return v_; }
  // DataLoss when the chunk ended early or held an impossible encoding.
  absl::Status status() const;

 private:
  bool Fail();
  // Next, inlined into the loops of this file.
  bool Decode();
  bool ReadValue();

  BitReader r_;
  int total_ = 0;
  int read_ = 0;
  bool failed_ = false;
  int64_t t_ = INT64_MIN;
  double v_ = 0;
  uint64_t t_delta_ = 0;
  uint8_t leading_ = 0;
  uint8_t trailing_ = 0;
  bool window_set_ = false;  // a full leading/trailing window has been read
};

}  // namespace argus::tsdb::chunkenc
