// XOR chunk encode and decode throughput on scrape-like data (15 s interval with jitter,
// slowly changing counters), 120 samples per chunk as Prometheus cuts them.
#include <random>
#include <vector>

#include "benchmark/benchmark.h"
#include "tsdb/chunkenc/xor.h"

namespace argus::tsdb::chunkenc {
namespace {

struct Sample {
  int64_t t;
  double v;
};

std::vector<Sample> ScrapeLike(int n) {
  std::mt19937_64 rng(1);
  std::vector<Sample> s;
  int64_t t = 1700000000000;
  double v = 1000;
  for (int i = 0; i < n; ++i) {
    t += 15000 + static_cast<int64_t>(rng() % 5);
    v += static_cast<double>(rng() % 50);
    s.push_back({t, v});
  }
  return s;
}

void BM_XorAppend(benchmark::State& state) {
  const std::vector<Sample> samples = ScrapeLike(120);
  for (auto _ : state) {
    XorAppender a;
    for (const Sample& s : samples) a.Append(s.t, s.v);
    benchmark::DoNotOptimize(a.bytes().data());
  }
  state.SetItemsProcessed(state.iterations() * samples.size());
}
BENCHMARK(BM_XorAppend);

void BM_XorIterate(benchmark::State& state) {
  XorAppender a;
  for (const Sample& s : ScrapeLike(120)) a.Append(s.t, s.v);
  const std::string bytes(a.bytes());
  for (auto _ : state) {
    XorIterator it(bytes);
    double sum = 0;
    while (it.Next()) sum += it.v();
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * 120);
  state.counters["bytes_per_sample"] = static_cast<double>(bytes.size()) / 120;
}
BENCHMARK(BM_XorIterate);

}  // namespace
}  // namespace argus::tsdb::chunkenc

BENCHMARK_MAIN();
