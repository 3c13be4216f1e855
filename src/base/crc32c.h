// CRC32-Castagnoli, the checksum of every Prometheus index section, chunk, WAL record and remote
// read frame. Uses the SSE4.2 crc32 instruction when the CPU has it, a slicing-by-8 table
// otherwise; both give identical results. Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>

#include "absl/strings/string_view.h"

namespace argus {

// Continues a finished checksum `crc` over more bytes: Crc32cExtend(Crc32c(a), b) ==
// Crc32c(a + b). Matches Go's crc32.Update with the Castagnoli table.
uint32_t Crc32cExtend(uint32_t crc, const void* data, size_t n);

inline uint32_t Crc32c(absl::string_view data) { return Crc32cExtend(0, data.data(), data.size()); }

// True when the hardware instruction is in use (reported by benchmarks).
bool Crc32cIsHardwareAccelerated();

namespace internal {
// The table-driven path alone, so tests can check that both paths agree.
uint32_t Crc32cExtendPortable(uint32_t crc, const void* data, size_t n);
}  // namespace internal

}  // namespace argus
