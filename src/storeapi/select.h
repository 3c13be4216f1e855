// The StoreAPI's rules over a Store, independent of gRPC (Thanos's store servers and
// ProxyStore in one): which sources a request reaches, external labels matched, stripped and
// added, results merged across sources in label order, replica labels removed, per-source
// failures as warnings or errors.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "model/labels/matcher.h"
#include "storeapi/budget.h"
#include "storeapi/source.h"

namespace argus::storeapi {

// What every StoreAPI call asks, in Argus's terms.
struct Request {
  int64_t min_time = 0;  // inclusive, ms
  int64_t max_time = 0;  // inclusive, ms
  std::vector<labels::Matcher> matchers;
  // ABORT (or the deprecated partial_response_disabled): a failing source fails the call;
  // otherwise it becomes a warning.
  bool abort_on_partial = false;
  // Labels removed from every answer (series then sorted without them).
  std::vector<std::string> without_replica_labels;
  int64_t limit = 0;  // at most this many series / names / values; 0 = all
};

struct SeriesAnswer {
  std::vector<tsdb::ChunkSeries> series;  // sorted by labels, external labels added
  std::vector<std::string> warnings;
};

// Series of `store` for `req`, sent to `sink` in label order; returns the warnings. When one
// source answers (and no replica labels are to be removed), series reach the sink as the
// source reads them (SeriesSource::Stream), so a server can send the first ones while it reads
// the rest; otherwise once all sources have answered. Errors: as SelectSeries, or the sink's.
absl::StatusOr<std::vector<std::string>> StreamSeries(const Store& store, const Request& req,
                                                      bool skip_chunks, QueryBudget* budget,
                                                      const tsdb::ChunkSeriesSink& sink);

// Series of `store` for `req`, all at once. Errors: InvalidArgument "no matchers specified
// (excluding external labels)" when the store requires matchers and none are left for a source;
// ResourceExhausted from `budget`; a source's error when abort_on_partial, prefixed with its
// name.
absl::StatusOr<SeriesAnswer> SelectSeries(const Store& store, const Request& req, bool skip_chunks,
                                          QueryBudget* budget);

struct StringsAnswer {
  std::vector<std::string> values;  // sorted, unique
  std::vector<std::string> warnings;
};

// Label names of the series `req` selects, with the sources' external label names.
absl::StatusOr<StringsAnswer> SelectLabelNames(const Store& store, const Request& req);
// Values of label `name` among them (a source's external label answers with its value).
absl::StatusOr<StringsAnswer> SelectLabelValues(const Store& store, const std::string& name,
                                                const Request& req);

// The time range the store's sources cover: {min, max}; {INT64_MAX, INT64_MIN} when none.
std::pair<int64_t, int64_t> TimeRange(const std::vector<SourceRef>& sources);

// The distinct non-empty external label sets of the sources (or the store's announced ones
// when it has no sources), sorted.
std::vector<labels::Labels> LabelSets(const Store& store, const std::vector<SourceRef>& sources);

}  // namespace argus::storeapi
