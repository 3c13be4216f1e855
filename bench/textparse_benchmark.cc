// Exposition text parsing throughput (model/textparse) on a node_exporter-like body: about
// 1,800 lines of HELP/TYPE metadata, unlabelled gauges and counters, per-CPU, per-device and
// per-filesystem series, a summary and histograms, values in Go's shortest %g form as
// client_golang writes them. ARGUS_TEXTPARSE_BENCH_FILE=<path> adds runs over a captured body
// (e.g. `curl -s localhost:9100/metrics > node.txt`).
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/go_strconv.h"
#include "benchmark/benchmark.h"
#include "model/textparse/openmetricsparse.h"
#include "model/textparse/promparse.h"

namespace argus::textparse {
namespace {

class BodyWriter {
 public:
  std::string body;

  void Family(absl::string_view name, absl::string_view type, absl::string_view help) {
    absl::StrAppend(&body, "# HELP ", name, " ", help, "\n# TYPE ", name, " ", type, "\n");
  }
  void Sample(absl::string_view series, double v) {
    absl::StrAppend(&body, series, " ", GoFormatG(v), "\n");
  }
  double Counter() { return std::floor(std::uniform_real_distribution<>(0, 5e9)(rng_)); }
  // CPU and disk times: centiseconds, as /proc reports them.
  double Seconds() { return std::floor(std::uniform_real_distribution<>(0, 2e8)(rng_)) / 100; }
  // Scrape durations: nanosecond resolution.
  double Small() { return std::floor(std::uniform_real_distribution<>(0, 1e7)(rng_)) / 1e9; }

 private:
  std::mt19937_64 rng_{42};
};

std::string NodeExporterLikeBody() {
  BodyWriter w;
  w.Family("go_gc_duration_seconds", "summary", "A summary of the pause duration of GC cycles.");
  for (const char* q : {"0", "0.25", "0.5", "0.75", "1"}) {
    w.Sample(absl::StrCat("go_gc_duration_seconds{quantile=\"", q, "\"}"), w.Small() / 100);
  }
  w.Sample("go_gc_duration_seconds_sum", w.Small());
  w.Sample("go_gc_duration_seconds_count", 1234);
  const char* kModes[] = {"idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"};
  w.Family("node_cpu_seconds_total", "counter", "Seconds the CPUs spent in each mode.");
  for (int cpu = 0; cpu < 64; ++cpu) {
    for (const char* mode : kModes) {
      w.Sample(absl::StrCat("node_cpu_seconds_total{cpu=\"", cpu, "\",mode=\"", mode, "\"}"),
               w.Seconds());
    }
  }
  const char* kDisks[] = {"nvme0n1", "nvme1n1", "sda", "sdb", "dm-0", "dm-1", "loop0", "md0"};
  for (const char* m :
       {"reads_completed_total", "reads_merged_total", "read_bytes_total",
        "read_time_seconds_total", "writes_completed_total", "writes_merged_total",
        "written_bytes_total", "write_time_seconds_total", "io_now", "io_time_seconds_total",
        "io_time_weighted_seconds_total", "discards_completed_total", "discarded_sectors_total",
        "flush_requests_total"}) {
    const std::string name = absl::StrCat("node_disk_", m);
    w.Family(name, "counter", "Disk statistic from /proc/diskstats.");
    for (const char* d : kDisks) w.Sample(absl::StrCat(name, "{device=\"", d, "\"}"), w.Counter());
  }
  const char* kMounts[][3] = {{"/dev/nvme0n1p2", "ext4", "/"},
                              {"/dev/nvme0n1p1", "vfat", "/boot/efi"},
                              {"/dev/mapper/vg-home", "ext4", "/home"},
                              {"/dev/sda1", "xfs", "/var/lib/prometheus"},
                              {"tmpfs", "tmpfs", "/run"},
                              {"tmpfs", "tmpfs", "/run/lock"},
                              {"tmpfs", "tmpfs", "/run/user/1000"},
                              {"/dev/sdb1", "ext4", "/srv/backup"}};
  for (const char* m : {"avail_bytes", "device_error", "files", "files_free", "free_bytes",
                        "readonly", "size_bytes"}) {
    const std::string name = absl::StrCat("node_filesystem_", m);
    w.Family(name, "gauge", "Filesystem statistic.");
    for (const auto& fs : kMounts) {
      w.Sample(absl::StrCat(name, "{device=\"", fs[0], "\",fstype=\"", fs[1], "\",mountpoint=\"",
                            fs[2], "\"}"),
               w.Counter());
    }
  }
  const char* kNics[] = {"eth0", "eth1", "lo", "docker0", "wlan0", "veth1a2b3c4", "br-0f1e2d3c"};
  for (const char* dir : {"receive", "transmit"}) {
    for (const char* m : {"bytes", "compressed", "drop", "errs", "fifo", "frame", "multicast",
                          "packets", "carrier", "colls"}) {
      const std::string name = absl::StrCat("node_network_", dir, "_", m, "_total");
      w.Family(name, "counter", "Network device statistic.");
      for (const char* nic : kNics) {
        w.Sample(absl::StrCat(name, "{device=\"", nic, "\"}"), w.Counter());
      }
    }
  }
  for (int i = 0; i < 100; ++i) {
    const std::string name = absl::StrCat("node_memory_Stat", i, "_bytes");
    w.Family(name, "gauge", "Memory information field from /proc/meminfo.");
    w.Sample(name, w.Counter());
  }
  for (int i = 0; i < 150; ++i) {
    const std::string name = absl::StrCat("node_vmstat_field", i);
    w.Family(name, "untyped", "/proc/vmstat information field.");
    w.Sample(name, w.Counter());
  }
  w.Family("node_scrape_collector_duration_seconds", "gauge", "Duration of a collector scrape.");
  for (int i = 0; i < 45; ++i) {
    w.Sample(absl::StrCat("node_scrape_collector_duration_seconds{collector=\"collector", i, "\"}"),
             w.Small());
  }
  w.Family("node_hwmon_temp_celsius", "gauge", "Hardware monitor for temperature (input)");
  for (int chip = 0; chip < 6; ++chip) {
    for (int s = 0; s < 10; ++s) {
      w.Sample(absl::StrCat("node_hwmon_temp_celsius{chip=\"platform_coretemp_", chip,
                            "\",sensor=\"temp", s, "\"}"),
               40 + s * 0.5);
    }
  }
  const char* kLe[] = {"0.005", "0.01", "0.025", "0.05", "0.1", "0.25",
                       "0.5",   "1",    "2.5",   "5",    "10",  "+Inf"};
  w.Family("http_request_duration_seconds", "histogram", "Request latency.");
  for (const char* handler : {"/metrics", "/api/v1/query", "/api/v1/query_range", "/federate"}) {
    double cum = 0;
    for (const char* le : kLe) {
      cum += std::floor(w.Seconds() / 1000);
      w.Sample(absl::StrCat("http_request_duration_seconds_bucket{handler=\"", handler, "\",le=\"",
                            le, "\"}"),
               cum);
    }
    w.Sample(absl::StrCat("http_request_duration_seconds_sum{handler=\"", handler, "\"}"),
             w.Seconds());
    w.Sample(absl::StrCat("http_request_duration_seconds_count{handler=\"", handler, "\"}"), cum);
  }
  return w.body;
}

// The body as OpenMetrics: the same lines ("untyped" is "unknown" there) and "# EOF".
std::string AsOpenMetrics(std::string body) {
  for (size_t at; (at = body.find(" untyped\n")) != std::string::npos;) {
    body.replace(at, 9, " unknown\n");
  }
  return body + "# EOF\n";
}

int64_t CountLines(absl::string_view body) { return std::count(body.begin(), body.end(), '\n'); }

void SetRates(benchmark::State& state, absl::string_view body, int64_t samples) {
  const double lines = static_cast<double>(CountLines(body));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(body.size()));
  state.counters["lines/s"] =
      benchmark::Counter(state.iterations() * lines, benchmark::Counter::kIsRate);
  state.counters["samples/s"] =
      benchmark::Counter(static_cast<double>(samples), benchmark::Counter::kIsRate);
  state.counters["lines"] = lines;
}

// What a scrape does per line once its series cache is warm: Next + Series.
template <typename P>
void ParseSeries(benchmark::State& state, const std::string& body) {
  int64_t samples = 0;
  for (auto _ : state) {
    P p(body);
    for (;;) {
      absl::StatusOr<Entry> e = p.Next();
      if (!e.ok()) {
        state.SkipWithError(std::string(e.status().message()).c_str());
        return;
      }
      if (*e == Entry::kEOF) break;
      if (*e == Entry::kSeries) {
        benchmark::DoNotOptimize(p.Series());
        ++samples;
      }
    }
  }
  SetRates(state, body, samples);
}

// A cold cache: every series' labels are built too.
template <typename P>
void ParseWithLabels(benchmark::State& state, const std::string& body) {
  int64_t samples = 0;
  for (auto _ : state) {
    P p(body);
    for (;;) {
      absl::StatusOr<Entry> e = p.Next();
      if (!e.ok()) {
        state.SkipWithError(std::string(e.status().message()).c_str());
        return;
      }
      if (*e == Entry::kEOF) break;
      if (*e == Entry::kSeries) {
        benchmark::DoNotOptimize(p.Series());
        benchmark::DoNotOptimize(p.Metric());
        ++samples;
      }
    }
  }
  SetRates(state, body, samples);
}

const std::string& Body() {
  static const std::string* body = new std::string(NodeExporterLikeBody());
  return *body;
}
const std::string& OpenMetricsBody() {
  static const std::string* body = new std::string(AsOpenMetrics(Body()));
  return *body;
}

void BM_PromParseSeries(benchmark::State& state) { ParseSeries<PromParser>(state, Body()); }
BENCHMARK(BM_PromParseSeries);
void BM_PromParseWithLabels(benchmark::State& state) { ParseWithLabels<PromParser>(state, Body()); }
BENCHMARK(BM_PromParseWithLabels);
void BM_OpenMetricsParseSeries(benchmark::State& state) {
  ParseSeries<OpenMetricsParser>(state, OpenMetricsBody());
}
BENCHMARK(BM_OpenMetricsParseSeries);
void BM_OpenMetricsParseWithLabels(benchmark::State& state) {
  ParseWithLabels<OpenMetricsParser>(state, OpenMetricsBody());
}
BENCHMARK(BM_OpenMetricsParseWithLabels);

}  // namespace
}  // namespace argus::textparse

int main(int argc, char** argv) {
  using namespace argus::textparse;  // NOLINT: the benchmark's own namespace
  if (const char* path = std::getenv("ARGUS_TEXTPARSE_BENCH_FILE"); path != nullptr) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    static const std::string* file = new std::string(ss.str());
    benchmark::RegisterBenchmark("BM_PromParseSeries/file", [](benchmark::State& state) {
      ParseSeries<PromParser>(state, *file);
    });
    benchmark::RegisterBenchmark("BM_PromParseWithLabels/file", [](benchmark::State& state) {
      ParseWithLabels<PromParser>(state, *file);
    });
  }
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
