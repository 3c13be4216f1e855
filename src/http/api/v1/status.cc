// /api/v1/status/runtimeinfo and /api/v1/status/tsdb.
#include <string>

#include "absl/strings/str_cat.h"
#include "http/api/v1/endpoint.h"
#include "http/api/v1/errors.h"
#include "http/api/v1/internal.h"
#include "http/api/v1/json.h"

namespace argus::http::api {
namespace {

// A time as Go's encoding/json writes a UTC time.Time (RFC3339 with nanoseconds, trailing
// zeros dropped).
void AppendGoTime(absl::Time t, std::string* out) {
  out->push_back('"');
  out->append(absl::FormatTime("%Y-%m-%d%ET%H:%M:%E*SZ", t, absl::UTCTimeZone()));
  out->push_back('"');
}

absl::Status Runtimeinfo(const ApiDeps& deps, Reply& reply) {
  const RuntimeInfo info = deps.runtime_info();
  std::string& out = *reply.data;
  out.append("{\"startTime\":");
  AppendGoTime(info.start_time, &out);
  out.append(",\"CWD\":");
  AppendJsonString(info.cwd, &out);
  absl::StrAppend(&out, ",\"reloadConfigSuccess\":", info.reload_config_success ? "true" : "false",
                  ",\"lastConfigTime\":");
  AppendGoTime(info.last_config_time, &out);
  absl::StrAppend(&out, ",\"corruptionCount\":", info.corruption_count,
                  ",\"goroutineCount\":", info.goroutine_count, ",\"GOMAXPROCS\":", info.gomaxprocs,
                  ",\"GOGC\":");
  AppendJsonString(info.gogc, &out);
  out.append(",\"GODEBUG\":");
  AppendJsonString(info.godebug, &out);
  out.append(",\"storageRetention\":");
  AppendJsonString(info.storage_retention, &out);
  out.push_back('}');
  return absl::OkStatus();
}

void AppendTop(absl::string_view key, const TsdbStatus::Top& top, std::string* out) {
  absl::StrAppend(out, ",\"", key, "\":[");
  for (size_t i = 0; i < top.size(); ++i) {
    if (i > 0) out->push_back(',');
    out->append("{\"name\":");
    AppendJsonString(top[i].first, out);
    absl::StrAppend(out, ",\"value\":", top[i].second, "}");
  }
  out->push_back(']');
}

absl::Status Tsdb(const ApiDeps& deps, Reply& reply) {
  absl::StatusOr<TsdbStatus> s = deps.tsdb_status();
  if (!s.ok()) return MakeError(ErrorType::kInternal, s.status().message());
  std::string& out = *reply.data;
  absl::StrAppend(&out, "{\"headStats\":{\"numSeries\":", s->num_series,
                  ",\"numLabelPairs\":", s->num_label_pairs, ",\"chunkCount\":", s->chunk_count,
                  ",\"minTime\":", s->min_time, ",\"maxTime\":", s->max_time, "}");
  AppendTop("seriesCountByMetricName", s->series_count_by_metric_name, &out);
  AppendTop("labelValueCountByLabelName", s->label_value_count_by_label_name, &out);
  AppendTop("memoryInBytesByLabelName", s->memory_in_bytes_by_label_name, &out);
  AppendTop("seriesCountByLabelValuePair", s->series_count_by_label_value_pair, &out);
  out.push_back('}');
  return absl::OkStatus();
}

}  // namespace

void RegisterStatusEndpoints(Server& web, const ApiDeps& deps) {
  if (deps.runtime_info) {
    web.Get("/api/v1/status/runtimeinfo", "/api/v1/status/runtimeinfo",
            Serve([deps](const Request&, Reply& r) { return Runtimeinfo(deps, r); }));
  }
  if (deps.tsdb_status) {
    web.Get("/api/v1/status/tsdb", "/api/v1/status/tsdb",
            Serve([deps](const Request&, Reply& r) { return Tsdb(deps, r); }));
  }
}

}  // namespace argus::http::api
