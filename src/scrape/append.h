// One scrape's way into storage (Prometheus v2.42's scrapeLoop.append, report and
// reportStale): parse the body, give each series its stored labels, check limits, append, and
// mark series the target stopped exposing as stale; then the synthetic series (up,
// scrape_duration_seconds, ...). The scrape loop owns the appender and commits or rolls back.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "model/labels/labels.h"
#include "scrape/cache.h"
#include "storage/storage.h"

namespace argus::scrape {

// The stored labels of a scraped series (target labels merged, metric relabeling applied), or
// nullopt to drop it.
using SampleMutator = std::function<std::optional<labels::Labels>(const labels::Labels&)>;

struct AppendOptions {
  SampleMutator mutate;  // REQUIRED
  bool honor_timestamps = true;
  uint64_t sample_limit = 0;             // 0: none
  uint64_t label_limit = 0;              // labels per series; 0: none
  uint64_t label_name_length_limit = 0;  // 0: none
  uint64_t label_value_length_limit = 0;
};

struct AppendCounts {
  uint64_t total = 0;         // samples in the body (scrape_samples_scraped)
  uint64_t added = 0;         // after relabeling (scrape_samples_post_metric_relabeling)
  uint64_t series_added = 0;  // series new to the cache (scrape_series_added)
};

// Appends the samples of `body` at `t_ms` (or their own timestamps when honored) and stale
// markers for the series the previous scrape tracked and this one did not. An empty body is
// a failed scrape: it only marks everything stale. Samples the storage refuses as out of
// order, duplicate or out of bounds are skipped and counted in `counts`; anything else fails
// the whole scrape (the caller rolls the appender back): a malformed body (the parser's
// "line N: ..."), a series without a metric name or with invalid label names, a label limit,
// "sample limit exceeded" (the body is still counted to the end). The cache is advanced only
// on success.
absl::Status AppendScrape(absl::string_view body, absl::string_view content_type, int64_t t_ms,
                          const AppendOptions& opts, ScrapeCache& cache, storage::Appender& app,
                          AppendCounts* counts);

// The synthetic series of a scrape, labeled with `target`: up (1, or 0 when `scrape_error` is
// not OK), scrape_duration_seconds, scrape_samples_scraped, scrape_samples_post_metric_relabeling
// and scrape_series_added. Out-of-order and duplicate refusals are ignored (a target that comes
// back with a new loop).
absl::Status ReportScrape(const labels::Labels& target, int64_t t_ms, absl::Duration duration,
                          const AppendCounts& counts, const absl::Status& scrape_error,
                          ScrapeCache& cache, storage::Appender& app);
// Stale markers for the synthetic series of a target that went away.
absl::Status ReportStale(const labels::Labels& target, int64_t t_ms, ScrapeCache& cache,
                         storage::Appender& app);

}  // namespace argus::scrape
