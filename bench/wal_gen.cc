// Writes a Prometheus v2.42 write-ahead log for the WAL replay benchmarks: OUT_DATA_DIR/wal
// holds one series record per target (1000 node_exporter-like series, see node_fleet.h) and
// then SAMPLES rounds of scrapes, one samples record per target per round, as a scrape loop's
// commits would write them. Rounds are 15 s apart and the last one ends at the current time
// (or at the last 2 h boundary, when that keeps the samples within one chunk range), so both
// Argus and Prometheus load the data into their heads as recent samples. The WAL is
// written by wlog::WAL with its defaults (snappy compression, 128 MiB segments), so the data
// directory opens in `prometheus --storage.tsdb.path` and in argus::tsdb::DB alike.
//
// Usage: wal_gen OUT_DATA_DIR [SERIES=1000000] [SAMPLES=120] [END_UNIX_MS]
// END_UNIX_MS replaces "now" (with no boundary adjustment), to reproduce a given layout: e.g.
// with 120 samples, ending 29 min before a 2 h boundary makes Prometheus's chunk-end rule
// split the 59 min left into two chunks, so every series cuts its chunk two samples before the
// end and replay also writes a million chunks to chunks_head/.
// Prints the series, samples, records, WAL bytes and time taken. Exit code 1 on any error;
// OUT_DATA_DIR/wal must not exist yet.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "base/env.h"
#include "bench/node_fleet.h"
#include "tsdb/record/record.h"
#include "tsdb/wlog/wlog.h"

namespace {

using argus::tsdb::record::RefSample;
using argus::tsdb::record::RefSeries;

int Fail(const absl::Status& st) {
  std::fprintf(stderr, "wal_gen: %s\n", st.ToString().c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 5) {
    std::fprintf(stderr,
                 "usage: wal_gen OUT_DATA_DIR [SERIES=1000000] [SAMPLES=120] [END_UNIX_MS]\n");
    return 2;
  }
  const std::string out = argv[1];
  const uint64_t n = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1000000;
  const int rounds = argc > 3 ? std::atoi(argv[3]) : 120;
  if (n == 0 || rounds <= 0) {
    std::fprintf(stderr, "wal_gen: SERIES and SAMPLES must be positive\n");
    return 2;
  }
  argus::Env* env = argus::Env::Default();
  const std::string wal_dir = out + "/wal";
  if (env->FileExists(wal_dir)) return Fail(absl::AlreadyExistsError(wal_dir + " exists"));
  if (absl::Status st = env->CreateDirs(out); !st.ok()) return Fail(st);
  auto wal = argus::tsdb::wlog::WAL::Open(env, wal_dir);  // compression on, 128 MiB segments
  if (!wal.ok()) return Fail(wal.status());

  const absl::Time start = absl::Now();
  // The last round's interval ends at now (its offsets reach up to 15 s), unless the samples
  // would then straddle a 2 h chunk-range boundary while they fit in one range: then they end
  // at the last boundary, so that every series has all its samples in its open head chunk
  // whatever the time of day (as head_memory measures it).
  constexpr int64_t kRange = 2 * 3600 * 1000;
  const int64_t span = static_cast<int64_t>(rounds) * argus::bench::kScrapeIntervalMs;
  int64_t end = absl::ToUnixMillis(start);
  if (argc > 4) {
    end = std::strtoll(argv[4], nullptr, 10);
  } else if (span <= kRange && end % kRange < span) {
    end -= end % kRange;
  }
  const int64_t t0 = end - span;
  const uint64_t per = argus::bench::kSeriesPerInstance;
  std::string rec;
  uint64_t records = 0, samples = 0;

  std::vector<RefSeries> series;
  for (uint64_t first = 0; first < n; first += per) {
    series.clear();
    for (uint64_t i = first; i < std::min(n, first + per); ++i) {
      series.push_back({i + 1, argus::bench::SeriesLabels(i)});
    }
    rec.clear();
    argus::tsdb::record::EncodeSeries(series, &rec);
    if (absl::Status st = (*wal)->Log(rec); !st.ok()) return Fail(st);
    ++records;
  }

  std::vector<int64_t> state(n);
  std::vector<RefSample> batch;
  for (int r = 0; r < rounds; ++r) {
    for (uint64_t first = 0; first < n; first += per) {
      batch.clear();
      for (uint64_t i = first; i < std::min(n, first + per); ++i) {
        state[i] = argus::bench::NextState(i, r, state[i]);
        batch.push_back(
            {i + 1, argus::bench::SampleTime(i, r, t0), argus::bench::Value(i, state[i])});
      }
      rec.clear();
      argus::tsdb::record::EncodeSamples(batch, &rec);
      if (absl::Status st = (*wal)->Log(rec); !st.ok()) return Fail(st);
      ++records;
      samples += batch.size();
    }
  }
  const argus::tsdb::wlog::Stats stats = (*wal)->stats();
  if (absl::Status st = (*wal)->Close(); !st.ok()) return Fail(st);
  std::printf(
      "wal_gen: dir=%s series=%llu samples=%llu records=%llu record_bytes=%llu "
      "wal_bytes=%llu segments=%llu seconds=%.1f\n",
      wal_dir.c_str(), static_cast<unsigned long long>(n), static_cast<unsigned long long>(samples),
      static_cast<unsigned long long>(records), static_cast<unsigned long long>(stats.record_bytes),
      static_cast<unsigned long long>(stats.bytes_written),
      static_cast<unsigned long long>(stats.segments_created),
      absl::ToDoubleSeconds(absl::Now() - start));
  return 0;
}
