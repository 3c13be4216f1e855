#include "metrics/registry.h"

#include <algorithm>

#include "base/check.h"
#include "metrics/text_format.h"

namespace argus::metrics {

bool IsValidMetricName(absl::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
              (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

bool IsValidLabelName(absl::string_view name) {
  return IsValidMetricName(name) && name.find(':') == absl::string_view::npos;
}

template <typename V>
V& Registry::Add(std::unique_ptr<V> family, const std::vector<std::string>& label_names) {
  ARGUS_CHECK(IsValidMetricName(family->name()), family->name().c_str());
  for (const std::string& l : label_names) {
    ARGUS_CHECK(IsValidLabelName(l) && l.rfind("__", 0) != 0 && l != "le", l.c_str());
  }
  std::lock_guard<std::mutex> lock(mu_);
  for (const auto& f : families_) {
    ARGUS_CHECK(f->name() != family->name(), "metric registered twice");
  }
  V& ref = *family;
  families_.push_back(std::move(family));
  return ref;
}

Counter& Registry::AddCounter(const std::string& name, const std::string& help) {
  return AddCounterVec(name, help, {}).WithLabelValues({});
}

Gauge& Registry::AddGauge(const std::string& name, const std::string& help) {
  return AddGaugeVec(name, help, {}).WithLabelValues({});
}

Histogram& Registry::AddHistogram(const std::string& name, const std::string& help,
                                  std::vector<double> bounds) {
  return AddHistogramVec(name, help, {}, std::move(bounds)).WithLabelValues({});
}

CounterVec& Registry::AddCounterVec(const std::string& name, const std::string& help,
                                    std::vector<std::string> label_names) {
  auto v = std::make_unique<CounterVec>(name, help, label_names);
  return Add(std::move(v), label_names);
}

GaugeVec& Registry::AddGaugeVec(const std::string& name, const std::string& help,
                                std::vector<std::string> label_names) {
  auto v = std::make_unique<GaugeVec>(name, help, label_names);
  return Add(std::move(v), label_names);
}

HistogramVec& Registry::AddHistogramVec(const std::string& name, const std::string& help,
                                        std::vector<std::string> label_names,
                                        std::vector<double> bounds) {
  ARGUS_CHECK(std::is_sorted(bounds.begin(), bounds.end()), "histogram bounds must be sorted");
  auto v = std::make_unique<HistogramVec>(name, help, label_names, std::move(bounds));
  return Add(std::move(v), label_names);
}

void Registry::AddCollector(Collector collector) {
  std::lock_guard<std::mutex> lock(mu_);
  collectors_.push_back(std::move(collector));
}

std::vector<FamilySnapshot> Registry::Gather() const {
  std::vector<const Family*> families;
  std::vector<Collector> collectors;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& f : families_) families.push_back(f.get());
    collectors = collectors_;
  }
  std::vector<FamilySnapshot> out;
  for (const Family* f : families) out.push_back(f->Collect());
  for (const Collector& c : collectors) c(&out);
  std::sort(out.begin(), out.end(),
            [](const FamilySnapshot& a, const FamilySnapshot& b) { return a.name < b.name; });
  return out;
}

std::string Registry::ExpositionText() const { return WriteText(Gather()); }

}  // namespace argus::metrics
