// The storage the querier's PromQL engine and HTTP API read (Thanos's querier): every Select,
// LabelNames and LabelValues fans out to the endpoints that can hold matching data; series
// are merged and, with deduplication, replica labels removed and replicas deduplicated.
// Failing endpoints become warnings (partial response) or errors.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "query/dedup.h"
#include "query/endpoint_set.h"
#include "storage/storage.h"

namespace argus::query {

// One request's settings: the flags, overridden by its dedup, replicaLabels[] and
// partial_response parameters.
struct QueryOptions {
  bool dedup = true;
  std::vector<std::string> replica_labels;                 // --query.replica-label
  DedupFunc func = DedupFunc::kPenalty;                    // --deduplication.func
  bool partial_response = true;                            // --query.partial-response
  absl::Duration response_timeout = absl::ZeroDuration();  // --store.response-timeout
  absl::Time deadline = absl::InfiniteFuture();            // the request's
};

class FanoutQueryable final : public storage::Queryable {
 public:
  // `endpoints` must outlive the queryable and its queriers.
  FanoutQueryable(const EndpointSet* endpoints, QueryOptions opts)
      : endpoints_(endpoints), opts_(std::move(opts)) {}
  absl::StatusOr<std::unique_ptr<storage::Querier>> NewQuerier(int64_t mint, int64_t maxt) override;

 private:
  const EndpointSet* endpoints_;
  QueryOptions opts_;
};

// Label names or values of `endpoints` over [mint, maxt] (the union, sorted): `name` empty
// asks for names. Failures go to `warn` under partial response, else fail the call.
absl::StatusOr<std::vector<std::string>> FanoutLabels(
    const std::vector<std::shared_ptr<Endpoint>>& endpoints, const std::string& name, int64_t mint,
    int64_t maxt, const std::vector<labels::Matcher>& matchers,
    const std::vector<std::string>& without_replica_labels, bool partial_response,
    absl::Time deadline, const std::function<void(std::string)>& warn);

}  // namespace argus::query
