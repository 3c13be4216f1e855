// Writes an OpenMetrics text file for the block size benchmark: SERIES node_exporter-like
// series (the fleet of node_fleet.h, the same series and values wal_gen writes) scraped every
// 15 s for HOURS hours ending at END_MS (default: the last 2 h boundary before now, so blocks
// cover whole 2 h ranges). Families are grouped (one "# TYPE" line each, counters as
// family + _total), each series' samples follow each other in time order, timestamps are in
// seconds with millisecond precision and values are printed in their shortest round-trip form,
// as `promtool tsdb create-blocks-from openmetrics` expects. Ends with "# EOF".
//
// Usage: openmetrics_gen OUT_FILE [SERIES=2000] [HOURS=4] [END_MS]
// Prints the series and samples written. Exit code 1 when the file cannot be written.
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <system_error>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "bench/node_fleet.h"

namespace {

void AppendDouble(double v, std::string* out) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf), v);
  if (ec == std::errc()) out->append(buf, end);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 5) {
    std::fprintf(stderr, "usage: openmetrics_gen OUT_FILE [SERIES=2000] [HOURS=4] [END_MS]\n");
    return 2;
  }
  using argus::bench::kSeriesPerInstance;
  const uint64_t n = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 2000;
  const double hours = argc > 3 ? std::atof(argv[3]) : 4;
  constexpr int64_t kTwoHours = 2 * 3600 * 1000;
  const int64_t end = argc > 4 ? std::strtoll(argv[4], nullptr, 10)
                               : absl::ToUnixMillis(absl::Now()) / kTwoHours * kTwoHours;
  const int rounds = static_cast<int>(hours * 3600 * 1000 / argus::bench::kScrapeIntervalMs);
  const int64_t t0 = end - static_cast<int64_t>(rounds) * argus::bench::kScrapeIntervalMs;
  std::FILE* f = std::fopen(argv[1], "w");
  if (f == nullptr) {
    std::perror(argv[1]);
    return 1;
  }
  uint64_t samples = 0;
  std::string buf;
  const uint64_t instances = (n + kSeriesPerInstance - 1) / kSeriesPerInstance;
  for (int name = 0; name < argus::bench::kNamesPerInstance; ++name) {
    bool typed = false;
    for (uint64_t k = 0; k < instances; ++k) {
      for (int combo = 0; combo < kSeriesPerInstance / argus::bench::kNamesPerInstance; ++combo) {
        const uint64_t i = k * kSeriesPerInstance + combo * argus::bench::kNamesPerInstance + name;
        if (i >= n) continue;
        if (!typed) {
          absl::StrAppend(&buf, "# TYPE ", argus::bench::FamilyName(name), " ",
                          argus::bench::IsGauge(i) ? "gauge" : "counter", "\n");
          typed = true;
        }
        // The series part of the line: name{labels}, labels other than __name__ in order.
        const argus::labels::Labels ls = argus::bench::SeriesLabels(i);
        std::string prefix = std::string(ls.Get(argus::labels::kMetricName)) + "{";
        bool first = true;
        for (const argus::labels::Label& l : ls) {
          if (l.name == argus::labels::kMetricName) continue;
          absl::StrAppend(&prefix, first ? "" : ",", l.name, "=\"", l.value, "\"");
          first = false;
        }
        prefix += "} ";
        int64_t state = 0;
        for (int r = 0; r < rounds; ++r) {
          state = argus::bench::NextState(i, r, state);
          const int64_t t = argus::bench::SampleTime(i, r, t0);
          buf += prefix;
          AppendDouble(argus::bench::Value(i, state), &buf);
          absl::StrAppend(&buf, " ", t / 1000, ".", absl::Dec(t % 1000, absl::kZeroPad3), "\n");
          ++samples;
        }
        if (buf.size() > (1 << 20)) {
          if (std::fwrite(buf.data(), 1, buf.size(), f) != buf.size()) {
            std::perror(argv[1]);
            return 1;
          }
          buf.clear();
        }
      }
    }
  }
  buf += "# EOF\n";
  if (std::fwrite(buf.data(), 1, buf.size(), f) != buf.size() || std::fclose(f) != 0) {
    std::perror(argv[1]);
    return 1;
  }
  std::printf("openmetrics_gen: file=%s series=%llu samples=%llu start_ms=%lld end_ms=%lld\n",
              argv[1], static_cast<unsigned long long>(n), static_cast<unsigned long long>(samples),
              static_cast<long long>(t0), static_cast<long long>(end));
  return 0;
}
