// Relabeling as Prometheus v2.42 does it (model/relabel): rules that rewrite, keep or drop label
// sets, used for targets (relabel_configs) and for scraped series (metric_relabel_configs).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "model/labels/labels.h"
#include "re2/re2.h"
#include "yaml-cpp/yaml.h"

namespace argus {
class YamlDoc;
}

namespace argus::relabel {

enum class Action {
  kReplace,
  kKeep,
  kDrop,
  kKeepEqual,
  kDropEqual,
  kHashMod,
  kLabelMap,
  kLabelDrop,
  kLabelKeep,
  kLowercase,
  kUppercase
};

// One rule. Build with Config::Create (or ParseConfigs); the regex is compiled once.
struct Config {
  std::vector<std::string> source_labels;
  std::string separator = ";";
  std::string regex = "(.*)";  // as written; matched fully anchored, like "^(?:regex)$"
  uint64_t modulus = 0;
  std::string target_label;
  std::string replacement = "$1";
  Action action = Action::kReplace;
  std::shared_ptr<const RE2> compiled;  // set by Compile

  // Compiles `regex`. Errors: InvalidArgument naming the regex.
  absl::Status Compile();
};

// The label set after `rules`, or nullopt when a rule drops it (or it ends up empty). Labels
// set to an empty value are removed. REQUIRES: every rule compiled.
std::optional<labels::Labels> Process(const labels::Labels& lset, const std::vector<Config>& rules);

// Parses a YAML sequence of relabel rules (relabel_configs and the like) with Prometheus's
// defaults and checks; errors name file:line:col and the problem in Prometheus's words.
absl::StatusOr<std::vector<Config>> ParseConfigs(const YamlDoc& doc, const YAML::Node& seq);

}  // namespace argus::relabel
