// Synthetic OpenMetrics input for the block compatibility tests.
#pragma once

#include <cstdint>
#include <string>

namespace argus::testing {

// OpenMetrics text with series of several shapes: regular scrapes, jittered scrapes, counters
// with resets, random gauges, constant series, NaN gaps, large timestamp jumps, odd values.
// Timestamps start at 1700000000000 ms; every line has one. Ends with "# EOF".
std::string GenerateOpenMetrics(uint64_t seed, int series, int samples);

}  // namespace argus::testing
