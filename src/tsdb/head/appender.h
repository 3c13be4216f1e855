// The head's storage::Appender (Prometheus's headAppender): checks each sample on Append,
// logs the batch to the WAL on Commit and only then applies it, under the head's visibility
// lock, so readers see all of a batch or none of it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "storage/storage.h"
#include "tsdb/head/head.h"
#include "tsdb/record/record.h"

namespace argus::tsdb::head {

// Not thread-safe; one batch at a time. Destroying it uncommitted rolls back.
class HeadAppender : public storage::Appender {
 public:
  // REQUIRES: `id` != 0 and distinct from every other live appender's.
  HeadAppender(Head* head, uint32_t id) : head_(head), id_(id) {}
  ~HeadAppender() override;

  absl::StatusOr<storage::SeriesRef> Append(storage::SeriesRef ref, const labels::Labels& lset,
                                            int64_t t, double v) override;
  void ExpectSamples(size_t n) override { samples_.reserve(n); }
  absl::Status Commit() override;
  absl::Status Rollback() override;

 private:
  struct Pending {
    MemSeries* series;
    int64_t t;
    double v;
  };
  // Encodes the series created by this batch plus any the head failed to log earlier (they
  // exist in the head whatever happens to the batch, so the WAL must have them).
  void EncodeNewSeries(std::vector<std::string>* records);
  // The last pending sample of `m` in this batch, or nullptr.
  const Pending* LastPending(const MemSeries* m);
  // Releases the samples' pins, applying them first when `apply`.
  void Finish(bool apply);

  Head* head_;
  uint32_t id_;
  int64_t min_valid_time_ = 0;
  bool started_ = false;
  std::vector<record::RefSeries> new_series_;
  std::vector<Pending> samples_;
  // Index of each series' last sample in samples_, built only once a batch holds a second
  // sample of some series (a scrape has one per series, so usually never).
  absl::flat_hash_map<const MemSeries*, size_t> last_index_;
  bool indexed_ = false;
};

}  // namespace argus::tsdb::head
