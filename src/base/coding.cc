#include "base/coding.h"

#include "absl/strings/str_cat.h"

namespace argus {

char* EncodeUvarint(char* dst, uint64_t v) {
  while (v >= 0x80) {
    *dst++ = static_cast<char>(v | 0x80);
    v >>= 7;
  }
  *dst++ = static_cast<char>(v);
  return dst;
}

void PutUvarint(std::string* dst, uint64_t v) {
  char buf[kMaxVarintLen64];
  dst->append(buf, EncodeUvarint(buf, v) - buf);
}

void PutVarint(std::string* dst, int64_t v) {
  uint64_t ux = static_cast<uint64_t>(v) << 1;
  if (v < 0) ux = ~ux;
  PutUvarint(dst, ux);
}

int UvarintLength(uint64_t v) {
  int n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

void PutBE16(std::string* dst, uint16_t v) {
  char b[2] = {static_cast<char>(v >> 8), static_cast<char>(v)};
  dst->append(b, 2);
}

void PutBE32(std::string* dst, uint32_t v) {
  char b[4];
  StoreBE32(b, v);
  dst->append(b, 4);
}

void PutBE64(std::string* dst, uint64_t v) {
  char b[8];
  StoreBE64(b, v);
  dst->append(b, 8);
}

bool Decoder::Need(size_t n) {
  if (error_ != nullptr) return false;
  if (remaining() < n) {
    error_ = "unexpected end of data";
    error_pos_ = pos_;
    return false;
  }
  return true;
}

uint8_t Decoder::Byte() {
  if (!Need(1)) return 0;
  return static_cast<uint8_t>(data_[pos_++]);
}

uint16_t Decoder::BE16() {
  if (!Need(2)) return 0;
  uint16_t v = LoadBE16(data_.data() + pos_);
  pos_ += 2;
  return v;
}

uint32_t Decoder::BE32() {
  if (!Need(4)) return 0;
  uint32_t v = LoadBE32(data_.data() + pos_);
  pos_ += 4;
  return v;
}

uint64_t Decoder::BE64() {
  if (!Need(8)) return 0;
  uint64_t v = LoadBE64(data_.data() + pos_);
  pos_ += 8;
  return v;
}

uint64_t Decoder::Uvarint() {
  if (error_ != nullptr) return 0;
  uint64_t x = 0;
  int shift = 0;
  for (int i = 0; i < kMaxVarintLen64; ++i) {
    if (pos_ >= data_.size()) {
      error_ = "unexpected end of data in varint";
      error_pos_ = pos_;
      return 0;
    }
    uint8_t b = static_cast<uint8_t>(data_[pos_]);
    if (b < 0x80) {
      if (i == kMaxVarintLen64 - 1 && b > 1) break;  // more than 64 bits
      ++pos_;
      return x | static_cast<uint64_t>(b) << shift;
    }
    x |= static_cast<uint64_t>(b & 0x7f) << shift;
    shift += 7;
    ++pos_;
  }
  error_ = "varint overflows 64 bits";
  error_pos_ = pos_;
  return 0;
}

int64_t Decoder::Varint() {
  uint64_t ux = Uvarint();
  int64_t x = static_cast<int64_t>(ux >> 1);
  if (ux & 1) x = ~x;
  return x;
}

absl::string_view Decoder::Bytes(size_t n) {
  if (!Need(n)) return {};
  absl::string_view v = data_.substr(pos_, n);
  pos_ += n;
  return v;
}

absl::string_view Decoder::UvarintBytes() {
  uint64_t n = Uvarint();
  if (error_ != nullptr) return {};
  return Bytes(n);
}

absl::Status Decoder::status(absl::string_view what) const {
  if (error_ == nullptr) return absl::OkStatus();
  return absl::DataLossError(absl::StrCat(what, ": ", error_, " at offset ", error_pos_));
}

}  // namespace argus
