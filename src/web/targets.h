// /api/v1/targets (Prometheus v2.42's web/api/v1 targets endpoint): the scrape targets with
// their discovered and final labels, URL, health, last error and timings, and the targets
// relabeling dropped.
#pragma once

#include <string>
#include <vector>

#include "nlohmann/json.hpp"
#include "scrape/manager.h"

namespace argus::web {

struct TargetsQuery {
  std::string state = "any";       // "active", "dropped" or "any" (anything else: any)
  std::vector<std::string> pools;  // scrapePool filter; empty: all
};

// Where this server is reachable from outside, to rewrite targets on localhost into globalUrl:
// a target on this server's own port gets `external_host` (host:port), one on another local
// port gets the external host name with its own port.
struct GlobalUrlOptions {
  std::string external_host;  // e.g. "myhost:9090"
  std::string listen_port;    // e.g. "9090"
};

// The "data" object: {"activeTargets":[...],"droppedTargets":[...]}, pools in name order.
nlohmann::json TargetsData(const std::vector<scrape::Scraper::TargetStatus>& active,
                           const std::vector<scrape::Manager::Dropped>& dropped,
                           const TargetsQuery& q, const GlobalUrlOptions& global);

// The URL with a loopback host (localhost, 127.0.0.1, ::1) replaced as described above.
std::string GlobalUrl(const std::string& url, const GlobalUrlOptions& global);

}  // namespace argus::web
