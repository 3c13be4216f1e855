// Head append throughput (the acceptance bar is 5M samples/s on one core): a scrape-like
// batch appends one sample to each of N existing series by the refs returned earlier, then
// commits. No WAL here (the WAL's cost is measured by wal_benchmark); samples land in XOR chunks.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "tsdb/head/head.h"

namespace argus::tsdb::head {
namespace {

std::vector<labels::Labels> NodeExporterLike(int n) {
  std::vector<labels::Labels> out;
  for (int i = 0; i < n; ++i) {
    out.push_back(labels::Labels({{"__name__", absl::StrCat("node_metric_", i % 500)},
                                  {"cpu", absl::StrCat(i % 64)},
                                  {"instance", absl::StrCat("10.0.", i / 2000, ".1:9100")},
                                  {"job", "node"},
                                  {"mode", i % 2 ? "user" : "system"}}));
  }
  return out;
}

void BM_HeadAppendExistingSeries(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const std::vector<labels::Labels> lsets = NodeExporterLike(n);
  Head h({});
  auto app = h.NewAppender();
  std::vector<storage::SeriesRef> refs(n);
  int64_t t = 1'700'000'000'000;
  for (int i = 0; i < n; ++i) refs[i] = *app->Append(0, lsets[i], t, 0);
  (void)app->Commit();
  double v = 0;
  for (auto _ : state) {
    t += 15000;
    v += 1;
    for (int i = 0; i < n; ++i) {
      auto r = app->Append(refs[i], lsets[i], t, v);
      benchmark::DoNotOptimize(r);
    }
    (void)app->Commit();
  }
  state.SetItemsProcessed(state.iterations() * n);
}
BENCHMARK(BM_HeadAppendExistingSeries)->Arg(1000)->Arg(10000);

void BM_HeadCreateSeries(benchmark::State& state) {
  const std::vector<labels::Labels> lsets = NodeExporterLike(100000);
  for (auto _ : state) {
    Head h({});
    auto app = h.NewAppender();
    for (const auto& l : lsets) benchmark::DoNotOptimize(app->Append(0, l, 1000, 1));
    (void)app->Commit();
  }
  state.SetItemsProcessed(state.iterations() * lsets.size());
}
BENCHMARK(BM_HeadCreateSeries)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace argus::tsdb::head

BENCHMARK_MAIN();
