// The head's inverted index (Prometheus's MemPostings): for each label name and value the
// ascending refs of the series carrying it, plus the list of all refs.
#pragma once

#include <cstdint>
#include <shared_mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"
#include "tsdb/head/mem_series.h"
#include "tsdb/index/postings.h"

namespace argus::tsdb::head {

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

 private:
  static void Insert(index::PostingsList* list, uint64_t ref);

  mutable std::shared_mutex mu_;  // std::, see Head::visibility_mu_
  absl::flat_hash_map<absl::string_view,
                      absl::flat_hash_map<absl::string_view, index::PostingsList>>
      by_label_;
  index::PostingsList all_;
};

}  // namespace argus::tsdb::head
