// Deterministic OpenMetrics data for the PromQL differential test and the query benchmark:
// per "instance" a fixed set of families of varied shapes, so the series count scales with the
// instance count (kSeriesPerInstance each, plus a few global series).
//
// Families (labels besides instance/job in parentheses):
//  - demo_requests_total        counter (method, code): jittered 15 s scrapes, rare resets
//  - demo_cpu_seconds_total     counter (cpu, mode): fractional increments, one reset early on
//  - demo_temperature_celsius   gauge (sensor): 30 s random walk around 0, negative values
//  - demo_memory_bytes          gauge (type): 1e10..1e15
//  - demo_ratio                 gauge: tiny values, 1e-9..1e-6
//  - demo_request_duration_seconds  classic histogram (handler): 12 buckets, _sum, _count
//  - demo_up                    gauge: 0/1 with down periods
//  - demo_build_info            gauge (version): constant 1, for group_left joins
//  - demo_sparse                gauge: irregular intervals 1 s..10 min, and a gap of 30 min
//                               (kSparseGapStart..kSparseGapEnd after the start) for even
//                               instances
//  - demo_partial               gauge: starts and ends somewhere inside the range
//  - demo_special               gauge: small integers with NaN, +Inf and -Inf now and then
// Global series: demo_label_test (path, env) for label_replace/label_join/regexes and
// demo_constant (value 42, 60 s).
#pragma once

#include <cstdint>
#include <ostream>

namespace argus::testing::promql_compat {

inline constexpr int kSeriesPerInstance = 50;
inline constexpr int64_t kSparseGapStartMs = 130 * 60 * 1000;  // 2h10m after the start
inline constexpr int64_t kSparseGapEndMs = 160 * 60 * 1000;    // 2h40m after the start

struct DataSpec {
  uint64_t seed = 1;
  int64_t start_ms = 0;         // the first scrape round
  int64_t duration_ms = 0;      // scrape rounds cover [start_ms, start_ms + duration_ms]
  int64_t interval_ms = 15000;  // base scrape interval (some families use 2x or 4x)
  int instances = 8;
};

// Writes the data as OpenMetrics text (families contiguous, each series in time order,
// timestamps in seconds with millisecond decimals, "# EOF" at the end), as
// `promtool tsdb create-blocks-from openmetrics` reads it. Returns the number of samples.
uint64_t WriteOpenMetrics(const DataSpec& spec, std::ostream& out);

}  // namespace argus::testing::promql_compat
