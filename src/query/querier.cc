#include "query/querier.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/parallel.h"
#include "base/status.h"
#include "query/fanout.h"

namespace argus::query {
namespace {

// Label calls made at once.
constexpr size_t kParallelLabelCalls = 16;

// The querier's series: the merged fan-out, each series deduplicated as it is reached.
class DedupSeriesSet final : public storage::SeriesSet {
 public:
  DedupSeriesSet(std::unique_ptr<MergedSeries> merged, int64_t mint, int64_t maxt, DedupFunc func,
                 bool counter)
      : merged_(std::move(merged)), mint_(mint), maxt_(maxt), func_(func), counter_(counter) {}

  bool Next() override {
    if (!merged_->Next()) return false;
    current_.emplace(merged_->Take(), merged_->parts(), mint_, maxt_, func_, counter_);
    return true;
  }
  const storage::Series& At() const override { return *current_; }
  absl::Status status() const override { return merged_->status(); }

 private:
  std::unique_ptr<MergedSeries> merged_;
  const int64_t mint_, maxt_;
  const DedupFunc func_;
  const bool counter_;
  std::optional<DedupSeries> current_;
};

class FanoutQuerier final : public storage::Querier {
 public:
  FanoutQuerier(std::vector<std::shared_ptr<Endpoint>> endpoints, const QueryOptions& opts,
                int64_t mint, int64_t maxt)
      : endpoints_(std::move(endpoints)), opts_(opts), mint_(mint), maxt_(maxt) {}

  std::unique_ptr<storage::SeriesSet> Select(
      bool /*sorted: always*/, const storage::SelectHints& hints,
      const std::vector<labels::Matcher>& matchers) override {
    FanoutRequest req;
    req.min_time = std::max(hints.start, mint_);
    req.max_time = std::min(hints.end, maxt_);
    req.matchers = matchers;
    if (opts_.dedup) req.without_replica_labels = opts_.replica_labels;
    req.partial_response = opts_.partial_response;
    req.deadline = opts_.deadline;
    req.response_timeout = opts_.response_timeout;
    auto merged = std::make_unique<MergedSeries>(
        EndpointsFor(endpoints_, req.min_time, req.max_time, matchers), req, Sink());
    // Without deduplication only identical label sets meet (one replica served twice): their
    // samples are the same, so the chained merge is exact.
    const DedupFunc func = opts_.dedup ? opts_.func : DedupFunc::kChain;
    return std::make_unique<DedupSeriesSet>(std::move(merged), req.min_time, req.max_time, func,
                                            IsCounterFunc(hints.func));
  }

  absl::StatusOr<std::vector<std::string>> LabelValues(
      const std::string& name, const std::vector<labels::Matcher>& matchers) override {
    return Labels(name, matchers);
  }
  absl::StatusOr<std::vector<std::string>> LabelNames(
      const std::vector<labels::Matcher>& matchers) override {
    return Labels("", matchers);
  }

  std::vector<std::string> Warnings() const override {
    std::lock_guard<std::mutex> l(mu_);
    return warnings_;
  }

 private:
  WarningSink Sink() {
    return [this](std::string w) {
      std::lock_guard<std::mutex> l(mu_);
      if (std::find(warnings_.begin(), warnings_.end(), w) == warnings_.end()) {
        warnings_.push_back(std::move(w));
      }
    };
  }

  absl::StatusOr<std::vector<std::string>> Labels(const std::string& name,
                                                  const std::vector<labels::Matcher>& matchers) {
    const std::vector<std::string> none;
    const std::vector<std::string>& replica = opts_.dedup ? opts_.replica_labels : none;
    return FanoutLabels(EndpointsFor(endpoints_, mint_, maxt_, matchers), name, mint_, maxt_,
                        matchers, replica, opts_.partial_response, opts_.deadline, Sink());
  }

  const std::vector<std::shared_ptr<Endpoint>> endpoints_;
  const QueryOptions opts_;
  const int64_t mint_, maxt_;
  mutable std::mutex mu_;
  std::vector<std::string> warnings_;
};

template <typename Req>
void FillLabelRequest(int64_t mint, int64_t maxt, const std::vector<labels::Matcher>& matchers,
                      const std::vector<std::string>& without, bool partial, Req* req) {
  req->set_start(mint);
  req->set_end(maxt);
  req->set_partial_response_strategy(partial ? thanos::WARN : thanos::ABORT);
  storeapi::AppendWireMatchers(matchers, req->mutable_matchers());
  for (const std::string& l : without) req->add_without_replica_labels(l);
}

}  // namespace

absl::StatusOr<std::unique_ptr<storage::Querier>> FanoutQueryable::NewQuerier(int64_t mint,
                                                                              int64_t maxt) {
  return std::make_unique<FanoutQuerier>(endpoints_->Queryable(), opts_, mint, maxt);
}

absl::StatusOr<std::vector<std::string>> FanoutLabels(
    const std::vector<std::shared_ptr<Endpoint>>& endpoints, const std::string& name, int64_t mint,
    int64_t maxt, const std::vector<labels::Matcher>& matchers,
    const std::vector<std::string>& without_replica_labels, bool partial_response,
    absl::Time deadline, const std::function<void(std::string)>& warn) {
  const bool dropped = std::find(without_replica_labels.begin(), without_replica_labels.end(),
                                 name) != without_replica_labels.end();
  if (!name.empty() && dropped) return std::vector<std::string>{};
  std::vector<absl::StatusOr<storeapi::StringsReply>> got(endpoints.size());
  ParallelFor(endpoints.size(), kParallelLabelCalls, [&](size_t i) {
    storeapi::StoreClient& c = endpoints[i]->client();
    if (name.empty()) {
      thanos::LabelNamesRequest req;
      FillLabelRequest(mint, maxt, matchers, without_replica_labels, partial_response, &req);
      got[i] = c.LabelNames(req, deadline);
    } else {
      thanos::LabelValuesRequest req;
      req.set_label(name);
      FillLabelRequest(mint, maxt, matchers, without_replica_labels, partial_response, &req);
      got[i] = c.LabelValues(req, deadline);
    }
  });
  std::set<std::string> all;
  for (size_t i = 0; i < endpoints.size(); ++i) {
    const std::string& addr = endpoints[i]->address();
    if (!got[i].ok()) {
      if (!partial_response) return Annotate(got[i].status(), absl::StrCat("query ", addr));
      warn(absl::StrCat("query ", addr, ": ", got[i].status().message()));
      continue;
    }
    for (std::string& w : got[i]->warnings) warn(absl::StrCat(addr, ": ", w));
    all.insert(std::make_move_iterator(got[i]->values.begin()),
               std::make_move_iterator(got[i]->values.end()));
  }
  // Endpoints that cannot drop the replica labels themselves still list them.
  if (name.empty()) {
    for (const std::string& l : without_replica_labels) all.erase(l);
  }
  return std::vector<std::string>(all.begin(), all.end());
}

}  // namespace argus::query
