// Prometheus v2.42's discovery package, the part every mechanism shares: the target group
// (targetgroup.Group), the Discoverer interface and the static provider (static_configs).
#pragma once

#include <functional>
#include <stop_token>
#include <string>
#include <vector>

#include "config/discovery.h"
#include "model/labels/labels.h"

namespace argus::discovery {

// One source's targets (targetgroup.Group). Each target is a label set holding at least
// __address__; `labels` apply to every target of the group (a target's own labels win).
struct Group {
  // Unique within a provider: "0", "1", ... for static_configs, "<path>:<index>" for file SD.
  std::string source;
  std::vector<labels::Labels> targets;
  labels::Labels labels;

  friend bool operator==(const Group&, const Group&) = default;
};

// A service discovery mechanism. Run is called once, on a thread of its own.
class Discoverer {
 public:
  // Receives groups; a group replaces the earlier one with the same source, and a group whose
  // targets went away arrives with its source and no targets. Thread-safe.
  using Sink = std::function<void(std::vector<Group>)>;

  virtual ~Discoverer() = default;

  // Sends, in one call, every group found at start (possibly none), then the groups that may
  // have changed, until `stop` is requested (or for good, when nothing can change any more).
  virtual void Run(std::stop_token stop, const Sink& send) = 0;
};

// The groups of a job's static_configs, which Prometheus coalesces into one provider: sources
// "0", "1", ... in order, each target {__address__="<target>"}.
std::vector<Group> StaticGroups(const std::vector<config::TargetGroup>& configs);

// Sends fixed groups once (Prometheus's StaticProvider).
class StaticDiscoverer : public Discoverer {
 public:
  explicit StaticDiscoverer(std::vector<Group> groups) : groups_(std::move(groups)) {}
  void Run(std::stop_token stop, const Sink& send) override;

 private:
  std::vector<Group> groups_;
};

}  // namespace argus::discovery
