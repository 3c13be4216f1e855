// Integer coding used by every on-disk and wire format: LEB128 varints as Go's encoding/binary
// writes them (signed ones zig-zag encoded) and big-endian fixed-width integers.
// See docs/format/coding.md.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace argus {

inline constexpr int kMaxVarintLen64 = 10;

// Writes `v` as an unsigned LEB128 varint (1 to 10 bytes) at `dst`, which must have room;
// returns the end of what it wrote.
char* EncodeUvarint(char* dst, uint64_t v);
// Appends `v` as an unsigned LEB128 varint (1 to 10 bytes).
void PutUvarint(std::string* dst, uint64_t v);
// Appends `v` zig-zag encoded, as Go's binary.PutVarint does.
void PutVarint(std::string* dst, int64_t v);
// Number of bytes PutUvarint writes for `v`.
int UvarintLength(uint64_t v);

void PutBE16(std::string* dst, uint16_t v);
void PutBE32(std::string* dst, uint32_t v);
void PutBE64(std::string* dst, uint64_t v);

inline uint16_t LoadBE16(const void* p) {
  uint16_t v;
  std::memcpy(&v, p, sizeof v);
  return __builtin_bswap16(v);
}
inline uint32_t LoadBE32(const void* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return __builtin_bswap32(v);
}
inline uint64_t LoadBE64(const void* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return __builtin_bswap64(v);
}
inline void StoreBE16(void* p, uint16_t v) {
  v = __builtin_bswap16(v);
  std::memcpy(p, &v, sizeof v);
}
inline void StoreBE32(void* p, uint32_t v) {
  v = __builtin_bswap32(v);
  std::memcpy(p, &v, sizeof v);
}
inline void StoreBE64(void* p, uint64_t v) {
  v = __builtin_bswap64(v);
  std::memcpy(p, &v, sizeof v);
}

// Reads integers from a byte range with bounds checks. Errors are sticky: after the first
// failed read every later read returns 0 / empty and ok() is false, so a caller can decode a
// whole record and check once at the end (the shape of Prometheus's encoding.Decbuf).
// Not thread-safe; does not own the bytes.
class Decoder {
 public:
  explicit Decoder(absl::string_view data) : data_(data) {}

  uint8_t Byte();
  uint16_t BE16();
  uint32_t BE32();
  uint64_t BE64();
  // Fails on truncation and on varints longer than 10 bytes or overflowing 64 bits.
  uint64_t Uvarint();
  int64_t Varint();
  // The next `n` bytes (a view into the input).
  absl::string_view Bytes(size_t n);
  // A uvarint length followed by that many bytes.
  absl::string_view UvarintBytes();
  void Skip(size_t n) { Bytes(n); }

  bool ok() const { return error_ == nullptr; }
  size_t remaining() const { return data_.size() - pos_; }
  size_t position() const { return pos_; }
  // OK, or DataLoss "<what>: <reason> at offset N".
  absl::Status status(absl::string_view what) const;

 private:
  bool Need(size_t n);

  absl::string_view data_;
  size_t pos_ = 0;
  const char* error_ = nullptr;  // static string describing the first failure
  size_t error_pos_ = 0;
};

}  // namespace argus
