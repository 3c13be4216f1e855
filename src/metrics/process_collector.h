// The standard process_* metrics of the Prometheus client libraries (from /proc/self) and
// argus_build_info, which every Argus component exposes.
#pragma once

#include "metrics/registry.h"

namespace argus::metrics {

// Adds process_cpu_seconds_total, process_resident_memory_bytes,
// process_virtual_memory_bytes, process_open_fds, process_max_fds,
// process_start_time_seconds and argus_build_info{version,revision,branch,compiler} to
// `registry`. Values are read at each scrape.
void RegisterProcessCollector(Registry& registry);

}  // namespace argus::metrics
