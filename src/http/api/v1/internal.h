// The endpoint families RegisterApi puts together (one file each).
#pragma once

#include "http/api/v1/api.h"

namespace argus::http::api {

// /query, /query_range, /format_query.
void RegisterQueryEndpoints(Server& web, const ApiDeps& deps);
// /series, /labels, /label/<name>/values.
void RegisterSeriesEndpoints(Server& web, const ApiDeps& deps);
// /metadata, /targets/metadata.
void RegisterMetadataEndpoints(Server& web, const ApiDeps& deps);
// /status/runtimeinfo, /status/tsdb.
void RegisterStatusEndpoints(Server& web, const ApiDeps& deps);

}  // namespace argus::http::api
