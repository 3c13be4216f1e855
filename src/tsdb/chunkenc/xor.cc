#include "tsdb/chunkenc/xor.h"

#include <algorithm>
#include <bit>

#include "absl/strings/str_cat.h"
#include "base/coding.h"

namespace argus::tsdb::chunkenc {
namespace {

uint64_t Bits(double v) { return std::bit_cast<uint64_t>(v); }
double FromBits(uint64_t b) { return std::bit_cast<double>(b); }

// True when dod fits the n-bit bucket: -(2^(n-1)-1) <= dod <= 2^(n-1).
bool BitRange(int64_t dod, int n) {
  return -((int64_t{1} << (n - 1)) - 1) <= dod && dod <= (int64_t{1} << (n - 1));
}

// Go's int64 arithmetic wraps; so does this (corrupt chunks must not be undefined behaviour).
int64_t WrapAdd(int64_t a, uint64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) + b);
}

}  // namespace

int XorNumSamples(absl::string_view chunk) { return chunk.size() < 2 ? 0 : LoadBE16(chunk.data()); }

static_assert(sizeof(XorAppender) == 48, "the small fields must share the writer's padding");

absl::string_view XorAppender::bytes() {
  if (w_.bytes().empty()) return absl::string_view("\0\0", 2);
  StoreBE16(w_.bytes().data(), num_);
  return w_.bytes().view();
}

std::string XorAppender::CopyBytes() const {
  if (w_.bytes().empty()) return std::string(2, '\0');
  std::string out(w_.bytes().view());
  StoreBE16(out.data(), num_);
  return out;
}

void XorAppender::Append(int64_t t, double v) {
  uint64_t t_delta = 0;
  if (num_ == 0) {
    w_.bytes().AppendZeros(2);  // the sample count, filled in by bytes()
    // The first timestamp as a zig-zag varint, byte by byte (Go's writeByte each).
    WriteUvarint((static_cast<uint64_t>(t) << 1) ^ static_cast<uint64_t>(t >> 63));
    w_.WriteBits(Bits(v), 64);
  } else if (num_ == 1) {
    t_delta = static_cast<uint64_t>(t) - static_cast<uint64_t>(t_);
    WriteUvarint(t_delta);
    WriteValue(v);
  } else {
    t_delta = static_cast<uint64_t>(t) - static_cast<uint64_t>(t_);
    const int64_t dod = static_cast<int64_t>(t_delta - t_delta_);
    if (dod == 0) {
      w_.WriteBit(false);
    } else if (BitRange(dod, 14)) {
      w_.WriteBits(0b10, 2);
      w_.WriteBits(static_cast<uint64_t>(dod), 14);
    } else if (BitRange(dod, 17)) {
      w_.WriteBits(0b110, 3);
      w_.WriteBits(static_cast<uint64_t>(dod), 17);
    } else if (BitRange(dod, 20)) {
      w_.WriteBits(0b1110, 4);
      w_.WriteBits(static_cast<uint64_t>(dod), 20);
    } else {
      w_.WriteBits(0b1111, 4);
      w_.WriteBits(static_cast<uint64_t>(dod), 64);
    }
    WriteValue(v);
  }
  t_ = t;
  v_ = v;
  t_delta_ = t_delta;
  ++num_;
}

void XorAppender::WriteUvarint(uint64_t v) {
  while (v >= 0x80) {
    w_.WriteByte(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  w_.WriteByte(static_cast<uint8_t>(v));
}

void XorAppender::WriteValue(double v) {
  const uint64_t delta = Bits(v) ^ Bits(v_);
  if (delta == 0) {
    w_.WriteBit(false);
    return;
  }
  w_.WriteBit(true);
  uint8_t leading = static_cast<uint8_t>(std::countl_zero(delta));
  const uint8_t trailing = static_cast<uint8_t>(std::countr_zero(delta));
  if (leading >= 32) leading = 31;  // 5 bits hold at most 31
  if (leading_ != 0xff && leading >= leading_ && trailing >= trailing_) {
    // The new significant bits fit the current window.
    w_.WriteBit(false);
    w_.WriteBits(delta >> trailing_, 64 - leading_ - trailing_);
    return;
  }
  leading_ = leading;
  trailing_ = trailing;
  w_.WriteBit(true);
  w_.WriteBits(leading, 5);
  // 64 significant bits do not fit in 6 bits; they are written as 0 (0 never occurs: that
  // would be the delta == 0 case above).
  const int sigbits = 64 - leading - trailing;
  w_.WriteBits(static_cast<uint64_t>(sigbits), 6);
  w_.WriteBits(delta >> trailing, sigbits);
}

XorIterator::XorIterator(absl::string_view chunk) {
  if (chunk.size() < 2) {
    failed_ = chunk.size() != 0;
    return;
  }
  total_ = LoadBE16(chunk.data());
  r_ = BitReader(chunk.substr(2));
}

bool XorIterator::Fail() {
  failed_ = true;
  return false;
}

bool XorIterator::Next() { return Decode(); }

size_t XorIterator::NextBatch(int64_t* ts, double* vs, size_t max) {
  size_t n = 0;
  for (; n < max && Decode(); ++n) {
    ts[n] = t_;
    vs[n] = v_;
  }
  return n;
}

[[gnu::always_inline]] inline bool XorIterator::Decode() {
  if (failed_ || read_ == total_) return false;
  if (read_ == 0) {
    uint64_t v;
    if (!r_.ReadVarint(&t_) || !r_.ReadBits(64, &v)) return Fail();
    v_ = FromBits(v);
    ++read_;
    return true;
  }
  if (read_ == 1) {
    if (!r_.ReadUvarint(&t_delta_)) return Fail();
    t_ = WrapAdd(t_, t_delta_);
    return ReadValue();
  }
  int prefix = 0;  // number of leading 1 bits of the dod bucket code, up to 4
  if (uint64_t w; r_.Peek(&w)) {
    prefix = std::min(4, std::countl_one(w));
    r_.Skip(prefix < 4 ? prefix + 1 : 4);
  } else {
    for (; prefix < 4; ++prefix) {
      bool bit;
      if (!r_.ReadBit(&bit)) return Fail();
      if (!bit) break;
    }
  }
  int64_t dod = 0;
  if (prefix == 4) {
    uint64_t bits;
    if (!r_.ReadBits(64, &bits)) return Fail();
    dod = static_cast<int64_t>(bits);
  } else if (prefix > 0) {
    static constexpr int kSizes[] = {0, 14, 17, 20};
    const int sz = kSizes[prefix];
    uint64_t bits;
    if (!r_.ReadBits(sz, &bits)) return Fail();
    // Negative values come back as large unsigned ones.
    if (bits > (uint64_t{1} << (sz - 1))) bits -= uint64_t{1} << sz;
    dod = static_cast<int64_t>(bits);
  }
  t_delta_ += static_cast<uint64_t>(dod);
  t_ = WrapAdd(t_, t_delta_);
  return ReadValue();
}

[[gnu::always_inline]] inline bool XorIterator::ReadValue() {
  // '0': the same value; '10': XOR bits in the last window; '11': a new window, then the bits.
  bool changed = false, new_window = false;
  if (uint64_t w; r_.Peek(&w)) {
    changed = (w >> 63) != 0;
    new_window = changed && ((w >> 62) & 1) != 0;
    r_.Skip(changed ? 2 : 1);
  } else {
    if (!r_.ReadBit(&changed)) return Fail();
    if (changed && !r_.ReadBit(&new_window)) return Fail();
  }
  if (changed) {
    if (new_window) {
      uint64_t leading, sig;
      if (!r_.ReadBits(5, &leading) || !r_.ReadBits(6, &sig)) return Fail();
      if (sig == 0) sig = 64;
      if (leading + sig > 64) return Fail();
      leading_ = static_cast<uint8_t>(leading);
      trailing_ = static_cast<uint8_t>(64 - leading - sig);
      window_set_ = true;
    } else if (!window_set_) {
      return Fail();  // reuse of a window that was never set
    }
    const int sig = 64 - leading_ - trailing_;
    uint64_t bits;
    if (!r_.ReadBits(sig, &bits)) return Fail();
    v_ = FromBits(Bits(v_) ^ (bits << trailing_));
  }
  ++read_;
  return true;
}

bool XorIterator::Seek(int64_t t) {
  if (failed_) return false;
  if (read_ > 0 && t_ >= t) return true;
  while (Decode()) {
    if (t_ >= t) return true;
  }
  return false;
}

absl::Status XorIterator::status() const {
  if (!failed_) return absl::OkStatus();
  return absl::DataLossError(
      absl::StrCat("corrupt XOR chunk: sample ", read_, " of ", total_, " does not decode"));
}

}  // namespace argus::tsdb::chunkenc
