#include "promql_compat/data_gen.h"

#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <string>
#include <system_error>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace argus::testing::promql_compat {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

// A series' own generator: the same values whatever else is generated.
std::mt19937_64 SeriesRng(uint64_t seed, uint64_t family, uint64_t instance, uint64_t sub) {
  std::seed_seq seq{seed, family, instance, sub};
  return std::mt19937_64(seq);
}

class Emitter {
 public:
  explicit Emitter(std::ostream& out) : out_(out) {}

  void Type(const std::string& family, const char* type) {
    out_ << "# TYPE " << family << " " << type << "\n";
  }
  void Sample(const std::string& series, double v, int64_t t_ms) {
    line_.clear();
    absl::StrAppend(&line_, series, " ");
    if (std::isnan(v)) {
      line_ += "NaN";
    } else if (std::isinf(v)) {
      line_ += v > 0 ? "+Inf" : "-Inf";
    } else {
      char buf[64];
      auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
      line_.append(buf, ec == std::errc() ? end : buf);
    }
    absl::StrAppend(&line_, " ", t_ms / 1000, ".", absl::StrFormat("%03d", t_ms % 1000), "\n");
    out_ << line_;
    ++samples_;
  }
  uint64_t samples() const { return samples_; }

 private:
  std::ostream& out_;
  std::string line_;
  uint64_t samples_ = 0;
};

struct Instance {
  int index;
  std::string labels;  // instance="...",job="..."
  int64_t phase_ms;    // offset of its scrape rounds from the start
};

// Calls `fn(t_ms, step)` for every scrape round of period `every_ms` (with up to +-`jitter_ms`
// of jitter) that falls inside the spec's range.
void Rounds(const DataSpec& spec, const Instance& in, int64_t every_ms, int64_t jitter_ms,
            std::mt19937_64& rng, const std::function<void(int64_t, int)>& fn) {
  const int64_t end = spec.start_ms + spec.duration_ms;
  for (int step = 0;; ++step) {
    int64_t t = spec.start_ms + in.phase_ms + step * every_ms;
    if (jitter_ms > 0) t += static_cast<int64_t>(rng() % (2 * jitter_ms + 1)) - jitter_ms;
    if (t > end) break;
    fn(std::max(t, spec.start_ms), step);
  }
}

double Unit(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1p-53; }

void Requests(const DataSpec& spec, const std::vector<Instance>& ins, Emitter& e) {
  e.Type("demo_requests", "counter");
  const char* methods[] = {"GET", "POST"};
  const int codes[] = {200, 404, 500};
  for (const Instance& in : ins) {
    for (int m = 0; m < 2; ++m) {
      for (int c = 0; c < 3; ++c) {
        auto rng = SeriesRng(spec.seed, 1, in.index, m * 3 + c);
        const std::string series = absl::StrCat("demo_requests_total{code=\"", codes[c], "\",",
                                                in.labels, ",method=\"", methods[m], "\"}");
        const uint64_t max_inc[] = {60, 6, 2};
        double v = static_cast<double>(rng() % 1000);
        Rounds(spec, in, spec.interval_ms, 400, rng, [&](int64_t t, int) {
          v = rng() % 400 == 0 ? 0 : v + static_cast<double>(rng() % (max_inc[c] * (m + 1)));
          e.Sample(series, v, t);
        });
      }
    }
  }
}

void Cpu(const DataSpec& spec, const std::vector<Instance>& ins, Emitter& e) {
  e.Type("demo_cpu_seconds", "counter");
  const char* modes[] = {"idle", "system", "user"};
  for (const Instance& in : ins) {
    for (int cpu = 0; cpu < 2; ++cpu) {
      for (int mode = 0; mode < 3; ++mode) {
        auto rng = SeriesRng(spec.seed, 2, in.index, cpu * 3 + mode);
        const std::string series = absl::StrCat("demo_cpu_seconds_total{cpu=\"", cpu, "\",",
                                                in.labels, ",mode=\"", modes[mode], "\"}");
        double v = Unit(rng) * 1e5;
        const int reset_step = 37 + in.index % 50;
        Rounds(spec, in, spec.interval_ms, 0, rng, [&](int64_t t, int step) {
          v = step == reset_step ? Unit(rng) : v + Unit(rng) * (mode == 0 ? 15 : 3);
          e.Sample(series, v, t);
        });
      }
    }
  }
}

void Temperature(const DataSpec& spec, const std::vector<Instance>& ins, Emitter& e) {
  e.Type("demo_temperature_celsius", "gauge");
  for (const Instance& in : ins) {
    for (const char* sensor : {"a", "b"}) {
      auto rng = SeriesRng(spec.seed, 3, in.index, sensor[0]);
      const std::string series =
          absl::StrCat("demo_temperature_celsius{", in.labels, ",sensor=\"", sensor, "\"}");
      double v = static_cast<double>(static_cast<int64_t>(rng() % 4001) - 2000) / 100;
      Rounds(spec, in, 2 * spec.interval_ms, 0, rng, [&](int64_t t, int) {
        v += static_cast<double>(static_cast<int64_t>(rng() % 201) - 100) / 100;
        e.Sample(series, v, t);
      });
    }
  }
}

void Memory(const DataSpec& spec, const std::vector<Instance>& ins, Emitter& e) {
  e.Type("demo_memory_bytes", "gauge");
  for (const Instance& in : ins) {
    for (const char* type : {"free", "used"}) {
      auto rng = SeriesRng(spec.seed, 4, in.index, type[0]);
      const std::string series =
          absl::StrCat("demo_memory_bytes{", in.labels, ",type=\"", type, "\"}");
      Rounds(spec, in, spec.interval_ms, 0, rng, [&](int64_t t, int) {
        e.Sample(series, static_cast<double>(rng() % 1000000 + 1) * 1e9, t);
      });
    }
  }
}

void Ratio(const DataSpec& spec, const std::vector<Instance>& ins, Emitter& e) {
  e.Type("demo_ratio", "gauge");
  for (const Instance& in : ins) {
    auto rng = SeriesRng(spec.seed, 5, in.index, 0);
    const std::string series = absl::StrCat("demo_ratio{", in.labels, "}");
    Rounds(spec, in, spec.interval_ms, 0, rng, [&](int64_t t, int) {
      e.Sample(series, static_cast<double>(rng() % 1000 + 1) * 1e-9, t);
    });
  }
}

void Durations(const DataSpec& spec, const std::vector<Instance>& ins, Emitter& e) {
  const std::string family = "demo_request_duration_seconds";
  e.Type(family, "histogram");
  const double bounds[] = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, kInf};
  const char* les[] = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25",
                       "0.5",   "1",    "2.5",   "5",    "10",  "+Inf"};
  constexpr int kBuckets = 12;
  for (const Instance& in : ins) {
    for (const char* handler : {"/api/query", "/api/write"}) {
      auto rng = SeriesRng(spec.seed, 6, in.index, handler[5]);
      const std::string labels = absl::StrCat("handler=\"", handler, "\",", in.labels);
      double counts[kBuckets] = {}, sum = 0;
      // The slow handler's observations are spread over a wider range.
      const double scale = handler[5] == 'q' ? 9 : 6;
      Rounds(spec, in, spec.interval_ms, 300, rng, [&](int64_t t, int) {
        if (rng() % 600 == 0) {
          std::fill(std::begin(counts), std::end(counts), 0);
          sum = 0;
        }
        const int n = static_cast<int>(rng() % 40);
        for (int k = 0; k < n; ++k) {
          const double d = 0.001 * std::exp(Unit(rng) * scale);
          sum += d;
          for (int b = 0; b < kBuckets; ++b) counts[b] += d <= bounds[b];
        }
        for (int b = 0; b < kBuckets; ++b) {
          e.Sample(absl::StrCat(family, "_bucket{", labels, ",le=\"", les[b], "\"}"), counts[b], t);
        }
        e.Sample(absl::StrCat(family, "_sum{", labels, "}"), sum, t);
        e.Sample(absl::StrCat(family, "_count{", labels, "}"), counts[kBuckets - 1], t);
      });
    }
  }
}

void Up(const DataSpec& spec, const std::vector<Instance>& ins, Emitter& e) {
  e.Type("demo_up", "gauge");
  for (const Instance& in : ins) {
    auto rng = SeriesRng(spec.seed, 7, in.index, 0);
    const std::string series = absl::StrCat("demo_up{", in.labels, "}");
    bool up = true;
    Rounds(spec, in, spec.interval_ms, 0, rng, [&](int64_t t, int) {
      up = up ? rng() % 150 != 0 : rng() % 8 == 0;
      e.Sample(series, up ? 1 : 0, t);
    });
  }
}

void BuildInfo(const DataSpec& spec, const std::vector<Instance>& ins, Emitter& e) {
  e.Type("demo_build_info", "gauge");
  for (const Instance& in : ins) {
    auto rng = SeriesRng(spec.seed, 8, in.index, 0);
    const std::string series =
        absl::StrCat("demo_build_info{", in.labels, ",version=\"v1.", in.index % 3, ".0\"}");
    Rounds(spec, in, 4 * spec.interval_ms, 0, rng, [&](int64_t t, int) { e.Sample(series, 1, t); });
  }
}

void Sparse(const DataSpec& spec, const std::vector<Instance>& ins, Emitter& e) {
  e.Type("demo_sparse", "gauge");
  for (const Instance& in : ins) {
    auto rng = SeriesRng(spec.seed, 9, in.index, 0);
    const std::string series = absl::StrCat("demo_sparse{", in.labels, "}");
    const bool gap = in.index % 2 == 0;
    for (int64_t t = spec.start_ms + in.phase_ms; t <= spec.start_ms + spec.duration_ms;
         t += 1000 + static_cast<int64_t>(rng() % 600000)) {
      const int64_t since = t - spec.start_ms;
      if (gap && since >= kSparseGapStartMs && since < kSparseGapEndMs) continue;
      e.Sample(series, static_cast<double>(rng() % 101), t);
    }
  }
}

void Partial(const DataSpec& spec, const std::vector<Instance>& ins, Emitter& e) {
  e.Type("demo_partial", "gauge");
  for (const Instance& in : ins) {
    auto rng = SeriesRng(spec.seed, 10, in.index, 0);
    const std::string series = absl::StrCat("demo_partial{", in.labels, "}");
    const int64_t from = spec.start_ms + spec.duration_ms * static_cast<int64_t>(rng() % 40) / 100;
    const int64_t to =
        spec.start_ms + spec.duration_ms * static_cast<int64_t>(60 + rng() % 40) / 100;
    double v = 100;
    Rounds(spec, in, spec.interval_ms, 0, rng, [&](int64_t t, int) {
      v += static_cast<double>(static_cast<int64_t>(rng() % 21) - 10);
      if (t >= from && t <= to) e.Sample(series, v, t);
    });
  }
}

void Special(const DataSpec& spec, const std::vector<Instance>& ins, Emitter& e) {
  e.Type("demo_special", "gauge");
  for (const Instance& in : ins) {
    auto rng = SeriesRng(spec.seed, 11, in.index, 0);
    const std::string series = absl::StrCat("demo_special{", in.labels, "}");
    Rounds(spec, in, spec.interval_ms, 0, rng, [&](int64_t t, int) {
      const uint64_t r = rng() % 100;
      const double v = r < 3   ? std::nan("")
                       : r < 5 ? kInf
                       : r < 7 ? -kInf
                               : static_cast<double>(r % 10);
      e.Sample(series, v, t);
    });
  }
}

void Globals(const DataSpec& spec, Emitter& e) {
  const Instance global{-1, "", 0};
  e.Type("demo_label_test", "gauge");
  const char* const sets[][2] = {{"prod", "/api/v1/query"},
                                 {"prod", "/api/v1/query_range"},
                                 {"dev", "/api/v1/query"},
                                 {"dev", "/-/healthy"}};
  int k = 0;
  for (const auto& set : sets) {
    auto rng = SeriesRng(spec.seed, 12, 0, k++);
    const std::string series =
        absl::StrCat("demo_label_test{env=\"", set[0], "\",path=\"", set[1], "\"}");
    Rounds(spec, global, 4 * spec.interval_ms, 0, rng,
           [&](int64_t t, int) { e.Sample(series, static_cast<double>(rng() % 1000) / 10, t); });
  }
  e.Type("demo_constant", "gauge");
  std::mt19937_64 unused;
  Rounds(spec, global, 4 * spec.interval_ms, 0, unused,
         [&](int64_t t, int) { e.Sample("demo_constant", 42, t); });
}

}  // namespace

uint64_t WriteOpenMetrics(const DataSpec& spec, std::ostream& out) {
  std::vector<Instance> ins;
  for (int i = 0; i < spec.instances; ++i) {
    auto rng = SeriesRng(spec.seed, 0, i, 0);
    ins.push_back(Instance{
        i, absl::StrCat("instance=\"host-", i, ":9100\",job=\"", i % 2 == 0 ? "api" : "web", "\""),
        static_cast<int64_t>(rng() % spec.interval_ms)});
  }
  Emitter e(out);
  for (auto* family : {Requests, Cpu, Temperature, Memory, Ratio, Durations, Up, BuildInfo, Sparse,
                       Partial, Special}) {
    family(spec, ins, e);
  }
  Globals(spec, e);
  out << "# EOF\n";
  return e.samples();
}

}  // namespace argus::testing::promql_compat
