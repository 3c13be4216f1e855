#include "http/api/v1/api.h"

#include "http/api/v1/internal.h"

namespace argus::http::api {

void RegisterApi(Server& web, ApiDeps deps) {
  RegisterQueryEndpoints(web, deps);
  RegisterSeriesEndpoints(web, deps);
  RegisterMetadataEndpoints(web, deps);
  RegisterStatusEndpoints(web, deps);
}

}  // namespace argus::http::api
