#include "util/openmetrics_gen.h"

#include <cmath>
#include <random>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace argus::testing {

std::string GenerateOpenMetrics(uint64_t seed, int series, int samples) {
  std::mt19937_64 rng(seed);
  std::string out;
  const int64_t start_ms = 1700000000000;
  for (int s = 0; s < series; ++s) {
    const int shape = s % 6;
    const std::string name = absl::StrCat("argus_gen_", shape, "_metric");
    absl::StrAppend(&out, "# TYPE ", name, " gauge\n");
    int64_t t = start_ms + static_cast<int64_t>(rng() % 15000);
    double v = static_cast<double>(rng() % 1000);
    for (int i = 0; i < samples; ++i) {
      switch (shape) {
        case 0:  // counter with occasional resets
          v = (rng() % 97 == 0) ? 0 : v + static_cast<double>(rng() % 100);
          t += 15000;
          break;
        case 1:  // random gauge with jittered interval
          v = static_cast<double>(static_cast<int64_t>(rng() % 2000000) - 1000000) / 1000.0;
          t += 14000 + static_cast<int64_t>(rng() % 2000);
          break;
        case 2:  // constant
          t += 30000;
          break;
        case 3:  // tiny fractions and huge magnitudes
          v = std::ldexp(static_cast<double>(rng() % 1000 + 1),
                         static_cast<int>(rng() % 200) - 100);
          t += 1000 + static_cast<int64_t>(rng() % 60000);
          break;
        case 4:  // sparse with big jumps
          v += 0.25;
          t += (rng() % 10 == 0) ? 3600000 + static_cast<int64_t>(rng() % 100000) : 10000;
          break;
        default:  // integer-valued with NaN now and then
          v = (rng() % 50 == 0) ? std::nan("") : static_cast<double>(rng() % 10);
          t += 15000;
      }
      std::string value = std::isnan(v) ? "NaN" : absl::StrCat(v);
      // OpenMetrics timestamps are seconds; keep millisecond precision.
      absl::StrAppend(&out, name, "{instance=\"host-", s, ":9100\",job=\"node\"} ", value, " ",
                      t / 1000, ".", absl::StrFormat("%03d", t % 1000), "\n");
    }
  }
  out += "# EOF\n";
  return out;
}

}  // namespace argus::testing
