// The metric metadata of one target as its scrapes expose it (# TYPE, # HELP and # UNIT; the
// metadata part of Prometheus v2.42's scrapeCache), behind /api/v1/metadata and
// /api/v1/targets/metadata. Keyed by the metric name the lines give (the family name: `foo`
// for an OpenMetrics counter `foo_total`, whatever 0.0.4 text writes). A family stays for 10
// successful scrapes after the last one that exposed it.
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "model/textparse/textparse.h"

namespace argus::scrape {

// One metric family's metadata.
struct MetricMetadata {
  std::string metric;
  textparse::MetricType type = textparse::MetricType::kUnknown;
  std::string help;
  std::string unit;
};

// One writer (the target's scrape loop) and any number of concurrent readers. A family first
// seen through HELP or UNIT has type unknown until a TYPE line sets it.
class MetadataStore {
 public:
  // Writer side: records what the current scrape exposes. The texts are copied only when
  // they differ from what is stored.
  void SetType(absl::string_view metric, textparse::MetricType type);
  void SetHelp(absl::string_view metric, absl::string_view help);
  void SetUnit(absl::string_view metric, absl::string_view unit);
  // Writer side: ends a successful scrape (or a forced cache flush): forgets the families the
  // last 11 such scrapes did not expose, then starts the next.
  void EndIter();

  // Reader side: every family, sorted by metric name.
  std::vector<MetricMetadata> List() const;
  // Reader side: the metadata of `metric`, if known.
  std::optional<MetricMetadata> Get(absl::string_view metric) const;

 private:
  struct Family {
    textparse::MetricType type = textparse::MetricType::kUnknown;
    std::string help;
    std::string unit;
    uint64_t last_iter = 0;  // the last scrape that exposed it; only the writer reads it
  };
  // The family of `metric`, created if new. Writer side.
  Family& Find(absl::string_view metric);

  mutable std::mutex mu_;
  // Changed under mu_; the writer reads it without the lock (it is the only one changing it).
  absl::flat_hash_map<std::string, Family> families_;
  uint64_t iter_ = 0;  // writer only
};

}  // namespace argus::scrape
