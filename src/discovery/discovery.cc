#include "discovery/discovery.h"

#include <utility>

namespace argus::discovery {

std::vector<Group> StaticGroups(const std::vector<config::TargetGroup>& configs) {
  std::vector<Group> out;
  out.reserve(configs.size());
  for (size_t i = 0; i < configs.size(); ++i) {
    Group g;
    g.source = std::to_string(i);
    g.labels = configs[i].labels;
    g.targets.reserve(configs[i].targets.size());
    for (const std::string& t : configs[i].targets) g.targets.push_back({{"__address__", t}});
    out.push_back(std::move(g));
  }
  return out;
}

void StaticDiscoverer::Run(std::stop_token /*stop*/, const Sink& send) { send(groups_); }

}  // namespace argus::discovery
