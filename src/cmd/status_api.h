// /api/v1/status/buildinfo and /api/v1/status/flags, answered as Prometheus answers them
// ({"status":"success","data":{...}}), for Grafana and the Thanos sidecar.
#pragma once

#include <map>
#include <string>

#include "CLI/CLI.hpp"
#include "http/server.h"
#include "nlohmann/json.hpp"

namespace argus::cmd {

// Every long flag of `app` and of the commands above it (--help and --version aside) without
// its dashes, with its value as given or its default ("" for an unset flag without one;
// "true"/"false" for switches).
std::map<std::string, std::string> FlagValues(const CLI::App& app);

// The Prometheus API's success envelope: {"status":"success","data":<data>} as JSON.
void ApiSuccess(const nlohmann::json& data, http::Response& resp);

void AddStatusEndpoints(http::Server& web, std::map<std::string, std::string> flags);

}  // namespace argus::cmd
