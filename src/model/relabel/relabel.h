// Relabeling as Prometheus v2.42 does it (model/relabel): rules that rewrite, keep or drop label
// sets, used for targets (relabel_configs) and for scraped series (metric_relabel_configs).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "model/labels/labels.h"
#include "yaml-cpp/yaml.h"

namespace argus {
class YamlDoc;
}

namespace argus::relabel {

enum class Action {
  kReplace,    // target_label (expanded) = replacement (expanded) when regex matches
  kKeep,       // drop unless regex matches the joined source values
  kDrop,       // drop when regex matches the joined source values
  kKeepEqual,  // drop unless target_label's value equals the joined source values
  kDropEqual,  // drop when target_label's value equals the joined source values
  kHashMod,    // target_label = md5(joined source values) % modulus
  kLabelMap,   // copy each label whose name matches to the expanded replacement name
  kLabelDrop,  // remove labels whose name matches
  kLabelKeep,  // remove labels whose name does not match
  kLowercase,  // target_label = lowercased joined source values
  kUppercase   // target_label = uppercased joined source values
};

// The action's name as written in YAML ("replace", "labelmap", ...).
absl::string_view ActionName(Action a);

// One rule, with v2.42's defaults. Fill the fields, then Compile (ParseConfigs does both);
// copies share the compiled form. Immutable once compiled, so thread-safe to Process with.
struct Config {
  std::vector<std::string> source_labels;
  std::string separator = ";";
  std::string regex = "(.*)";  // Go syntax as written; matched as "^(?:regex)$"
  uint64_t modulus = 0;
  std::string target_label;
  std::string replacement = "$1";
  Action action = Action::kReplace;

  // Compiles `regex` and the target_label and replacement templates. Call again after changing
  // a field. Errors: InvalidArgument in Go's words ("error parsing regexp: ...").
  absl::Status Compile();

  struct Compiled;                           // defined in relabel.cc
  std::shared_ptr<const Compiled> compiled;  // set by Compile
};

// Applies `rules` in order. Returns the resulting label set, or nullopt when a rule drops it or
// nothing is left (how a scrape treats an empty series). As in Prometheus, once any rule runs,
// labels with an empty value are gone: input ones, and those a rule sets to "". Thread-safe.
// REQUIRES: every rule compiled.
std::optional<labels::Labels> Process(const labels::Labels& lset, const std::vector<Config>& rules);

// Parses a YAML sequence of rules (relabel_configs, metric_relabel_configs, ...) with v2.42's
// defaults and checks, each rule compiled; absent or null means none. `rule_kind` names a rule
// in the error for a null one, as config.go words it per section: "empty or null <rule_kind>"
// (e.g. "target relabeling rule in scrape config"). Errors: InvalidArgument
// "file:line:col: message" with Prometheus's message (unknown fields, invalid label names, bad
// regex, unknown action, and each action's required or forbidden fields).
absl::StatusOr<std::vector<Config>> ParseConfigs(const YamlDoc& doc, const YAML::Node& seq,
                                                 absl::string_view rule_kind);

}  // namespace argus::relabel
