// /api/v1/series, /api/v1/labels and /api/v1/label/<name>/values.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/go_strconv.h"
#include "base/status.h"
#include "http/api/v1/endpoint.h"
#include "http/api/v1/errors.h"
#include "http/api/v1/internal.h"
#include "http/api/v1/json.h"
#include "http/api/v1/params.h"
#include "metrics/registry.h"
#include "promql/parser/parser.h"

namespace argus::http::api {
namespace {

namespace parser = promql::parser;

using MatcherSets = std::vector<std::vector<labels::Matcher>>;

// The match[] selectors; each must have a matcher that does not match the empty string.
absl::StatusOr<MatcherSets> ParseMatchers(const std::vector<std::string>& selectors) {
  MatcherSets sets;
  for (const std::string& s : selectors) {
    ASSIGN_OR_RETURN(std::vector<labels::Matcher> ms, parser::ParseMetricSelector(s));
    if (std::all_of(ms.begin(), ms.end(), [](const labels::Matcher& m) { return m.Matches(""); })) {
      return absl::InvalidArgumentError("match[] must contain at least one non-empty matcher");
    }
    sets.push_back(std::move(ms));
  }
  return sets;
}

// The start and end parameters, Prometheus's extremes when absent.
struct Range {
  int64_t start, end;
};
absl::StatusOr<Range> TimeRange(const Request& req) {
  ASSIGN_OR_RETURN(const int64_t start, TimeParam(req, "start", kMinTimeMs));
  ASSIGN_OR_RETURN(const int64_t end, TimeParam(req, "end", kMaxTimeMs));
  return Range{start, end};
}

// The union of `lookup` over the matcher sets (or `lookup({})` without any), sorted.
absl::StatusOr<std::vector<std::string>> Union(
    const MatcherSets& sets, const std::function<absl::StatusOr<std::vector<std::string>>(
                                 const std::vector<labels::Matcher>&)>& lookup) {
  if (sets.empty()) return lookup({});
  std::vector<std::string> all;
  for (const auto& ms : sets) {
    ASSIGN_OR_RETURN(std::vector<std::string> part, lookup(ms));
    all.insert(all.end(), std::make_move_iterator(part.begin()),
               std::make_move_iterator(part.end()));
  }
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

absl::Status Series(const ApiDeps& deps, const Request& req, Reply& reply) {
  const std::vector<std::string> selectors = req.Params("match[]");
  if (selectors.empty()) return absl::InvalidArgumentError("no match[] parameter provided");
  ASSIGN_OR_RETURN(const Range r, TimeRange(req));
  absl::StatusOr<MatcherSets> sets = ParseMatchers(selectors);
  if (!sets.ok()) return InvalidParam(sets.status(), "match[]");
  ASSIGN_OR_RETURN(RequestQueryable queryable, QueryableFor(deps, req));
  absl::StatusOr<std::unique_ptr<storage::Querier>> q =
      queryable.queryable->NewQuerier(r.start, r.end);
  if (!q.ok()) return StorageError(q.status());
  const storage::SelectHints hints{r.start, r.end};
  std::vector<labels::Labels> found;
  for (const auto& ms : *sets) {
    std::unique_ptr<storage::SeriesSet> set = (*q)->Select(sets->size() > 1, hints, ms);
    while (set->Next()) found.push_back(set->At().labels());
    if (!set->status().ok()) return StorageError(set->status());
  }
  reply.warnings = (*q)->Warnings();
  if (sets->size() > 1) {  // merged, each series once
    std::sort(found.begin(), found.end());
    found.erase(std::unique(found.begin(), found.end()), found.end());
  }
  std::string& out = *reply.data;
  out.push_back('[');
  for (size_t i = 0; i < found.size(); ++i) {
    if (i > 0) out.push_back(',');
    AppendLabels(found[i], &out);
  }
  out.push_back(']');
  return absl::OkStatus();
}

absl::Status LabelNames(const ApiDeps& deps, const Request& req, Reply& reply) {
  ASSIGN_OR_RETURN(const Range r, TimeRange(req));
  ASSIGN_OR_RETURN(const MatcherSets sets, ParseMatchers(req.Params("match[]")));
  ASSIGN_OR_RETURN(RequestQueryable queryable, QueryableFor(deps, req));
  absl::StatusOr<std::unique_ptr<storage::Querier>> q =
      queryable.queryable->NewQuerier(r.start, r.end);
  if (!q.ok()) return StorageError(q.status());
  absl::StatusOr<std::vector<std::string>> names =
      Union(sets, [&q](const std::vector<labels::Matcher>& ms) { return (*q)->LabelNames(ms); });
  if (!names.ok()) return StorageError(names.status());
  AppendStringArray(*names, reply.data);
  reply.warnings = (*q)->Warnings();
  return absl::OkStatus();
}

absl::Status LabelValues(const ApiDeps& deps, const Request& req, Reply& reply) {
  const std::string name = req.PathParam(1);
  if (!metrics::IsValidLabelName(name)) {
    return absl::InvalidArgumentError(absl::StrCat("invalid label name: ", GoQuote(name)));
  }
  ASSIGN_OR_RETURN(const Range r, TimeRange(req));
  ASSIGN_OR_RETURN(const MatcherSets sets, ParseMatchers(req.Params("match[]")));
  ASSIGN_OR_RETURN(RequestQueryable queryable, QueryableFor(deps, req));
  absl::StatusOr<std::unique_ptr<storage::Querier>> q =
      queryable.queryable->NewQuerier(r.start, r.end);
  if (!q.ok()) return StorageError(q.status());
  absl::StatusOr<std::vector<std::string>> values = Union(
      sets,
      [&q, &name](const std::vector<labels::Matcher>& ms) { return (*q)->LabelValues(name, ms); });
  if (!values.ok()) return StorageError(values.status());
  AppendStringArray(*values, reply.data);
  reply.warnings = (*q)->Warnings();
  return absl::OkStatus();
}

}  // namespace

void RegisterSeriesEndpoints(Server& web, const ApiDeps& deps) {
  web.GetPost("/api/v1/series", "/api/v1/series",
              Serve([deps](const Request& req, Reply& r) { return Series(deps, req, r); }));
  web.GetPost("/api/v1/labels", "/api/v1/labels",
              Serve([deps](const Request& req, Reply& r) { return LabelNames(deps, req, r); }));
  web.Get(R"(/api/v1/label/([^/]*)/values)", "/api/v1/label/:name/values",
          Serve([deps](const Request& req, Reply& r) { return LabelValues(deps, req, r); }));
}

}  // namespace argus::http::api
