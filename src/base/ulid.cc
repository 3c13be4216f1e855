#include "base/ulid.h"

#include "absl/strings/str_cat.h"

namespace argus {
namespace {

constexpr char kAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

// Value of a base32 character, or -1.
int DecodeChar(char c) {
  if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  for (int i = 0; i < 32; ++i) {
    if (kAlphabet[i] == c) return i;
  }
  return -1;
}

using u128 = unsigned __int128;

u128 ToInt(const std::array<uint8_t, 16>& b) {
  u128 v = 0;
  for (uint8_t x : b) v = (v << 8) | x;
  return v;
}

std::array<uint8_t, 16> FromInt(u128 v) {
  std::array<uint8_t, 16> b;
  for (int i = 15; i >= 0; --i) {
    b[i] = static_cast<uint8_t>(v);
    v >>= 8;
  }
  return b;
}

}  // namespace

Ulid Ulid::FromParts(uint64_t time_ms, const std::array<uint8_t, 10>& entropy) {
  std::array<uint8_t, 16> b;
  for (int i = 0; i < 6; ++i) b[i] = static_cast<uint8_t>(time_ms >> (8 * (5 - i)));
  for (int i = 0; i < 10; ++i) b[6 + i] = entropy[i];
  return Ulid(b);
}

absl::StatusOr<Ulid> Ulid::Parse(absl::string_view text) {
  if (text.size() != 26) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid ULID \"", text, "\": want 26 characters, got ", text.size()));
  }
  // 26 characters carry 130 bits; the top two must be zero, so the first character is <= '7'.
  u128 v = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    int d = DecodeChar(text[i]);
    if (d < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid ULID \"", text, "\": bad character at position ", i));
    }
    if (i == 0 && d > 7) {
      return absl::InvalidArgumentError(absl::StrCat("invalid ULID \"", text, "\": overflow"));
    }
    v = (v << 5) | static_cast<u128>(d);
  }
  return Ulid(FromInt(v));
}

std::string Ulid::ToString() const {
  u128 v = ToInt(bytes_);
  std::string out(26, '0');
  for (int i = 25; i >= 0; --i) {
    out[i] = kAlphabet[static_cast<int>(v & 31)];
    v >>= 5;
  }
  return out;
}

uint64_t Ulid::TimeMs() const {
  uint64_t t = 0;
  for (int i = 0; i < 6; ++i) t = (t << 8) | bytes_[i];
  return t;
}

UlidGenerator::UlidGenerator() : rng_(std::random_device{}()) {}
UlidGenerator::UlidGenerator(uint64_t seed) : rng_(seed) {}

Ulid UlidGenerator::Next(uint64_t time_ms) {
  std::lock_guard<std::mutex> lock(mu_);
  Ulid next;
  if (last_.TimeMs() >= time_ms && last_ != Ulid()) {
    // Same (or an earlier) millisecond: one more than the last, keeping the order strict.
    next = Ulid(FromInt(ToInt(last_.bytes()) + 1));
  } else {
    std::array<uint8_t, 10> entropy;
    uint64_t a = rng_(), b = rng_();
    for (int i = 0; i < 8; ++i) entropy[i] = static_cast<uint8_t>(a >> (8 * i));
    entropy[8] = static_cast<uint8_t>(b);
    entropy[9] = static_cast<uint8_t>(b >> 8);
    next = Ulid::FromParts(time_ms, entropy);
  }
  last_ = next;
  return next;
}

}  // namespace argus
