// A synthetic fleet of node exporters, shared by the benchmark data generators (wal_gen,
// openmetrics_gen) so that WAL replay, block size and head memory are measured on the same
// series and values.
//
// Series i belongs to instance i / 1000 (1000 series per target, one scrape = 1000 samples) and
// carries the labels __name__, cpu, instance, job and mode with node_exporter-like lengths.
// Within an instance, local = i % 1000 picks one of 125 metric names (local % 125) and one of 8
// cpu/mode combinations (local / 125). Names whose field index (name % 10) is 0 or 1 are gauges
// (a fifth of the series: constant sizes and fluctuating byte counts); the others are
// counters: cpu-seconds in 1/100 s ticks (as /proc/stat reports them), byte and packet
// counters, and error counters that rarely move. Values are deterministic functions of
// (series, round), so every generator produces the same numbers.
//
// Scrapes are 15 s apart; instance k scrapes at offset (k * 7919) % 15000 ms into the interval
// plus 0-4 ms of jitter, so timestamps of one series increase by 15 s +- a few ms.
#pragma once

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "model/labels/labels.h"

namespace argus::bench {

inline constexpr int kSeriesPerInstance = 1000;
inline constexpr int kNamesPerInstance = 125;
inline constexpr int64_t kScrapeIntervalMs = 15000;

// A 64-bit mix (splitmix64's finalizer): cheap, deterministic pseudo-random numbers.
inline uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

inline int NameIndex(uint64_t i) { return static_cast<int>(i % kSeriesPerInstance % 125); }
inline int Field(uint64_t i) { return NameIndex(i) % 10; }
inline bool IsGauge(uint64_t i) { return Field(i) < 2; }

// The metric family (without the _total suffix of counters) of name index `name` (0..124).
inline std::string FamilyName(int name) {
  static constexpr absl::string_view kSubsystems[] = {
      "cpu",    "disk",    "filesystem", "memory",      "network",   "netstat_Tcp",
      "vmstat", "softnet", "schedstat",  "pressure_io", "interrupts"};
  static constexpr absl::string_view kFields[] = {
      "size_bytes",      "available_bytes",  "seconds",       "read_bytes",   "written_bytes",
      "receive_packets", "transmit_packets", "guest_seconds", "receive_errs", "transmit_drop"};
  const int sub = name / 10;
  return absl::StrCat("node_", kSubsystems[sub % 11], sub >= 11 ? "_ext" : "", "_",
                      kFields[name % 10]);
}

// The sample name of series i: the family, plus _total for counters.
inline std::string MetricName(uint64_t i) {
  return absl::StrCat(FamilyName(NameIndex(i)), IsGauge(i) ? "" : "_total");
}

inline std::string Instance(uint64_t i) {
  const uint64_t k = i / kSeriesPerInstance;
  return absl::StrCat("ip-10-1-", k / 250, "-", k % 250, ".eu-west-1.compute.internal:9100");
}

inline labels::Labels SeriesLabels(uint64_t i) {
  static constexpr absl::string_view kModes[] = {"idle",    "iowait", "irq",    "nice",
                                                 "softirq", "steal",  "system", "user"};
  const int local = static_cast<int>(i % kSeriesPerInstance);
  const int combo = local / kNamesPerInstance;  // 0..7: distinct (cpu, mode) per name
  const int name = local % kNamesPerInstance;
  // Sorted by name already: __name__ < cpu < instance < job < mode.
  return labels::Labels::FromSorted({{std::string(labels::kMetricName), MetricName(i)},
                                     {"cpu", absl::StrCat(combo % 4)},
                                     {"instance", Instance(i)},
                                     {"job", "node-exporter"},
                                     {"mode", std::string(kModes[(combo / 4 + name) % 8])}});
}

// Timestamp of scrape `round` of series i, given the first round's interval start `t0`.
inline int64_t SampleTime(uint64_t i, int round, int64_t t0) {
  const uint64_t k = i / kSeriesPerInstance;
  return t0 + round * kScrapeIntervalMs + static_cast<int64_t>((k * 7919) % kScrapeIntervalMs) +
         static_cast<int64_t>(Mix(k * 1000003 + static_cast<uint64_t>(round)) % 5);
}

// The integer state behind series i's value (ticks, bytes, packets); round 0 starts it.
inline int64_t NextState(uint64_t i, int round, int64_t prev) {
  const uint64_t r = Mix(i * 0x100000001b3ull + static_cast<uint64_t>(round));
  switch (Field(i)) {
    case 0:  // constant size
      return round == 0 ? static_cast<int64_t>(4096 * (1 + i % 4000000)) : prev;
    case 1:  // fluctuating available bytes, 4 KiB pages
      return round == 0 ? static_cast<int64_t>(4096 * (1000000 + i % 3000000))
                        : prev + 4096 * (static_cast<int64_t>(r % 257) - 128);
    case 2:
    case 7:  // cpu seconds in 1/100 s ticks: up to 15 s per 15 s interval
      return round == 0 ? static_cast<int64_t>(r % 100000000)
                        : prev + static_cast<int64_t>(r % 1501);
    case 3:
    case 4:  // bytes
      return round == 0 ? static_cast<int64_t>(r % (1ull << 40))
                        : prev + static_cast<int64_t>(r % 2000000);
    case 5:
    case 6:  // packets
      return round == 0 ? static_cast<int64_t>(r % 1000000000)
                        : prev + static_cast<int64_t>(r % 3000);
    default:  // errors and drops: mostly flat
      return round == 0 ? static_cast<int64_t>(r % 100) : prev + (r % 20 == 0 ? 1 : 0);
  }
}

inline double Value(uint64_t i, int64_t state) {
  const int f = Field(i);
  return f == 2 || f == 7 ? static_cast<double>(state) / 100.0 : static_cast<double>(state);
}

}  // namespace argus::bench
