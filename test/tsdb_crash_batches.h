// What the crash test's child writes: batch b gives every series one sample at BatchTime(b)
// with value b.
#pragma once

#include <cstdint>

#include "absl/strings/str_cat.h"
#include "model/labels/labels.h"

namespace argus::crashtest {

inline constexpr int kSeries = 40;

// A minute per batch: a 2h head block fills every 120 batches, so compaction runs often.
inline int64_t BatchTime(int64_t b) { return 1'700'000'000'000 + b * 60'000; }

inline labels::Labels SeriesLabels(int s) {
  return labels::Labels({{"__name__", "crash_test"}, {"series", absl::StrCat(s)}});
}

}  // namespace argus::crashtest
