#include "query/store.h"

#include <algorithm>
#include <limits>
#include <set>
#include <utility>

#include "base/status.h"
#include "query/fanout.h"
#include "query/querier.h"
#include "storeapi/budget.h"

namespace argus::query {
namespace {

class FanoutSource final : public storeapi::SeriesSource {
 public:
  FanoutSource(const EndpointSet* endpoints, absl::Duration timeout,
               absl::Duration response_timeout)
      : endpoints_(endpoints), timeout_(timeout), response_timeout_(response_timeout) {}

  absl::StatusOr<std::vector<tsdb::ChunkSeries>> Select(const storeapi::SelectParams& params,
                                                        storeapi::QueryBudget* budget) override {
    FanoutRequest req;
    req.min_time = params.min_time;
    req.max_time = params.max_time;
    req.matchers = params.matchers;
    req.partial_response = !params.abort_on_partial;
    req.skip_chunks = params.skip_chunks;
    req.deadline = absl::Now() + timeout_;
    req.response_timeout = response_timeout_;
    MergedSeries merged(
        EndpointsFor(endpoints_->Queryable(), req.min_time, req.max_time, req.matchers), req,
        [&params](std::string w) {
          if (params.warnings != nullptr) params.warnings->push_back(std::move(w));
        });
    std::vector<tsdb::ChunkSeries> out;
    while (merged.Next()) out.push_back(merged.Take());
    RETURN_IF_ERROR(merged.status());
    RETURN_IF_ERROR(storeapi::ChargeSelected(&out, params.skip_chunks, budget));
    return out;
  }

  absl::StatusOr<std::vector<std::string>> LabelNames(
      int64_t min_time, int64_t max_time, const std::vector<labels::Matcher>& matchers) override {
    return Labels("", min_time, max_time, matchers);
  }
  absl::StatusOr<std::vector<std::string>> LabelValues(
      const std::string& name, int64_t min_time, int64_t max_time,
      const std::vector<labels::Matcher>& matchers) override {
    return Labels(name, min_time, max_time, matchers);
  }

 private:
  // Without a place for warnings here, any failing endpoint fails the call.
  absl::StatusOr<std::vector<std::string>> Labels(const std::string& name, int64_t min_time,
                                                  int64_t max_time,
                                                  const std::vector<labels::Matcher>& matchers) {
    return FanoutLabels(EndpointsFor(endpoints_->Queryable(), min_time, max_time, matchers), name,
                        min_time, max_time, matchers, {}, false, absl::Now() + timeout_,
                        [](std::string) {});
  }

  const EndpointSet* endpoints_;
  const absl::Duration timeout_, response_timeout_;
};

}  // namespace

FanoutStore::FanoutStore(const EndpointSet* endpoints, absl::Duration timeout,
                         absl::Duration response_timeout)
    : endpoints_(endpoints),
      source_(std::make_shared<FanoutSource>(endpoints, timeout, response_timeout)) {}

std::vector<storeapi::SourceRef> FanoutStore::Sources() const {
  int64_t min = std::numeric_limits<int64_t>::max(), max = std::numeric_limits<int64_t>::min();
  for (const std::shared_ptr<Endpoint>& e : endpoints_->Queryable()) {
    const storeapi::EndpointInfo info = e->info();
    min = std::min(min, info.min_time);
    max = std::max(max, info.max_time);
  }
  if (min > max) return {};
  return {storeapi::SourceRef{source_, {}, min, max, "endpoints"}};
}

std::vector<labels::Labels> FanoutStore::AnnouncedLabelSets() const {
  std::set<labels::Labels> sets;
  for (const std::shared_ptr<Endpoint>& e : endpoints_->Queryable()) {
    for (labels::Labels& l : e->info().label_sets) sets.insert(std::move(l));
  }
  return {sets.begin(), sets.end()};
}

}  // namespace argus::query
