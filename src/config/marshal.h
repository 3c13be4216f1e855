// The loaded configuration written back as YAML, as /api/v1/status/config shows it: defaults
// filled in, durations in Prometheus's spelling, secrets replaced by "<secret>". The Thanos
// sidecar and `argus sidecar` read the external labels from it.
//
// Written: global, rule_files, scrape_configs (client settings, limits, static and file SD,
// relabeling), remote_write and remote_read (url, name, timeout, headers, relabeling). Left
// out: alerting, storage, tracing, Kubernetes SD details and queue tuning.
#pragma once

#include <string>

#include "config/config.h"

namespace argus::config {

std::string Marshal(const Config& c);

}  // namespace argus::config
