// The self-instrumentation registry: each component registers its metric families here once at
// start-up and /metrics renders them. Components receive the Registry by reference (as Thanos
// components receive a prometheus.Registerer); tests make their own.
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/strings/string_view.h"
#include "metrics/family.h"

namespace argus::metrics {

// Produces families whose values are read at scrape time (process statistics, sizes of
// in-memory structures). Called with no registry lock held; must be thread-safe.
using Collector = std::function<void(std::vector<FamilySnapshot>* out)>;

// Thread-safe. Registration is start-up work: each Add* takes a lock. Names must be valid
// Prometheus metric / label names and unique in the registry; breaking that is a programming
// error and aborts with a message.
class Registry {
 public:
  Counter& AddCounter(const std::string& name, const std::string& help);
  Gauge& AddGauge(const std::string& name, const std::string& help);
  Histogram& AddHistogram(const std::string& name, const std::string& help,
                          std::vector<double> bounds);
  CounterVec& AddCounterVec(const std::string& name, const std::string& help,
                            std::vector<std::string> label_names);
  GaugeVec& AddGaugeVec(const std::string& name, const std::string& help,
                        std::vector<std::string> label_names);
  HistogramVec& AddHistogramVec(const std::string& name, const std::string& help,
                                std::vector<std::string> label_names, std::vector<double> bounds);
  void AddCollector(Collector collector);

  // All families, sorted by name.
  std::vector<FamilySnapshot> Gather() const;
  // Gather() in the text exposition format.
  std::string ExpositionText() const;

 private:
  template <typename V>
  V& Add(std::unique_ptr<V> family, const std::vector<std::string>& label_names);

  mutable std::mutex mu_;
  std::vector<std::unique_ptr<Family>> families_ ABSL_GUARDED_BY(mu_);
  std::vector<Collector> collectors_ ABSL_GUARDED_BY(mu_);
};

// Valid per the data model: metric [a-zA-Z_:][a-zA-Z0-9_:]*, label [a-zA-Z_][a-zA-Z0-9_]*.
bool IsValidMetricName(absl::string_view name);
bool IsValidLabelName(absl::string_view name);

}  // namespace argus::metrics
