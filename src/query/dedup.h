// Deduplication of HA replicas (Thanos's dedup package). The fan-out has merged every replica of
// a series into one tsdb::ChunkSeries (replica labels removed, identical chunks once); what is
// left to decide is which samples to keep where the replicas' chunks overlap:
// - chain: one sample per timestamp, the earliest chunk's (Prometheus's chained merge);
// - penalty: the replicas are told apart by endpoint (GroupReplicas) and each is split into
//   chains that do not overlap (Thanos's overlap split, for an endpoint that holds several
//   replicas, such as a store gateway), and the chains are merged pairwise: from the last emitted
//   timestamp lastT, each side advances to >= lastT + 1 + its penalty, the side with the earlier
//   sample wins (the first on ties), the other side's penalty becomes 2 * (t - lastT) (5 s before
//   the first sample) and the winner's 0. So a replica is followed until it has a gap, without
//   mixing two replicas' samples closer together than their own interval. For counters read by
//   rate, increase, irate or resets, switching to a replica whose counter is lower adds the
//   difference from then on, so the merged counter never drops (Thanos's counter adjustment).
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/strings/string_view.h"
#include "storage/storage.h"
#include "tsdb/querier/chunk_series.h"

namespace argus::query {

enum class DedupFunc { kPenalty, kChain };

// Whether the function a selector feeds reads counters (rate, increase, irate, resets).
bool IsCounterFunc(absl::string_view func);

// `chunks` (sorted by min_time) as chains of chunks that do not overlap: each chunk joins the
// first chain whose last chunk ends before it starts, or starts a new one.
std::vector<std::vector<tsdb::ChunkView>> SplitOverlapping(
    const std::vector<tsdb::ChunkView>& chunks);

// The replicas in `parts` (a series' chunks by the endpoint they came from, in endpoint order):
// an endpoint's chunks join the first group to which they add nothing overlapping (its chunks
// identical to the group's left out: the same replica's old blocks from a store gateway and its
// recent data from a sidecar are one replica), or make a group of their own, whole (another
// replica, deduplicated against the others as it is). Groups sorted by min_time.
std::vector<std::vector<tsdb::ChunkView>> GroupReplicas(
    const std::vector<std::vector<tsdb::ChunkView>>& parts);

// Merges `replicas` (iterators over one replica each, positioned before their first sample) by
// the penalty algorithm, pairwise in order (the first wins ties); with `counter`, applies the
// counter adjustment.
std::unique_ptr<storage::SampleIterator> NewPenaltyIterator(
    std::vector<std::unique_ptr<storage::SampleIterator>> replicas, bool counter);

// A series of the querier: `series`' samples in [mint, maxt], deduplicated by `func`; `parts`
// are its chunks by the endpoint they came from (MergedSeries::parts; empty: one endpoint).
class DedupSeries final : public storage::Series {
 public:
  DedupSeries(tsdb::ChunkSeries series, const std::vector<std::vector<tsdb::ChunkView>>& parts,
              int64_t mint, int64_t maxt, DedupFunc func, bool counter);
  const labels::Labels& labels() const override { return series_.labels; }
  std::unique_ptr<storage::SampleIterator> Iterator() const override;

 private:
  tsdb::ChunkSeries series_;
  std::vector<tsdb::ChunkSeries> replicas_;  // penalty with overlapping chunks only
  int64_t mint_, maxt_;
  bool counter_;
};

}  // namespace argus::query
