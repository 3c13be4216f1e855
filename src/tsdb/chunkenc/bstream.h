// Bit streams for the Gorilla-style XOR chunk encoding, bit-compatible with Prometheus's
// tsdb/chunkenc/bstream.go: bits fill each byte from the most significant end.
// See docs/format/chunks.md.
#pragma once

#include <cstdint>
#include <cstring>

#include "absl/strings/string_view.h"
#include "base/coding.h"

namespace argus::tsdb::chunkenc {

// The bytes of a chunk being built: 16 bytes of bookkeeping (a head holds one per series), and
// growth by half the size rather than doubling, so that a million open chunks leave less of
// their buffers unused. Move-only. Not thread-safe.
class ChunkBytes {
 public:
  ChunkBytes() = default;
  ChunkBytes(ChunkBytes&& o) noexcept : data_(o.data_), size_(o.size_), cap_(o.cap_) {
    o.data_ = nullptr;
    o.size_ = o.cap_ = 0;
  }
  ChunkBytes& operator=(ChunkBytes&& o) noexcept;
  ChunkBytes(const ChunkBytes&) = delete;
  ChunkBytes& operator=(const ChunkBytes&) = delete;
  ~ChunkBytes();

  char* data() { return data_; }
  const char* data() const { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  absl::string_view view() const { return {data_, size_}; }
  char& back() { return data_[size_ - 1]; }

  // Sets the room to max(n, size()) bytes: no reallocation until then. Shrinking happens in
  // place (the allocator takes back the tail).
  void SetCapacity(size_t n) {
    if (n < size_) n = size_;
    if (n != cap_) Realloc(n);
  }
  void PushBack(char c) {
    if (size_ == cap_) Grow(size_ + 1);
    data_[size_++] = c;
  }
  // Grows by `n` zero bytes.
  void AppendZeros(size_t n) {
    if (size_ + n > cap_) Grow(size_ + n);
    std::memset(data_ + size_, 0, n);
    size_ += static_cast<uint32_t>(n);
  }

 private:
  void Grow(size_t min);
  void Realloc(size_t cap);

  char* data_ = nullptr;
  uint32_t size_ = 0;
  uint32_t cap_ = 0;
};

// Appends bits to bytes it owns. Not thread-safe.
class BitWriter {
 public:
  void WriteBit(bool bit) {
    if (free_ == 0) {
      bytes_.PushBack(0);
      free_ = 8;
    }
    if (bit) bytes_.back() = static_cast<char>(bytes_.back() | (1 << (free_ - 1)));
    --free_;
  }

  // Writes the low `nbits` (0..64) of `v`, most significant first.
  void WriteBits(uint64_t v, int nbits);
  void WriteByte(uint8_t b);

  ChunkBytes& bytes() { return bytes_; }
  const ChunkBytes& bytes() const { return bytes_; }

 private:
  ChunkBytes bytes_;
  uint8_t free_ = 0;  // unused low bits in the last byte (8: an empty trailing byte)
  // The rest of the last 8 bytes is tail padding that an owner may reuse (see XorAppender).
};

// Reads bits from a byte range it does not own. Reads past the end fail (return false) and
// leave the reader failed.
class BitReader {
 public:
  BitReader() = default;
  explicit BitReader(absl::string_view data) : data_(data) {}

  bool ReadBit(bool* bit) {
    if (pos_ >= data_.size() * 8) return false;
    *bit = (static_cast<uint8_t>(data_[pos_ >> 3]) >> (7 - (pos_ & 7))) & 1;
    ++pos_;
    return true;
  }
  // Reads `nbits` (1..64) bits as an unsigned number.
  bool ReadBits(int nbits, uint64_t* out) {
    const size_t byte = pos_ >> 3;
    if (nbits <= 56 && byte + 8 <= data_.size()) {
      // Fast path, inlined into the decoders: one unaligned big-endian load holds all the bits.
      const uint64_t w = LoadBE64(data_.data() + byte) << (pos_ & 7);
      *out = w >> (64 - nbits);
      pos_ += nbits;
      return true;
    }
    return ReadBitsSlow(nbits, out);
  }
  // Sets *word to the next 57 or more bits, at its top, without consuming them; false when
  // fewer than 8 bytes remain (then read with ReadBit/ReadBits).
  bool Peek(uint64_t* word) const {
    const size_t byte = pos_ >> 3;
    if (byte + 8 > data_.size()) return false;
    *word = LoadBE64(data_.data() + byte) << (pos_ & 7);
    return true;
  }
  // Consumes `nbits` bits seen through Peek.
  void Skip(int nbits) { pos_ += nbits; }
  bool ReadByte(uint8_t* out) {
    uint64_t v;
    if (!ReadBits(8, &v)) return false;
    *out = static_cast<uint8_t>(v);
    return true;
  }
  // Go's binary.ReadUvarint / ReadVarint over the bit stream.
  bool ReadUvarint(uint64_t* out);
  bool ReadVarint(int64_t* out);

  size_t bits_left() const { return data_.size() * 8 - pos_; }

 private:
  // ReadBits near the end of the data or for more than 56 bits.
  bool ReadBitsSlow(int nbits, uint64_t* out);

  absl::string_view data_;
  size_t pos_ = 0;  // in bits
};

}  // namespace argus::tsdb::chunkenc
