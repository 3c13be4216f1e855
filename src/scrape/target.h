// From discovered targets to scrape targets (Prometheus v2.42's scrape/target.go): the scrape
// config's defaults become labels, target relabeling runs, the address gets its default port,
// and the result names the URL, interval and timeout of the target's loop.
#pragma once

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "config/scrape_config.h"
#include "model/labels/labels.h"
#include "scrape/scraper.h"

namespace argus::scrape {

struct PopulatedLabels {
  // The target's labels after relabeling, internal ones (__address__, __scheme__,
  // __metrics_path__, __param_*, __scrape_interval__, __scrape_timeout__) included and __meta_*
  // removed; empty when relabeling dropped the target.
  labels::Labels labels;
  // The labels relabeling saw (shown as discoveredLabels).
  labels::Labels discovered;
};

// PopulateLabels: `lset` (a discovered target's labels merged with its group's) completed with
// job, __scrape_interval__, __scrape_timeout__, __metrics_path__ and __scheme__ from `cfg` where
// unset, __param_<name> set to each param's first value, then relabeled; an address without a
// port gets :80 or :443; instance defaults to the address. Errors: InvalidArgument in
// Prometheus's words: "no address", "invalid scheme: ...", "\"x/y\" is not a valid hostname",
// "error parsing scrape interval: ...", "scrape interval cannot be 0", the same for the timeout,
// "scrape timeout cannot be greater than scrape interval (\"a\" > \"b\")", "invalid label value
// for \"n\": \"v\"".
absl::StatusOr<PopulatedLabels> PopulateLabels(const labels::Labels& lset,
                                               const config::ScrapeConfig& cfg);

// The public labels of a target: those whose names do not start with "__".
labels::Labels PublicLabels(const labels::Labels& populated);

// The URL a target is scraped at, as Go's url.URL prints it: scheme://address/path?query, the
// query being `cfg`'s params with each __param_<name> label replacing the first value of <name>
// (or adding it), keys sorted, escaped as url.Values.Encode.
std::string TargetURL(const labels::Labels& populated,
                      const std::map<std::string, std::vector<std::string>>& params);

// The scrape loop of a populated target: URL, interval and timeout from its labels, HTTP
// settings, limits, honor_* and metric relabeling from `cfg`. Credentials files (password_file,
// credentials_file) are read now; a file that cannot be read becomes the target's forced error,
// so the target shows it and reports up=0, as a failing scrape would in Prometheus. Settings
// the scraper cannot honor yet (oauth2, tls_config.server_name, proxy_connect_header) fail
// the target the same way rather than being ignored.
// REQUIRES: `populated` came from PopulateLabels without error and is not empty.
TargetSpec MakeTargetSpec(const labels::Labels& populated, const labels::Labels& discovered,
                          const config::ScrapeConfig& cfg);

}  // namespace argus::scrape
