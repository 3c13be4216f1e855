// /api/v1/status/buildinfo and /api/v1/status/flags, answered as Prometheus answers them
// ({"status":"success","data":{...}}), for Grafana and the Thanos sidecar; and what the server
// hands the query API for /api/v1/status/runtimeinfo and /api/v1/status/tsdb.
#pragma once

#include <map>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/time/time.h"
#include "cmd/config_runtime.h"
#include "http/api/v1/api.h"
#include "http/server.h"
#include "nlohmann/json.hpp"
#include "tsdb/db/db.h"

namespace argus::cmd {

// Every long flag of `app` and of the commands above it (--help and --version aside) without
// its dashes, with its value as given or its default ("" for an unset flag without one;
// "true"/"false" for switches).
std::map<std::string, std::string> FlagValues(const CLI::App& app);

// The Prometheus API's success envelope: {"status":"success","data":<data>} as JSON.
void ApiSuccess(const nlohmann::json& data, http::Response& resp);

void AddStatusEndpoints(http::Server& web, std::map<std::string, std::string> flags);

// The storage retention as Prometheus shows it: "15d", "512MiB" or "15d or 512MiB" (0 for
// either: not set).
std::string RetentionString(int64_t retention_ms, int64_t retention_bytes);

// The runtime information now: the process's, the last reload of `config` and the WAL
// corruptions of `db`.
http::api::RuntimeInfo RuntimeInfoNow(const ConfigRuntime& config, const tsdb::DB& db,
                                      absl::Time start_time, const std::string& storage_retention);

// The head's cardinality statistics (top 10 of each list).
http::api::TsdbStatus TsdbStatusOf(const tsdb::DB& db);

}  // namespace argus::cmd
