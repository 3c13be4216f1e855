#include "tsdb/head/postings.h"

#include <algorithm>
#include <mutex>

#include "absl/strings/str_cat.h"

namespace argus::tsdb::head {

void MemPostings::Insert(index::PostingsList* list, uint64_t ref) {
  // Refs are handed out in increasing order, so the new one almost always goes last; series
  // created concurrently may arrive slightly out of order.
  list->push_back(ref);
  for (size_t i = list->size() - 1; i > 0 && (*list)[i - 1] > ref; --i) {
    std::swap((*list)[i - 1], (*list)[i]);
  }
}

void MemPostings::Add(uint64_t ref, const std::vector<InternedLabel>& labels) {
  std::unique_lock l(mu_);
  for (const auto& [n, v] : labels) Insert(&by_label_[*n][*v], ref);
  Insert(&all_, ref);
}

void MemPostings::Delete(
    const std::vector<std::pair<uint64_t, const std::vector<InternedLabel>*>>& series) {
  if (series.empty()) return;
  absl::flat_hash_set<uint64_t> dead;
  absl::flat_hash_map<absl::string_view, absl::flat_hash_set<absl::string_view>> touched;
  for (const auto& [ref, labels] : series) {
    dead.insert(ref);
    for (const auto& [n, v] : *labels) touched[*n].insert(*v);
  }
  auto drop = [&dead](index::PostingsList* list) {
    list->erase(std::remove_if(list->begin(), list->end(),
                               [&dead](uint64_t r) { return dead.contains(r); }),
                list->end());
  };
  std::unique_lock l(mu_);
  for (const auto& [name, values] : touched) {
    auto nit = by_label_.find(name);
    if (nit == by_label_.end()) continue;
    for (absl::string_view value : values) {
      auto vit = nit->second.find(value);
      if (vit == nit->second.end()) continue;
      drop(&vit->second);
      if (vit->second.empty()) nit->second.erase(vit);
    }
    if (nit->second.empty()) by_label_.erase(nit);
  }
  drop(&all_);
}

index::PostingsList MemPostings::Get(absl::string_view name, absl::string_view value) const {
  std::shared_lock l(mu_);
  auto nit = by_label_.find(name);
  if (nit == by_label_.end()) return {};
  auto vit = nit->second.find(value);
  return vit == nit->second.end() ? index::PostingsList{} : vit->second;
}

index::PostingsList MemPostings::All() const {
  std::shared_lock l(mu_);
  return all_;
}

std::vector<std::string> MemPostings::LabelNames() const {
  std::shared_lock l(mu_);
  std::vector<std::string> out;
  out.reserve(by_label_.size());
  for (const auto& [name, values] : by_label_) out.emplace_back(name);
  return out;
}

namespace {

using ViewCounts = std::vector<std::pair<absl::string_view, uint64_t>>;

// The `n` largest entries of `counts`, largest first, ties by name; only those are copied.
PostingsStats::Top TopN(ViewCounts counts, size_t n) {
  const auto larger = [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  };
  const size_t keep = std::min(n, counts.size());
  std::partial_sort(counts.begin(), counts.begin() + keep, counts.end(), larger);
  PostingsStats::Top top;
  top.reserve(keep);
  for (size_t i = 0; i < keep; ++i)
    top.emplace_back(std::string(counts[i].first), counts[i].second);
  return top;
}

}  // namespace

PostingsStats MemPostings::Stats(absl::string_view metric_label, size_t top) const {
  PostingsStats st;
  struct Pair {
    uint64_t series;
    absl::string_view name, value;
  };
  std::vector<Pair> pairs;  // named only once the top ones are known
  ViewCounts by_metric_name, values_by_name, bytes_by_name;
  std::shared_lock l(mu_);
  for (const auto& [name, values] : by_label_) {
    if (name.empty()) continue;
    values_by_name.emplace_back(name, values.size());
    st.num_label_pairs += values.size();
    const bool is_metric_name = name == metric_label;
    uint64_t bytes = 0;
    for (const auto& [value, refs] : values) {
      if (is_metric_name) by_metric_name.emplace_back(value, refs.size());
      pairs.push_back({refs.size(), name, value});
      bytes += value.size();
    }
    bytes_by_name.emplace_back(name, bytes);
  }
  const size_t keep = std::min(top, pairs.size());
  std::partial_sort(pairs.begin(), pairs.begin() + keep, pairs.end(),
                    [](const Pair& a, const Pair& b) {
                      if (a.series != b.series) return a.series > b.series;
                      return a.name != b.name ? a.name < b.name : a.value < b.value;
                    });
  for (size_t i = 0; i < keep; ++i) {
    st.series_by_label_pair.emplace_back(absl::StrCat(pairs[i].name, "=", pairs[i].value),
                                         pairs[i].series);
  }
  st.series_by_metric_name = TopN(std::move(by_metric_name), top);
  st.values_by_label_name = TopN(std::move(values_by_name), top);
  st.value_bytes_by_label_name = TopN(std::move(bytes_by_name), top);
  return st;
}

std::vector<std::string> MemPostings::LabelValues(absl::string_view name) const {
  std::shared_lock l(mu_);
  std::vector<std::string> out;
  auto nit = by_label_.find(name);
  if (nit == by_label_.end()) return out;
  out.reserve(nit->second.size());
  for (const auto& [value, refs] : nit->second) out.emplace_back(value);
  return out;
}

}  // namespace argus::tsdb::head
