// The local TSDB as a StoreAPI source (Thanos's TSDBStore): what `argus server` serves over
// gRPC, blocks and head alike, chunks as stored.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "storeapi/source.h"
#include "tsdb/db/db.h"

namespace argus::storeapi {

class TsdbSource : public SeriesSource {
 public:
  // `db` must outlive the source.
  explicit TsdbSource(tsdb::DB* db) : db_(db) {}

  absl::StatusOr<std::vector<tsdb::ChunkSeries>> Select(const SelectParams& params,
                                                        QueryBudget* budget) override;
  // Streams block series as it reads them (tsdb::TsdbQuerier::StreamChunks).
  absl::Status Stream(const SelectParams& params, QueryBudget* budget,
                      const tsdb::ChunkSeriesSink& sink) override;
  bool MayHaveLabel(const std::string& name) const override;
  absl::StatusOr<std::vector<std::string>> LabelNames(
      int64_t min_time, int64_t max_time, const std::vector<labels::Matcher>& matchers) override;
  absl::StatusOr<std::vector<std::string>> LabelValues(
      const std::string& name, int64_t min_time, int64_t max_time,
      const std::vector<labels::Matcher>& matchers) override;

  // The oldest time the TSDB holds (blocks and head); the present when it is empty, since
  // its data starts arriving then (so a querier asks it about the present at once).
  int64_t MinTime() const;

 private:
  tsdb::DB* db_;
};

}  // namespace argus::storeapi
