// Metric families: a name, help text, type and fixed label names, with one child metric per
// distinct combination of label values. Children are created on first use and live as long as
// the family, so callers resolve a child once and keep the reference for the hot path.
#pragma once

#include <functional>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "metrics/metric.h"

namespace argus::metrics {

enum class MetricType { kCounter, kGauge, kHistogram, kUntyped };

// One line of the text exposition: name{labels} value.
struct Sample {
  std::string name;
  std::vector<std::pair<std::string, std::string>> labels;
  double value = 0;
};

// Everything one family reports at a scrape.
struct FamilySnapshot {
  std::string name;
  std::string help;
  MetricType type = MetricType::kUntyped;
  std::vector<Sample> samples;
};

class Family {
 public:
  virtual ~Family() = default;
  virtual FamilySnapshot Collect() const = 0;
  virtual const std::string& name() const = 0;
};

// A family of metrics of kind M (Counter, Gauge or Histogram). Thread-safe.
template <typename M>
class MetricVec : public Family {
 public:
  // REQUIRES: valid metric and label names (the registry checks them).
  MetricVec(std::string name, std::string help, std::vector<std::string> label_names,
            std::vector<double> bounds = {})
      : name_(std::move(name)),
        help_(std::move(help)),
        label_names_(std::move(label_names)),
        bounds_(std::move(bounds)) {}

  // The child for these label values, in the order of the label names. Takes a lock and a map
  // lookup: resolve once, then keep the reference. REQUIRES: as many values as label names.
  M& WithLabelValues(std::initializer_list<absl::string_view> values);
  M& WithLabelValues(const std::vector<std::string>& values);

  FamilySnapshot Collect() const override;
  const std::string& name() const override { return name_; }

 private:
  std::unique_ptr<M> NewChild() const;

  const std::string name_;
  const std::string help_;
  const std::vector<std::string> label_names_;
  const std::vector<double> bounds_;  // histograms only
  mutable std::mutex mu_;
  absl::flat_hash_map<std::vector<std::string>, std::unique_ptr<M>> children_ ABSL_GUARDED_BY(mu_);
};

extern template class MetricVec<Counter>;
extern template class MetricVec<Gauge>;
extern template class MetricVec<Histogram>;

using CounterVec = MetricVec<Counter>;
using GaugeVec = MetricVec<Gauge>;
using HistogramVec = MetricVec<Histogram>;

}  // namespace argus::metrics
