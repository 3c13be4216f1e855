#include "metrics/family.h"

#include <algorithm>

#include "base/check.h"
#include "metrics/text_format.h"

namespace argus::metrics {
namespace {

using Labels = std::vector<std::pair<std::string, std::string>>;

void AppendSamples(const std::string& name, const Labels& labels, const Counter& c,
                   const std::vector<double>&, std::vector<Sample>* out) {
  out->push_back({name, labels, c.Value()});
}

void AppendSamples(const std::string& name, const Labels& labels, const Gauge& g,
                   const std::vector<double>&, std::vector<Sample>* out) {
  out->push_back({name, labels, g.Value()});
}

void AppendSamples(const std::string& name, const Labels& labels, const Histogram& h,
                   const std::vector<double>& bounds, std::vector<Sample>* out) {
  Histogram::Snapshot s = h.Read();
  for (size_t i = 0; i <= bounds.size(); ++i) {
    Labels with_le = labels;
    with_le.emplace_back("le", i < bounds.size() ? FormatValue(bounds[i]) : "+Inf");
    out->push_back({name + "_bucket", std::move(with_le), static_cast<double>(s.cumulative[i])});
  }
  out->push_back({name + "_sum", labels, s.sum});
  out->push_back({name + "_count", labels, static_cast<double>(s.cumulative.back())});
}

template <typename M>
constexpr MetricType TypeOf() {
  if constexpr (std::is_same_v<M, Counter>) return MetricType::kCounter;
  if constexpr (std::is_same_v<M, Gauge>) return MetricType::kGauge;
  return MetricType::kHistogram;
}

}  // namespace

template <typename M>
std::unique_ptr<M> MetricVec<M>::NewChild() const {
  if constexpr (std::is_same_v<M, Histogram>) {
    return std::make_unique<Histogram>(&bounds_);
  } else {
    return std::make_unique<M>();
  }
}

template <typename M>
M& MetricVec<M>::WithLabelValues(std::initializer_list<absl::string_view> values) {
  return WithLabelValues(std::vector<std::string>(values.begin(), values.end()));
}

template <typename M>
M& MetricVec<M>::WithLabelValues(const std::vector<std::string>& values) {
  ARGUS_CHECK(values.size() == label_names_.size(), "label value count must match label names");
  std::lock_guard<std::mutex> lock(mu_);
  std::unique_ptr<M>& child = children_[values];
  if (child == nullptr) child = NewChild();
  return *child;
}

template <typename M>
FamilySnapshot MetricVec<M>::Collect() const {
  FamilySnapshot snap{name_, help_, TypeOf<M>(), {}};
  // Keys are copied (a rehash moves them); children are heap cells that are never removed, so
  // their pointers stay valid after the lock is released.
  std::vector<std::pair<std::vector<std::string>, const M*>> children;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [values, child] : children_) children.emplace_back(values, child.get());
  }
  std::sort(children.begin(), children.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (const auto& [values, child] : children) {
    Labels labels;
    for (size_t i = 0; i < label_names_.size(); ++i) {
      labels.emplace_back(label_names_[i], values[i]);
    }
    AppendSamples(name_, labels, *child, bounds_, &snap.samples);
  }
  return snap;
}

template class MetricVec<Counter>;
template class MetricVec<Gauge>;
template class MetricVec<Histogram>;

}  // namespace argus::metrics
