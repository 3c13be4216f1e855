#include "storeapi/source.h"

#include "base/status.h"

namespace argus::storeapi {

absl::Status SeriesSource::Stream(const SelectParams& params, QueryBudget* budget,
                                  const tsdb::ChunkSeriesSink& sink) {
  ASSIGN_OR_RETURN(std::vector<tsdb::ChunkSeries> all, Select(params, budget));
  for (tsdb::ChunkSeries& s : all) RETURN_IF_ERROR(sink(std::move(s)));
  return absl::OkStatus();
}

}  // namespace argus::storeapi
