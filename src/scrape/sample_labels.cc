#include "scrape/sample_labels.h"

#include <algorithm>
#include <map>
#include <string>
#include <vector>

namespace argus::scrape {

labels::Labels MergeTargetLabels(const labels::Labels& exposed, const labels::Labels& target,
                                 bool honor_labels) {
  std::map<std::string, std::string> out;
  for (const labels::Label& l : exposed) out[l.name] = l.value;
  if (honor_labels) {
    for (const labels::Label& l : target) out.emplace(l.name, l.value);
  } else {
    std::vector<labels::Label> clashes;
    for (const labels::Label& l : target) {
      const absl::string_view old = exposed.Get(l.name);
      if (!old.empty()) clashes.push_back({l.name, std::string(old)});
      out[l.name] = l.value;
    }
    std::stable_sort(clashes.begin(), clashes.end(),
                     [](const auto& a, const auto& b) { return a.name.size() < b.name.size(); });
    for (size_t i = 0; i < clashes.size(); ++i) {
      std::string name = clashes[i].name;
      auto taken = [&](const std::string& n) {
        if (exposed.Has(n) || target.Has(n)) return true;
        for (size_t j = 0; j < i; ++j) {
          if (clashes[j].name == n) return true;
        }
        return false;
      };
      do {
        name = "exported_" + name;
      } while (taken(name));
      clashes[i].name = name;
    }
    for (labels::Label& l : clashes) out[l.name] = std::move(l.value);
  }
  std::vector<labels::Label> sorted;
  sorted.reserve(out.size());
  for (auto& [n, v] : out) {
    if (!v.empty()) sorted.push_back({n, std::move(v)});
  }
  return labels::Labels::FromSorted(std::move(sorted));
}

}  // namespace argus::scrape
