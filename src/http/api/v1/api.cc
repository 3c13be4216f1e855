#include "http/api/v1/api.h"

#include "http/api/v1/internal.h"

namespace argus::http::api {

absl::StatusOr<RequestQueryable> QueryableFor(const ApiDeps& deps, const Request& req) {
  RequestQueryable r;
  if (!deps.request_queryable) {
    r.queryable = deps.queryable;
    return r;
  }
  absl::StatusOr<std::unique_ptr<storage::Queryable>> q = deps.request_queryable(req);
  if (!q.ok()) return absl::InvalidArgumentError(q.status().message());
  r.owned = *std::move(q);
  r.queryable = r.owned.get();
  return r;
}

void RegisterApi(Server& web, ApiDeps deps) {
  RegisterQueryEndpoints(web, deps);
  RegisterSeriesEndpoints(web, deps);
  RegisterMetadataEndpoints(web, deps);
  RegisterStatusEndpoints(web, deps);
}

}  // namespace argus::http::api
