// Bit streams for the Gorilla-style XOR chunk encoding, bit-compatible with Prometheus's
// tsdb/chunkenc/bstream.go: bits fill each byte from the most significant end.
// See docs/format/chunks.md.
#pragma once

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace argus::tsdb::chunkenc {

// Appends bits to a byte string it owns. Not thread-safe.
class BitWriter {
 public:
  BitWriter() = default;
  // Continues a stream whose last byte has `free_bits` (0..8) unused low bits.
  BitWriter(std::string bytes, int free_bits) : bytes_(std::move(bytes)), free_(free_bits) {}

  void WriteBit(bool bit) {
    if (free_ == 0) {
      bytes_.push_back(0);
      free_ = 8;
    }
    if (bit) bytes_.back() = static_cast<char>(bytes_.back() | (1 << (free_ - 1)));
    --free_;
  }

  // Writes the low `nbits` (0..64) of `v`, most significant first.
  void WriteBits(uint64_t v, int nbits);
  void WriteByte(uint8_t b);

  std::string& bytes() { return bytes_; }
  const std::string& bytes() const { return bytes_; }
  int free_bits() const { return free_; }

 private:
  std::string bytes_;
  int free_ = 0;  // unused low bits in the last byte (8: an empty trailing byte)
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
  bool ReadBits(int nbits, uint64_t* out);
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
  absl::string_view data_;
  size_t pos_ = 0;  // in bits
};

}  // namespace argus::tsdb::chunkenc
