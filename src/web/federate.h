// /federate (Prometheus v2.42's web/federate.go): the latest sample of every series that
// matches any of the `match[]` selectors, as text exposition 0.0.4 with timestamps, so that
// another Prometheus can scrape it with honor_labels.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "model/labels/labels.h"
#include "storage/storage.h"

namespace argus::web {

// Prometheus's default --query.lookback-delta: older samples are not federated.
inline constexpr int64_t kLookbackDeltaMs = 5 * 60 * 1000;

// Renders the federation answer at `now_ms`. Series whose latest sample is a staleness marker,
// or that have no metric name, are left out. Each series gets the `external` labels it lacks,
// plus instance="" when it has no instance and no external instance (as v2.42 does), after its
// own labels. Families are "# TYPE <name> untyped", sorted by name. Errors: InvalidArgument
// for a selector that does not parse (HTTP 400); the storage's errors otherwise (500).
absl::StatusOr<std::string> Federate(storage::Queryable& storage,
                                     const std::vector<std::string>& selectors, int64_t now_ms,
                                     const labels::Labels& external);

}  // namespace argus::web
