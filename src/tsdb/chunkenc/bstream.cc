#include "tsdb/chunkenc/bstream.h"

#include <algorithm>
#include <cstdlib>
#include <new>

#include "base/coding.h"

namespace argus::tsdb::chunkenc {

ChunkBytes& ChunkBytes::operator=(ChunkBytes&& o) noexcept {
  if (this != &o) {
    std::free(data_);
    data_ = o.data_;
    size_ = o.size_;
    cap_ = o.cap_;
    o.data_ = nullptr;
    o.size_ = o.cap_ = 0;
  }
  return *this;
}

ChunkBytes::~ChunkBytes() { std::free(data_); }

void ChunkBytes::Grow(size_t min) {
  // By an eighth, at least 64 bytes, in multiples of 64: chunks grow through the same few
  // sizes, so the buffers one series outgrows fit the next series growing into that size.
  Realloc((std::max<size_t>(min, cap_ + std::max<size_t>(64, cap_ / 8)) + 63) / 64 * 64);
}

void ChunkBytes::Realloc(size_t cap) {
  void* p = std::realloc(data_, cap);
  if (p == nullptr) throw std::bad_alloc();
  data_ = static_cast<char*>(p);
  cap_ = static_cast<uint32_t>(cap);
}

void BitWriter::WriteByte(uint8_t b) {
  // As Go's bstream.writeByte: an aligned write still opens a fresh byte first, so the stream
  // then ends in an empty byte with all 8 bits free (and the chunk bytes carry it).
  if (free_ == 0) {
    bytes_.PushBack(0);
    free_ = 8;
  }
  bytes_.back() = static_cast<char>(static_cast<uint8_t>(bytes_.back()) | (b >> (8 - free_)));
  bytes_.PushBack(static_cast<char>(free_ == 8 ? 0 : b << free_));
}

void BitWriter::WriteBits(uint64_t v, int nbits) {
  if (nbits == 0) return;
  v <<= 64 - nbits;
  // Whole bytes, each exactly as Go's writeByte: its high part into the open byte, its low part
  // into a new one (zero, with all 8 bits free, when the stream was aligned).
  if (nbits >= 8) {
    if (free_ == 0) {
      bytes_.PushBack(0);
      free_ = 8;
    }
    const int nbytes = nbits / 8;
    const size_t open = bytes_.size() - 1;
    bytes_.AppendZeros(nbytes);
    auto* p = reinterpret_cast<uint8_t*>(bytes_.data() + open);
    for (int i = 0; i < nbytes; ++i) {
      const uint8_t b = static_cast<uint8_t>(v >> 56);
      p[i] = static_cast<uint8_t>(p[i] | (b >> (8 - free_)));
      p[i + 1] = free_ == 8 ? 0 : static_cast<uint8_t>(b << free_);
      v <<= 8;
    }
    nbits -= nbytes * 8;
  }
  // The remaining 0-7 bits at once, as Go's bit-by-bit writeBit loop leaves them.
  if (nbits == 0) return;
  const auto bits = static_cast<uint8_t>(v >> (64 - nbits));
  if (free_ == 0) {
    bytes_.PushBack(0);
    free_ = 8;
  }
  auto& last = reinterpret_cast<uint8_t&>(bytes_.back());
  if (nbits <= free_) {
    last = static_cast<uint8_t>(last | (bits << (free_ - nbits)));
    free_ = static_cast<uint8_t>(free_ - nbits);
  } else {
    const int rest = nbits - free_;
    last = static_cast<uint8_t>(last | (bits >> rest));
    bytes_.PushBack(static_cast<char>(static_cast<uint8_t>(bits << (8 - rest))));
    free_ = static_cast<uint8_t>(8 - rest);
  }
}

bool BitReader::ReadBitsSlow(int nbits, uint64_t* out) {
  if (bits_left() < static_cast<size_t>(nbits)) {
    pos_ = data_.size() * 8;
    return false;
  }
  if (nbits > 32) {
    // Two reads that can take the fast path (neither can fail: bits_left() was checked).
    uint64_t hi, lo;
    ReadBits(nbits - 32, &hi);
    ReadBits(32, &lo);
    *out = (hi << 32) | lo;
    return true;
  }
  uint64_t v = 0;
  for (int i = 0; i < nbits; ++i) {
    bool bit = false;
    ReadBit(&bit);  // cannot fail: bits_left() was checked above
    v = (v << 1) | static_cast<uint64_t>(bit);
  }
  *out = v;
  return true;
}

bool BitReader::ReadUvarint(uint64_t* out) {
  uint64_t x = 0;
  int shift = 0;
  for (int i = 0; i < kMaxVarintLen64; ++i) {
    uint8_t b;
    if (!ReadByte(&b)) return false;
    if (b < 0x80) {
      if (i == kMaxVarintLen64 - 1 && b > 1) return false;
      *out = x | static_cast<uint64_t>(b) << shift;
      return true;
    }
    x |= static_cast<uint64_t>(b & 0x7f) << shift;
    shift += 7;
  }
  return false;
}

bool BitReader::ReadVarint(int64_t* out) {
  uint64_t ux;
  if (!ReadUvarint(&ux)) return false;
  int64_t x = static_cast<int64_t>(ux >> 1);
  if (ux & 1) x = ~x;
  *out = x;
  return true;
}

}  // namespace argus::tsdb::chunkenc
