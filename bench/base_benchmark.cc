// Kernels every write and read path leans on: CRC32C, varints, and the metrics hot path.
#include <string>
#include <thread>

#include "base/coding.h"
#include "base/crc32c.h"
#include "benchmark/benchmark.h"
#include "metrics/registry.h"

namespace argus {
namespace {

void BM_Crc32c(benchmark::State& state) {
  std::string data(state.range(0), 'x');
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<char>(i * 31);
  for (auto _ : state) benchmark::DoNotOptimize(Crc32c(data));
  state.SetBytesProcessed(state.iterations() * data.size());
  state.SetLabel(Crc32cIsHardwareAccelerated() ? "sse4.2" : "table");
}
BENCHMARK(BM_Crc32c)->Arg(64)->Arg(4096)->Arg(1 << 20);

void BM_UvarintRoundTrip(benchmark::State& state) {
  std::string buf;
  for (uint64_t i = 0; i < 1024; ++i) PutUvarint(&buf, i * i * 977);
  for (auto _ : state) {
    Decoder d(buf);
    uint64_t sum = 0;
    while (d.remaining() > 0) sum += d.Uvarint();
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * 1024);
}
BENCHMARK(BM_UvarintRoundTrip);

metrics::Registry& SharedRegistry() {
  static metrics::Registry* r = new metrics::Registry;
  return *r;
}

void BM_CounterInc(benchmark::State& state) {
  static metrics::CounterVec& vec =
      SharedRegistry().AddCounterVec("bench_counter_total", "Bench.", {"k"});
  metrics::Counter& c = vec.WithLabelValues({"v"});
  for (auto _ : state) c.Inc();
}
BENCHMARK(BM_CounterInc)->Threads(1)->Threads(2);

void BM_HistogramObserve(benchmark::State& state) {
  static metrics::Histogram& h =
      SharedRegistry().AddHistogram("bench_seconds", "Bench.", metrics::DefaultBuckets());
  double v = 0;
  for (auto _ : state) {
    h.Observe(v);
    v = v > 10 ? 0 : v + 0.01;
  }
}
BENCHMARK(BM_HistogramObserve)->Threads(1)->Threads(2);

}  // namespace
}  // namespace argus

BENCHMARK_MAIN();
