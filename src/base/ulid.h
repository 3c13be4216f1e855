// ULIDs name TSDB blocks: 48-bit millisecond timestamp + 80 random bits, written as 26 Crockford
// base32 characters, so the string order is the time order (oklog/ulid, which Prometheus uses).
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <mutex>
#include <random>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace argus {

class Ulid {
 public:
  Ulid() = default;  // the zero ULID "00000000000000000000000000"
  explicit Ulid(const std::array<uint8_t, 16>& bytes) : bytes_(bytes) {}

  // Builds a ULID from a timestamp (ms since the epoch, < 2^48) and 10 bytes of entropy.
  static Ulid FromParts(uint64_t time_ms, const std::array<uint8_t, 10>& entropy);

  // Parses the 26-character form, case-insensitively. Errors: InvalidArgument for a wrong
  // length, a character outside Crockford base32, or a value above 2^128 - 1.
  static absl::StatusOr<Ulid> Parse(absl::string_view text);

  std::string ToString() const;
  uint64_t TimeMs() const;
  const std::array<uint8_t, 16>& bytes() const { return bytes_; }

  friend auto operator<=>(const Ulid&, const Ulid&) = default;

 private:
  std::array<uint8_t, 16> bytes_{};
};

// Makes ULIDs that strictly increase even within one millisecond (the entropy is incremented,
// as oklog/ulid's monotonic reader does). Thread-safe.
class UlidGenerator {
 public:
  UlidGenerator();
  explicit UlidGenerator(uint64_t seed);  // deterministic, for tests

  Ulid Next(uint64_t time_ms);

 private:
  std::mutex mu_;
  std::mt19937_64 rng_ ABSL_GUARDED_BY(mu_);
  Ulid last_ ABSL_GUARDED_BY(mu_);
};

}  // namespace argus
