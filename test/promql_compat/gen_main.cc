// Writes the PromQL compatibility data set (data_gen.h) to a file, at any size, for
// bench/compare_query.sh.
//
// Usage: promql_compat_gen OUT_FILE SERIES HOURS [INTERVAL_S=15] [END_MS] [SEED=1]
// SERIES is rounded up to whole instances (data_gen.h's kSeriesPerInstance series each); the
// data ends at END_MS (default: the last 2 h boundary before now) and starts HOURS before.
// Prints the series and samples written; exit code 1 when the file cannot be written.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "promql_compat/data_gen.h"

int main(int argc, char** argv) {
  using argus::testing::promql_compat::kSeriesPerInstance;
  if (argc < 4 || argc > 7) {
    std::fprintf(stderr,
                 "usage: promql_compat_gen OUT_FILE SERIES HOURS [INTERVAL_S=15] [END_MS] "
                 "[SEED=1]\n");
    return 2;
  }
  const int64_t series = std::strtoll(argv[2], nullptr, 10);
  const double hours = std::atof(argv[3]);
  constexpr int64_t kTwoHours = 2 * 3600 * 1000;
  argus::testing::promql_compat::DataSpec spec;
  spec.interval_ms = argc > 4 ? std::strtoll(argv[4], nullptr, 10) * 1000 : 15000;
  const int64_t end = argc > 5 ? std::strtoll(argv[5], nullptr, 10)
                               : absl::ToUnixMillis(absl::Now()) / kTwoHours * kTwoHours;
  spec.seed = argc > 6 ? std::strtoull(argv[6], nullptr, 10) : 1;
  spec.duration_ms = static_cast<int64_t>(hours * 3600 * 1000);
  spec.start_ms = end - spec.duration_ms;
  spec.instances = static_cast<int>((series + kSeriesPerInstance - 1) / kSeriesPerInstance);
  if (series <= 0 || spec.duration_ms <= 0 || spec.interval_ms <= 0) {
    std::fprintf(stderr, "SERIES, HOURS and INTERVAL_S must be positive\n");
    return 2;
  }
  std::vector<char> buffer(1 << 20);
  std::ofstream out;
  out.rdbuf()->pubsetbuf(buffer.data(), static_cast<std::streamsize>(buffer.size()));
  out.open(argv[1]);
  const uint64_t samples = argus::testing::promql_compat::WriteOpenMetrics(spec, out);
  out.close();
  if (!out) {
    std::perror(argv[1]);
    return 1;
  }
  std::printf("series %lld samples %llu start_ms %lld end_ms %lld\n",
              static_cast<long long>(spec.instances) * kSeriesPerInstance + 5,
              static_cast<unsigned long long>(samples), static_cast<long long>(spec.start_ms),
              static_cast<long long>(end));
  return 0;
}
