// Head memory per series: creates N node_exporter-like series (labels as on a real node
// exporter target: __name__, cpu/device, instance, job, mode), appends S samples to each at a
// 15s interval (counter and gauge values), and prints the resident-set growth per series. The
// issue's bar: at most 1 KiB per active series at 1M series.
//
// Usage: head_memory [SERIES=1000000] [SAMPLES=120]
#include <stdlib.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "tsdb/head/head.h"

namespace {

long RssKiB() {
  std::ifstream in("/proc/self/status");
  std::string key;
  long value = 0;
  while (in >> key) {
    if (key == "VmRSS:") {
      in >> value;
      return value;
    }
    in.ignore(1 << 20, '\n');
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  const int n = argc > 1 ? std::atoi(argv[1]) : 1000000;
  const int samples = argc > 2 ? std::atoi(argv[2]) : 120;
  const long before = RssKiB();
  // Full chunks go to memory-mapped files, as in a DB (<data>/chunks_head).
  char tmpl[] = "/tmp/head_memory.XXXXXX";
  const std::string dir = mkdtemp(tmpl);
  argus::tsdb::head::HeadOptions opts;
  opts.chunks = *argus::tsdb::chunks::HeadChunks::Open(argus::Env::Default(), dir + "/chunks_head");
  argus::tsdb::head::Head h(opts);
  auto app = h.NewAppender();
  std::vector<argus::storage::SeriesRef> refs(n);
  const char* modes[] = {"idle", "iowait", "irq", "nice", "softirq", "steal", "system", "user"};
  int64_t t = 1'700'000'000'000;
  for (int i = 0; i < n; ++i) {
    // 250 metric names x 8 modes x 64 cpus per instance; instances of 128k series each.
    argus::labels::Labels l(
        {{"__name__", absl::StrCat("node_metric_family_", i % 250, "_total")},
         {"cpu", absl::StrCat(i / 2000 % 64)},
         {"instance", absl::StrCat("ip-10-0-", i / 128000, "-17.ec2.internal:9100")},
         {"job", "node-exporter"},
         {"mode", modes[i / 250 % 8]}});
    refs[i] = *app->Append(0, l, t, 0);
    if (i % 10000 == 9999) (void)app->Commit();
  }
  (void)app->Commit();
  for (int s = 1; s < samples; ++s) {
    t += 15000;
    // Node-exporter-like values: a fifth are constant gauges, the rest counters growing by a
    // few units per scrape.
    for (int i = 0; i < n; ++i) (void)app->Append(refs[i], {}, t, i + s * (i % 5) * 3.0);
    (void)app->Commit();
  }
  const long after = RssKiB();
  // Chunk bytes per sample, over every 97th series (co-prime with the value pattern).
  uint64_t bytes = 0, count = 0;
  for (int i = 0; i < n; i += 97) {
    argus::tsdb::ChunkSeries cs;
    std::vector<argus::tsdb::tombstones::Interval> deleted;
    h.SeriesChunks(refs[i], INT64_MIN, INT64_MAX, &cs, &deleted);
    for (const auto& c : cs.chunks) {
      bytes += c.data.size();
      count += argus::tsdb::chunkenc::XorNumSamples(c.data);
    }
  }
  std::printf(
      "series=%d samples_per_series=%d rss_growth_mib=%.1f bytes_per_series=%.0f "
      "chunk_bytes_per_sample=%.2f\n",
      n, samples, (after - before) / 1024.0, (after - before) * 1024.0 / n,
      static_cast<double>(bytes) / count);
  (void)argus::Env::Default()->RemoveAll(dir);
  (void)argus::Env::Default()->RemoveAll(dir);
  return 0;
}
