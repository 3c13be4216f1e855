// Special sample values of the data model (Prometheus's model/value).
#pragma once

#include <bit>
#include <cstdint>

namespace argus::model {

// The NaN that marks a series as stale: written when a series disappears from its target, and
// told apart from every other NaN by its exact bits.
inline constexpr uint64_t kStaleNaNBits = 0x7ff0000000000002;
inline double StaleNaN() { return std::bit_cast<double>(kStaleNaNBits); }
inline bool IsStaleNaN(double v) { return std::bit_cast<uint64_t>(v) == kStaleNaNBits; }

}  // namespace argus::model
