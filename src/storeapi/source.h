// The seam between the StoreAPI server and what it serves (Thanos's storepb.StoreServer split
// in two): a SeriesSource answers for one body of data with no external labels of its own (the
// local TSDB, a Prometheus over remote read, one block in a bucket); a Store lists its sources
// with their external labels and time ranges. The gRPC layer (storeapi/server) applies the
// StoreAPI rules on top: external-label matching and overriding, sorting, merging across
// sources, batching, replica-label removal, limits and warnings.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "model/labels/labels.h"
#include "model/labels/matcher.h"
#include "storeapi/budget.h"
#include "tsdb/querier/chunk_series.h"

namespace argus::storeapi {

struct SelectParams {
  int64_t min_time = 0;  // inclusive, ms
  int64_t max_time = 0;  // inclusive, ms
  // Matchers on the source's own labels (those on external labels are already resolved);
  // never empty.
  std::vector<labels::Matcher> matchers;
  bool skip_chunks = false;  // labels only: series with no chunks
  // For sources that ask further stores (a querier's): the request's partial-response
  // strategy, and where the failures it turns into warnings go.
  bool abort_on_partial = false;
  std::vector<std::string>* warnings = nullptr;
};

// Thread-safe: a Series call selects several sources at once.
class SeriesSource {
 public:
  virtual ~SeriesSource() = default;
  // The series matching every matcher that have samples in [min_time, max_time], sorted by
  // labels, each with all of its chunks overlapping the range (chunks may reach outside it;
  // the client trims) in ascending min_time, as stored (no re-encoding). With skip_chunks, the
  // series with samples in the range, without chunks. Charges `budget` for series, samples and
  // the bytes it holds as it goes. Errors: ResourceExhausted from the budget; any other error
  // means this source is broken for the query (the server may turn it into a warning).
  virtual absl::StatusOr<std::vector<tsdb::ChunkSeries>> Select(const SelectParams& params,
                                                                QueryBudget* budget) = 0;
  // Select's series, in the same order, to `sink`: as the source reads them where it can (so
  // the first ones can be on their way while later ones are read), by default once Select has
  // them all. Errors: Select's, or the sink's (which stops the stream).
  virtual absl::Status Stream(const SelectParams& params, QueryBudget* budget,
                              const tsdb::ChunkSeriesSink& sink);
  // Whether some series of the source may have label `name` (true unless the source is sure).
  virtual bool MayHaveLabel(const std::string& /*name*/) const { return true; }
  // Sorted label names of series matching `matchers` (all series for none) with samples in
  // [min_time, max_time] (a source may answer for a wider range, as Prometheus does).
  virtual absl::StatusOr<std::vector<std::string>> LabelNames(
      int64_t min_time, int64_t max_time, const std::vector<labels::Matcher>& matchers) = 0;
  // Sorted values of label `name` among those series.
  virtual absl::StatusOr<std::vector<std::string>> LabelValues(
      const std::string& name, int64_t min_time, int64_t max_time,
      const std::vector<labels::Matcher>& matchers) = 0;
};

// A source as a store serves it.
struct SourceRef {
  std::shared_ptr<SeriesSource> source;
  labels::Labels external;  // added to (and overriding) every series' labels
  int64_t min_time = 0;     // the data's time range, inclusive
  int64_t max_time = 0;
  std::string name;  // for warnings and logs ("block 01H...", "prometheus http://...")
};

// Thanos's component types, as Info reports them.
enum class ComponentType { kSidecar, kStore, kQuery, kRule, kReceive };

class Store {
 public:
  virtual ~Store() = default;
  virtual ComponentType type() const = 0;
  // The sources as of now (a store gateway's change with every sync). Thread-safe.
  virtual std::vector<SourceRef> Sources() const = 0;
  // The external label sets Info announces when there are no sources yet (a sidecar whose
  // Prometheus has no data still announces its labels); empty by default.
  virtual std::vector<labels::Labels> AnnouncedLabelSets() const { return {}; }
  // Whether Series needs a matcher on non-external labels (the sidecar's rule: Prometheus
  // refuses a remote read without one).
  virtual bool RequiresMatchers() const { return false; }
};

}  // namespace argus::storeapi
