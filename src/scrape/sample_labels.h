// How a scraped series' labels meet its target's labels (Prometheus v2.42's
// mutateSampleLabels, before metric relabeling).
#pragma once

#include "model/labels/labels.h"

namespace argus::scrape {

// With `honor_labels`, the exposed labels win and target labels only fill in missing names.
// Without it, target labels win, and each clashing exposed label is kept under "exported_" +
// its name (prefixed again until the name is free among the exposed, target and already
// renamed labels, shorter names renamed first).
labels::Labels MergeTargetLabels(const labels::Labels& exposed, const labels::Labels& target,
                                 bool honor_labels);

}  // namespace argus::scrape
