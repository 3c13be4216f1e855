// Queries over the TSDB: postings for label matchers (Prometheus's PostingsForMatchers), one
// source per block and one for the head, merged into one label-sorted stream of series.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "model/labels/matcher.h"
#include "storage/storage.h"
#include "tsdb/block/block.h"
#include "tsdb/head/head.h"
#include "tsdb/index/postings.h"
#include "tsdb/querier/chunk_series.h"

namespace argus::tsdb {

// What PostingsForMatchers needs of an index (a block's or the head's).
class IndexView {
 public:
  virtual ~IndexView() = default;
  virtual absl::StatusOr<index::PostingsList> Postings(absl::string_view name,
                                                       absl::string_view value) const = 0;
  virtual absl::StatusOr<index::PostingsList> AllPostings() const = 0;
  // Every value of `name`, in any order.
  virtual std::vector<std::string> LabelValues(absl::string_view name) const = 0;
  virtual std::vector<std::string> LabelNames() const = 0;
  virtual absl::StatusOr<labels::Labels> SeriesLabels(uint64_t ref) const = 0;
};

std::unique_ptr<IndexView> BlockIndexView(const block::Block& b);
std::unique_ptr<IndexView> HeadIndexView(const head::Head& h);

// Refs of the series matching every matcher (all series for no matchers). A matcher that
// matches the empty string also selects series without the label, as in Prometheus.
absl::StatusOr<index::PostingsList> PostingsForMatchers(
    const IndexView& ix, const std::vector<labels::Matcher>& matchers);

// The label-sorted series of one block matching `matchers` (all for none) with chunks in
// [mint, maxt], tombstones applied.
absl::StatusOr<std::vector<ChunkSeries>> SelectBlock(const block::Block& b, int64_t mint,
                                                     int64_t maxt,
                                                     const std::vector<labels::Matcher>& matchers);
// The same for the head, as of one consistent moment (whole commits only).
absl::StatusOr<std::vector<ChunkSeries>> SelectHead(const head::Head& h, int64_t mint, int64_t maxt,
                                                    const std::vector<labels::Matcher>& matchers);

// Merges label-sorted lists: series present in several become one, chunks ordered by time.
std::vector<ChunkSeries> MergeChunkSeries(std::vector<std::vector<ChunkSeries>> sources);

// A storage::Querier over some blocks and optionally the head, for [mint, maxt]. Keeps the
// blocks open while it lives; the head must outlive it.
class TsdbQuerier : public storage::Querier {
 public:
  TsdbQuerier(std::vector<std::shared_ptr<block::Block>> blocks, const head::Head* head,
              int64_t mint, int64_t maxt)
      : blocks_(std::move(blocks)), head_(head), mint_(mint), maxt_(maxt) {}

  // The matching series with their raw chunks (what the StoreAPI sends), sorted by labels,
  // to `sink` as they are read: block by block in step (a block numbers its series in label
  // order), the head's collected and sorted first. Errors: a block's or the sink's.
  absl::Status StreamChunks(int64_t mint, int64_t maxt,
                            const std::vector<labels::Matcher>& matchers,
                            const ChunkSeriesSink& sink) const;
  // The same, all at once.
  absl::StatusOr<std::vector<ChunkSeries>> SelectChunks(
      int64_t mint, int64_t maxt, const std::vector<labels::Matcher>& matchers) const;

  std::unique_ptr<storage::SeriesSet> Select(bool sorted, const storage::SelectHints& hints,
                                             const std::vector<labels::Matcher>& matchers) override;
  absl::StatusOr<std::vector<std::string>> LabelValues(
      const std::string& name, const std::vector<labels::Matcher>& matchers) override;
  absl::StatusOr<std::vector<std::string>> LabelNames(
      const std::vector<labels::Matcher>& matchers) override;

 private:
  // One index view per source overlapping the range.
  std::vector<std::unique_ptr<IndexView>> Indexes() const;

  std::vector<std::shared_ptr<block::Block>> blocks_;
  const head::Head* head_;
  int64_t mint_, maxt_;
};

}  // namespace argus::tsdb
