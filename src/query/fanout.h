// The querier's fan-out (Thanos's ProxyStore as the querier uses it): one Series call per
// endpoint that can hold matching data, all streaming at once into small bounded queues, merged
// k-way in label order; series with equal labels (HA replicas once the replica labels are gone,
// a sidecar and a store gateway serving the same block) become one series with all their
// chunks in min_time order, identical chunks once. Memory holds a few series per endpoint, not
// the answer. A failing or silent endpoint (nothing received for the response timeout) becomes
// a warning under partial response, else the error of the whole selection.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "model/labels/matcher.h"
#include "query/endpoint_set.h"
#include "tsdb/querier/chunk_series.h"

namespace argus::query {

struct FanoutRequest {
  int64_t min_time = 0;  // inclusive, ms
  int64_t max_time = 0;
  std::vector<labels::Matcher> matchers;
  // Removed from every series (deduplication): asked of endpoints that support it, removed
  // here from the answers of those that do not.
  std::vector<std::string> without_replica_labels;
  bool partial_response = true;  // WARN; false: ABORT
  bool skip_chunks = false;
  absl::Time deadline = absl::InfiniteFuture();
  absl::Duration response_timeout = absl::ZeroDuration();  // per endpoint; 0 = none
};

// Receives warnings as they happen. Thread-safe.
using WarningSink = std::function<void(std::string)>;

// The endpoints `req` can reach: their time range overlaps it and, when they announce label
// sets, one of them is compatible with the matchers on its labels. In the order of their label
// sets, so replica "0" comes before replica "1" and wins the penalty algorithm's ties, as when
// replicas are told apart by their labels.
std::vector<std::shared_ptr<Endpoint>> EndpointsFor(
    const std::vector<std::shared_ptr<Endpoint>>& endpoints, int64_t min_time, int64_t max_time,
    const std::vector<labels::Matcher>& matchers);

// The merged stream. Not thread-safe (its own threads receive).
class MergedSeries {
 public:
  // Starts a Series call on each of `endpoints`.
  MergedSeries(const std::vector<std::shared_ptr<Endpoint>>& endpoints, FanoutRequest req,
               WarningSink warn);
  // Cancels the calls still running and waits for their threads.
  ~MergedSeries();
  MergedSeries(const MergedSeries&) = delete;
  MergedSeries& operator=(const MergedSeries&) = delete;

  bool Next();
  // REQUIRES: Next() returned true. Valid until the next Next().
  const tsdb::ChunkSeries& At() const { return current_; }
  // At(), moved out (once per Next).
  tsdb::ChunkSeries Take() { return std::move(current_); }
  // At()'s chunks by the endpoint they came from, in endpoint order: the replicas that became
  // one series when their replica labels went stay apart here (each endpoint usually holds one
  // replica). Empty when one endpoint sent the series.
  const std::vector<std::vector<tsdb::ChunkView>>& parts() const { return parts_; }
  // An endpoint's failure under ABORT (prefixed with its address), or the deadline.
  absl::Status status() const { return status_; }

 private:
  class Stream;
  // Makes sure every live stream has a head series (or has ended); false on an error.
  bool FillHeads();

  FanoutRequest req_;
  WarningSink warn_;
  std::vector<std::unique_ptr<Stream>> streams_;
  tsdb::ChunkSeries current_;
  std::vector<std::vector<tsdb::ChunkView>> parts_;
  absl::Status status_;
};

// Merges series with equal labels into `into`: all chunks sorted by (min_time, max_time),
// identical chunks kept once, keepalives joined.
void MergeInto(tsdb::ChunkSeries from, tsdb::ChunkSeries* into);

}  // namespace argus::query
