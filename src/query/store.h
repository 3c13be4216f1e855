// The querier's own StoreAPI (component type "query"), so queriers can be stacked: one source
// that fans out to the endpoints as queries do, without deduplication (an upper querier
// deduplicates with its own replica labels), announcing the endpoints' label sets and time
// range.
#pragma once

#include <memory>
#include <vector>

#include "absl/time/time.h"
#include "query/endpoint_set.h"
#include "storeapi/source.h"

namespace argus::query {

class FanoutStore final : public storeapi::Store {
 public:
  // `endpoints` must outlive the store. Each call ends within `timeout` (--query.timeout), and
  // waits on a silent endpoint at most `response_timeout` (0 = no limit).
  FanoutStore(const EndpointSet* endpoints, absl::Duration timeout,
              absl::Duration response_timeout);

  storeapi::ComponentType type() const override { return storeapi::ComponentType::kQuery; }
  std::vector<storeapi::SourceRef> Sources() const override;
  std::vector<labels::Labels> AnnouncedLabelSets() const override;

 private:
  const EndpointSet* endpoints_;
  std::shared_ptr<storeapi::SeriesSource> source_;
};

}  // namespace argus::query
