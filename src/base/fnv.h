// FNV-1a, 64 bits (Go's hash/fnv New64a): how Prometheus spreads scrape offsets, so Argus's
// targets get the same phases.
#pragma once

#include <cstdint>

#include "absl/strings/string_view.h"

namespace argus {

inline uint64_t Fnv1a64(absl::string_view s) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace argus
