// /api/v1/metadata and /api/v1/targets/metadata: the metadata the scrape loops keep per target.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/numbers.h"
#include "base/status.h"
#include "http/api/v1/endpoint.h"
#include "http/api/v1/internal.h"
#include "http/api/v1/json.h"
#include "http/api/v1/params.h"
#include "promql/parser/parser.h"

namespace argus::http::api {
namespace {

// The limit parameter; -1 (none) when absent. Any negative number means none too.
absl::StatusOr<int64_t> Limit(const Request& req) {
  int64_t limit = -1;
  if (const std::string s = req.Param("limit"); !s.empty() && !absl::SimpleAtoi(s, &limit)) {
    return absl::InvalidArgumentError("limit must be a number");
  }
  return limit;
}

std::vector<TargetMetadata> Targets(const ApiDeps& deps, absl::string_view metric) {
  if (!deps.target_metadata) return {};
  return deps.target_metadata(metric);
}

// `"type":...,"help":...,"unit":...` of `m`.
void AppendFields(const MetricMetadata& m, std::string* out) {
  out->append("\"type\":");
  AppendJsonString(m.type, out);
  out->append(",\"help\":");
  AppendJsonString(m.help, out);
  out->append(",\"unit\":");
  AppendJsonString(m.unit, out);
}

// {"<metric>":[{"type":..,"help":..,"unit":..},...],...}: each metric's distinct metadata over
// all targets. With a limit, only that many metrics (Prometheus takes arbitrary ones; these are
// the first by name).
absl::Status Metadata(const ApiDeps& deps, const Request& req, Reply& reply) {
  ASSIGN_OR_RETURN(const int64_t limit, Limit(req));
  using Fields = std::tuple<std::string, std::string, std::string>;  // type, help, unit
  std::map<std::string, std::set<Fields>> found;
  for (TargetMetadata& t : Targets(deps, req.Param("metric"))) {
    for (MetricMetadata& m : t.metadata) {
      found[std::move(m.metric)].emplace(std::move(m.type), std::move(m.help), std::move(m.unit));
    }
  }
  std::string& out = *reply.data;
  out.push_back('{');
  int64_t n = 0;
  for (const auto& [name, set] : found) {
    if (limit >= 0 && n >= limit) break;
    if (n++ > 0) out.push_back(',');
    AppendJsonString(name, &out);
    out.append(":[");
    bool first = true;
    for (const auto& [type, help, unit] : set) {
      if (!first) out.push_back(',');
      first = false;
      out.push_back('{');
      AppendFields(MetricMetadata{"", type, help, unit}, &out);
      out.push_back('}');
    }
    out.push_back(']');
  }
  out.push_back('}');
  return absl::OkStatus();
}

// [{"target":{labels},"metric":..,"type":..,"help":..,"unit":..},...] for the targets that
// match_target selects; "metric" is left out when the metric parameter names it. As in v2.42,
// the limit is checked before each target: a target's metrics are listed all or not at all.
absl::Status TargetsMetadata(const ApiDeps& deps, const Request& req, Reply& reply) {
  ASSIGN_OR_RETURN(const int64_t limit, Limit(req));
  std::vector<labels::Matcher> matchers;
  if (const std::string m = req.Param("match_target"); !m.empty()) {
    absl::StatusOr<std::vector<labels::Matcher>> parsed = promql::parser::ParseMetricSelector(m);
    if (!parsed.ok()) return InvalidParam(parsed.status(), "match_target");
    matchers = *std::move(parsed);
  }
  const std::string metric = req.Param("metric");
  std::string& out = *reply.data;
  out.push_back('[');
  int64_t n = 0;
  for (const TargetMetadata& t : Targets(deps, metric)) {
    if (limit >= 0 && n >= limit) break;
    const bool selected = std::all_of(matchers.begin(), matchers.end(), [&t](const auto& m) {
      return m.Matches(t.target.Get(m.name()));
    });
    if (!selected) continue;
    for (const MetricMetadata& m : t.metadata) {
      if (n++ > 0) out.push_back(',');
      out.append("{\"target\":");
      AppendLabels(t.target, &out);
      if (metric.empty()) {
        out.append(",\"metric\":");
        AppendJsonString(m.metric, &out);
      }
      out.push_back(',');
      AppendFields(m, &out);
      out.push_back('}');
    }
  }
  out.push_back(']');
  return absl::OkStatus();
}

}  // namespace

void RegisterMetadataEndpoints(Server& web, const ApiDeps& deps) {
  web.Get("/api/v1/metadata", "/api/v1/metadata",
          Serve([deps](const Request& req, Reply& r) { return Metadata(deps, req, r); }));
  web.Get("/api/v1/targets/metadata", "/api/v1/targets/metadata",
          Serve([deps](const Request& req, Reply& r) { return TargetsMetadata(deps, req, r); }));
}

}  // namespace argus::http::api
