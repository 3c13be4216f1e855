// The query side of the Prometheus HTTP API (web/api/v1 of v2.42): /api/v1/query,
// /query_range, /format_query, /series, /labels, /label/<name>/values, /metadata,
// /targets/metadata and /status/{runtimeinfo,tsdb}, GET and form POST, answered as Prometheus
// answers them.
// (buildinfo, config, flags and targets are the server's own: src/cmd.)
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "http/server.h"
#include "model/labels/labels.h"
#include "promql/engine.h"
#include "storage/storage.h"

namespace argus::http::api {

// One metric's metadata as a scrape target exposed it (# TYPE, # HELP, # UNIT).
struct MetricMetadata {
  std::string metric;
  std::string type;  // "counter", "gauge", ..., "unknown"
  std::string help;
  std::string unit;
};

// The metadata of one active scrape target's metrics.
struct TargetMetadata {
  labels::Labels target;  // the target's public labels
  std::vector<MetricMetadata> metadata;
};

// /api/v1/status/runtimeinfo.
struct RuntimeInfo {
  absl::Time start_time;
  std::string cwd;
  bool reload_config_success = true;
  absl::Time last_config_time;
  int64_t corruption_count = 0;
  int goroutine_count = 0;  // the process's threads
  int gomaxprocs = 0;       // hardware threads
  std::string gogc;         // $GOGC, $GODEBUG as set in the environment
  std::string godebug;
  std::string storage_retention;  // "15d", "512MiB", "15d or 512MiB"
};

// /api/v1/status/tsdb: the head's cardinality, each top list (name, count) largest first.
struct TsdbStatus {
  uint64_t num_series = 0;
  uint64_t num_label_pairs = 0;
  int64_t chunk_count = 0;
  int64_t min_time = 0;
  int64_t max_time = 0;
  using Top = std::vector<std::pair<std::string, uint64_t>>;
  Top series_count_by_metric_name;
  Top label_value_count_by_label_name;
  Top memory_in_bytes_by_label_name;  // bytes of each label's distinct values
  Top series_count_by_label_value_pair;
};

// What the endpoints read. Everything must outlive the server; callbacks are thread-safe.
struct ApiDeps {
  storage::Queryable* queryable = nullptr;
  // When set, each query, series and label request reads through the Queryable this makes for
  // it instead (the querier's, after its own parameters: dedup, replicaLabels[],
  // partial_response); its errors answer bad_data.
  std::function<absl::StatusOr<std::unique_ptr<storage::Queryable>>(const Request&)>
      request_queryable;
  promql::Engine* engine = nullptr;
  std::function<absl::Time()> now = absl::Now;  // the default evaluation time
  // The active targets with the metadata of their metrics (of `metric` only, when it is not
  // empty); unset: there are no targets.
  std::function<std::vector<TargetMetadata>(absl::string_view metric)> target_metadata;
  std::function<RuntimeInfo()> runtime_info;
  // Errors become "internal" API errors.
  std::function<absl::StatusOr<TsdbStatus>()> tsdb_status;
};

// Registers the endpoints under /api/v1 on `web` (before it starts).
void RegisterApi(Server& web, ApiDeps deps);

}  // namespace argus::http::api
