// The head's inverted index (Prometheus's MemPostings): for each label name and value the
// ascending refs of the series carrying it, plus the list of all refs.
#pragma once

#include <cstdint>
#include <shared_mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "tsdb/head/mem_series.h"
#include "tsdb/index/postings.h"

namespace argus::tsdb::head {

// Cardinality of the index (Prometheus's index.PostingsStats), each list the `top` largest
// (name, count), largest first, ties by name.
struct PostingsStats {
  using Top = std::vector<std::pair<std::string, uint64_t>>;
  Top series_by_metric_name;      // series per value of the metric-name label
  Top values_by_label_name;       // distinct values per label name
  Top value_bytes_by_label_name;  // total length of those distinct values
  Top series_by_label_pair;       // series per "name=value"
  uint64_t num_label_pairs = 0;   // distinct name=value pairs
};

// Thread-safe. Keys are views of interned strings: a series' strings must stay interned until
// it is deleted from here.
class MemPostings {
 public:
  void Add(uint64_t ref, const std::vector<InternedLabel>& labels);
  // Removes the given series (with their labels) from every list.
  void Delete(const std::vector<std::pair<uint64_t, const std::vector<InternedLabel>*>>& series);

  index::PostingsList Get(absl::string_view name, absl::string_view value) const;
  index::PostingsList All() const;
  std::vector<std::string> LabelNames() const;
  // Unsorted.
  std::vector<std::string> LabelValues(absl::string_view name) const;
  // For /api/v1/status/tsdb; `metric_label` names the label counted in series_by_metric_name.
  PostingsStats Stats(absl::string_view metric_label, size_t top) const;

 private:
  static void Insert(index::PostingsList* list, uint64_t ref);

  mutable std::shared_mutex mu_;  // std::, see Head::visibility_mu_
  absl::flat_hash_map<absl::string_view,
                      absl::flat_hash_map<absl::string_view, index::PostingsList>>
      by_label_;
  index::PostingsList all_;
};

}  // namespace argus::tsdb::head
