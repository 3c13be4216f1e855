// A Store of one source: `argus server`'s local TSDB, or the sidecar's Prometheus. Its
// external labels and time range are asked for at each call, so they follow configuration
// reloads (server) and what Prometheus reports (sidecar).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "storeapi/source.h"

namespace argus::storeapi {

class SingleStore : public Store {
 public:
  struct Options {
    ComponentType type = ComponentType::kSidecar;
    std::string name;                // the source's name in warnings
    bool requires_matchers = false;  // see Store::RequiresMatchers
    // The external labels now; thread-safe.
    std::function<labels::Labels()> external;
    // The oldest time the source holds now (its data reaches to the present); thread-safe.
    std::function<int64_t()> min_time;
  };
  SingleStore(Options opts, std::shared_ptr<SeriesSource> source)
      : opts_(std::move(opts)), source_(std::move(source)) {}

  ComponentType type() const override { return opts_.type; }
  std::vector<SourceRef> Sources() const override;
  std::vector<labels::Labels> AnnouncedLabelSets() const override;
  bool RequiresMatchers() const override { return opts_.requires_matchers; }

 private:
  const Options opts_;
  const std::shared_ptr<SeriesSource> source_;
};

}  // namespace argus::storeapi
