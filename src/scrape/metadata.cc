#include "scrape/metadata.h"

#include <algorithm>

namespace argus::scrape {
namespace {

// How many successful scrapes a family outlives its last exposure (as v2.42).
constexpr uint64_t kKeepIters = 10;

}  // namespace

MetadataStore::Family& MetadataStore::Find(absl::string_view metric) {
  auto it = families_.find(metric);
  if (it == families_.end()) {
    std::lock_guard l(mu_);
    it = families_.try_emplace(metric).first;
  }
  it->second.last_iter = iter_;
  return it->second;
}

void MetadataStore::SetType(absl::string_view metric, textparse::MetricType type) {
  Family& f = Find(metric);
  if (f.type == type) return;
  std::lock_guard l(mu_);
  f.type = type;
}

void MetadataStore::SetHelp(absl::string_view metric, absl::string_view help) {
  Family& f = Find(metric);
  if (f.help == help) return;
  std::lock_guard l(mu_);
  f.help.assign(help.data(), help.size());
}

void MetadataStore::SetUnit(absl::string_view metric, absl::string_view unit) {
  Family& f = Find(metric);
  if (f.unit == unit) return;
  std::lock_guard l(mu_);
  f.unit.assign(unit.data(), unit.size());
}

void MetadataStore::EndIter() {
  const auto old = [this](const auto& kv) { return iter_ - kv.second.last_iter > kKeepIters; };
  if (std::any_of(families_.begin(), families_.end(), old)) {
    std::lock_guard l(mu_);
    absl::erase_if(families_, old);
  }
  ++iter_;
}

std::vector<MetricMetadata> MetadataStore::List() const {
  std::vector<MetricMetadata> out;
  {
    std::lock_guard l(mu_);
    out.reserve(families_.size());
    for (const auto& [metric, f] : families_) out.push_back({metric, f.type, f.help, f.unit});
  }
  std::sort(out.begin(), out.end(),
            [](const MetricMetadata& a, const MetricMetadata& b) { return a.metric < b.metric; });
  return out;
}

std::optional<MetricMetadata> MetadataStore::Get(absl::string_view metric) const {
  std::lock_guard l(mu_);
  auto it = families_.find(metric);
  if (it == families_.end()) return std::nullopt;
  return MetricMetadata{it->first, it->second.type, it->second.help, it->second.unit};
}

}  // namespace argus::scrape
