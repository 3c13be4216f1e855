// The endpoint families RegisterApi puts together (one file each).
#pragma once

#include <memory>

#include "http/api/v1/api.h"

namespace argus::http::api {

// The Queryable a request reads: the one deps.request_queryable makes for it, else
// deps.queryable.
struct RequestQueryable {
  std::unique_ptr<storage::Queryable> owned;
  storage::Queryable* queryable = nullptr;
};
absl::StatusOr<RequestQueryable> QueryableFor(const ApiDeps& deps, const Request& req);

// /query, /query_range, /format_query.
void RegisterQueryEndpoints(Server& web, const ApiDeps& deps);
// /series, /labels, /label/<name>/values.
void RegisterSeriesEndpoints(Server& web, const ApiDeps& deps);
// /metadata, /targets/metadata.
void RegisterMetadataEndpoints(Server& web, const ApiDeps& deps);
// /status/runtimeinfo, /status/tsdb.
void RegisterStatusEndpoints(Server& web, const ApiDeps& deps);

}  // namespace argus::http::api
