// The victim of tsdb_crash_test: opens a TSDB, appends batches and prints "committed <i>" after
// each Commit returns, until it is killed. Background compaction runs every 20ms, so kills
// also land in the middle of block writes, head truncation and WAL checkpoints.
//
// Usage: tsdb_crash_child DIR FIRST_BATCH
#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/strings/str_cat.h"
#include "tsdb/db/db.h"
#include "tsdb_crash_batches.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s DIR FIRST_BATCH\n", argv[0]);
    return 2;
  }
  argus::tsdb::DbOptions opts;
  opts.compaction_interval_ms = 20;
  opts.wal_segment_size = 64 * 1024;
  auto db = argus::tsdb::DB::Open(argv[1], opts);
  if (!db.ok()) {
    std::fprintf(stderr, "open: %s\n", db.status().ToString().c_str());
    return 1;
  }
  std::printf("opened\n");
  std::fflush(stdout);
  auto app = (*db)->Appender();
  for (int64_t b = std::atoll(argv[2]);; ++b) {
    for (int s = 0; s < argus::crashtest::kSeries; ++s) {
      auto ref = app->Append(0, argus::crashtest::SeriesLabels(s), argus::crashtest::BatchTime(b),
                             static_cast<double>(b));
      if (!ref.ok()) {
        std::fprintf(stderr, "append batch %lld: %s\n", static_cast<long long>(b),
                     ref.status().ToString().c_str());
        return 1;
      }
    }
    if (absl::Status st = app->Commit(); !st.ok()) {
      std::fprintf(stderr, "commit: %s\n", st.ToString().c_str());
      return 1;
    }
    std::printf("committed %lld\n", static_cast<long long>(b));
    std::fflush(stdout);
  }
}
