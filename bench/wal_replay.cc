// WAL replay time and head memory of Argus: opens DATA_DIR with argus::tsdb::DB::Open (no
// background compaction), which replays DATA_DIR/wal into the head as a restarting server
// does, and prints one line:
//
//   wal_replay: series=N samples=S replay_seconds=X open_seconds=Y samples_per_second=Z
//               rss_before_mib=A rss_after_mib=B peak_rss_mib=C heap_in_use_mib=D
//               heap_free_mib=E
//
// replay_seconds is the duration the DB logs with "WAL replay completed" (the same span as
// Prometheus's total_replay_duration); open_seconds is the whole of DB::Open. The DB's own log
// lines are written to stderr. Opening starts a new WAL segment and writes head chunks, so run
// it on a copy of the data. Exit code 1 when the DB fails to open.
//
// Usage: wal_replay DATA_DIR
#include <malloc.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "base/logging.h"
#include "tsdb/db/db.h"

namespace {

// VmRSS or VmHWM of this process in KiB.
long StatusKiB(const std::string& key) {
  std::ifstream in("/proc/self/status");
  std::string k;
  long value = 0;
  while (in >> k) {
    if (k == key) {
      in >> value;
      return value;
    }
    in.ignore(1 << 20, '\n');
  }
  return 0;
}

// The value of `key=` in a logfmt line, unquoted ("" when absent).
std::string Field(absl::string_view line, absl::string_view key) {
  const std::string needle = absl::StrCat(" ", key, "=");
  const size_t at = line.find(needle);
  if (at == absl::string_view::npos) return "";
  absl::string_view v = line.substr(at + needle.size());
  if (!v.empty() && v.front() == '"') {
    v.remove_prefix(1);
    return std::string(v.substr(0, v.find('"')));
  }
  return std::string(v.substr(0, v.find_first_of(" \n")));
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: wal_replay DATA_DIR\n");
    return 2;
  }
  // As `argus` runs (src/cmd/main.cc): Debian's Abseil checks lock order on every lock.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  std::ostringstream logs;
  if (absl::Status st = argus::log::Configure("info", "logfmt", &logs); !st.ok()) return 1;
  const long rss_before = StatusKiB("VmRSS:");
  argus::tsdb::DbOptions opts;
  opts.compaction_interval_ms = 0;
  const absl::Time start = absl::Now();
  auto db = argus::tsdb::DB::Open(argv[1], opts);
  const double open_s = absl::ToDoubleSeconds(absl::Now() - start);
  const long rss_after = StatusKiB("VmRSS:");
  const long peak = StatusKiB("VmHWM:");
  const struct mallinfo2 heap = mallinfo2();
  std::cerr << logs.str();
  if (!db.ok()) {
    std::fprintf(stderr, "wal_replay: %s\n", db.status().ToString().c_str());
    return 1;
  }
  std::string line;
  std::istringstream lines(logs.str());
  std::string replay_line;
  while (std::getline(lines, line)) {
    if (line.find("WAL replay completed") != std::string::npos) replay_line = line;
  }
  absl::Duration replay;
  uint64_t samples = 0;
  if (!absl::ParseDuration(Field(replay_line, "duration"), &replay) ||
      !absl::SimpleAtoi(Field(replay_line, "samples"), &samples)) {
    std::fprintf(stderr, "wal_replay: no parsable \"WAL replay completed\" line\n");
    return 1;
  }
  const double replay_s = absl::ToDoubleSeconds(replay);
  std::printf(
      "wal_replay: series=%zu samples=%llu replay_seconds=%.3f open_seconds=%.3f "
      "samples_per_second=%.0f rss_before_mib=%.1f rss_after_mib=%.1f peak_rss_mib=%.1f "
      "heap_in_use_mib=%.1f heap_free_mib=%.1f\n",
      (*db)->head().num_series(), static_cast<unsigned long long>(samples), replay_s, open_s,
      static_cast<double>(samples) / replay_s, rss_before / 1024.0, rss_after / 1024.0,
      peak / 1024.0, static_cast<double>(heap.uordblks) / (1 << 20),
      static_cast<double>(heap.fordblks) / (1 << 20));
  std::fflush(stdout);
  if (absl::Status st = (*db)->Close(); !st.ok()) {
    std::fprintf(stderr, "wal_replay: close: %s\n", st.ToString().c_str());
    return 1;
  }
  return 0;
}
