#include "web/targets.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "base/hostport.h"
#include "base/units.h"

namespace argus::web {
namespace {

nlohmann::json LabelsJson(const labels::Labels& ls) {
  nlohmann::json out = nlohmann::json::object();
  for (const labels::Label& l : ls) out[l.name] = l.value;
  return out;
}

// Go's time.Time in JSON (RFC 3339 with nanoseconds, UTC); the zero time for "never".
std::string TimeJson(absl::Time t) {
  if (t == absl::InfinitePast()) return "0001-01-01T00:00:00Z";
  return absl::FormatTime("%Y-%m-%d%ET%H:%M:%E*SZ", t, absl::UTCTimeZone());
}

std::string Health(scrape::TargetHealth::State s) {
  switch (s) {
    case scrape::TargetHealth::State::kUp:
      return "up";
    case scrape::TargetHealth::State::kDown:
      return "down";
    case scrape::TargetHealth::State::kUnknown:
      break;
  }
  return "unknown";
}

bool Wanted(const TargetsQuery& q, const std::string& pool) {
  return q.pools.empty() || std::find(q.pools.begin(), q.pools.end(), pool) != q.pools.end();
}

}  // namespace

std::string GlobalUrl(const std::string& url, const GlobalUrlOptions& global) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  const size_t host_start = scheme_end + 3;
  const size_t host_end = std::min(url.find('/', host_start), url.size());
  absl::StatusOr<HostPort> hp = ParseHostPort(url.substr(host_start, host_end - host_start));
  if (!hp.ok() || (hp->host != "127.0.0.1" && hp->host != "localhost" && hp->host != "::1")) {
    return url;
  }
  const std::string port = absl::StrCat(hp->port);
  const std::string replacement =
      port == global.listen_port
          ? global.external_host
          : absl::StrCat(global.external_host.substr(0, global.external_host.rfind(':')), ":",
                         port);
  return absl::StrCat(url.substr(0, host_start), replacement, url.substr(host_end));
}

nlohmann::json TargetsData(const std::vector<scrape::Scraper::TargetStatus>& active,
                           const std::vector<scrape::Manager::Dropped>& dropped,
                           const TargetsQuery& q, const GlobalUrlOptions& global) {
  nlohmann::json out = {{"activeTargets", nlohmann::json::array()},
                        {"droppedTargets", nlohmann::json::array()}};
  if (q.state != "dropped") {
    std::vector<const scrape::Scraper::TargetStatus*> sorted;
    for (const auto& t : active) {
      if (Wanted(q, t.spec.pool)) sorted.push_back(&t);
    }
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto* a, const auto* b) { return a->spec.pool < b->spec.pool; });
    for (const auto* t : sorted) {
      out["activeTargets"].push_back({
          {"discoveredLabels", LabelsJson(t->spec.discovered)},
          {"labels", LabelsJson(t->spec.labels)},
          {"scrapePool", t->spec.pool},
          {"scrapeUrl", t->spec.request.url},
          {"globalUrl", GlobalUrl(t->spec.request.url, global)},
          {"lastError", t->health.last_error},
          {"lastScrape", TimeJson(t->health.last_scrape)},
          {"lastScrapeDuration", absl::ToDoubleSeconds(t->health.last_duration)},
          {"health", Health(t->health.state)},
          {"scrapeInterval", FormatPromDuration(absl::ToInt64Milliseconds(t->spec.interval))},
          {"scrapeTimeout", FormatPromDuration(absl::ToInt64Milliseconds(t->spec.request.timeout))},
      });
    }
  }
  if (q.state != "active") {
    for (const auto& d : dropped) {
      if (Wanted(q, d.pool)) {
        out["droppedTargets"].push_back({{"discoveredLabels", LabelsJson(d.discovered)}});
      }
    }
  }
  return out;
}

}  // namespace argus::web
