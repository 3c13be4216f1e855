#include "storeapi/tsdb_source.h"

#include <algorithm>
#include <limits>
#include <memory>

#include "absl/time/clock.h"
#include "base/status.h"

namespace argus::storeapi {

absl::Status TsdbSource::Stream(const SelectParams& params, QueryBudget* budget,
                                const tsdb::ChunkSeriesSink& sink) {
  // The querier keeps the blocks the chunk views point into open: each series holds it.
  std::shared_ptr<tsdb::TsdbQuerier> q = db_->ChunkQuerier(params.min_time, params.max_time);
  return q->StreamChunks(params.min_time, params.max_time, params.matchers,
                         [&](tsdb::ChunkSeries s) {
                           s.keepalive.push_back(q);
                           RETURN_IF_ERROR(ChargeSeries(&s, params.skip_chunks, budget));
                           return sink(std::move(s));
                         });
}

absl::StatusOr<std::vector<tsdb::ChunkSeries>> TsdbSource::Select(const SelectParams& params,
                                                                  QueryBudget* budget) {
  std::vector<tsdb::ChunkSeries> out;
  RETURN_IF_ERROR(Stream(params, budget, tsdb::AppendTo(&out)));
  return out;
}

bool TsdbSource::MayHaveLabel(const std::string& name) const {
  std::unique_ptr<tsdb::TsdbQuerier> q =
      db_->ChunkQuerier(std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max());
  absl::StatusOr<std::vector<std::string>> values = q->LabelValues(name, {});
  return !values.ok() || !values->empty();
}

absl::StatusOr<std::vector<std::string>> TsdbSource::LabelNames(
    int64_t min_time, int64_t max_time, const std::vector<labels::Matcher>& matchers) {
  return db_->ChunkQuerier(min_time, max_time)->LabelNames(matchers);
}

absl::StatusOr<std::vector<std::string>> TsdbSource::LabelValues(
    const std::string& name, int64_t min_time, int64_t max_time,
    const std::vector<labels::Matcher>& matchers) {
  return db_->ChunkQuerier(min_time, max_time)->LabelValues(name, matchers);
}

int64_t TsdbSource::MinTime() const {
  int64_t min = std::numeric_limits<int64_t>::max();
  for (const tsdb::block::BlockMeta& m : db_->Blocks()) min = std::min(min, m.min_time);
  if (!db_->head().empty()) min = std::min(min, db_->head().min_time());
  return min == std::numeric_limits<int64_t>::max() ? absl::ToUnixMillis(absl::Now()) : min;
}

}  // namespace argus::storeapi
