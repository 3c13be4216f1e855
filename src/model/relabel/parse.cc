// Parsing relabel rules from YAML with the checks and messages of v2.42's Config.UnmarshalYAML.
#include <optional>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/status.h"
#include "base/yaml.h"
#include "metrics/registry.h"
#include "model/relabel/relabel.h"
#include "re2/re2.h"

namespace argus::relabel {
namespace {

constexpr std::pair<absl::string_view, Action> kActions[] = {
    {"replace", Action::kReplace},     {"keep", Action::kKeep},
    {"drop", Action::kDrop},           {"keepequal", Action::kKeepEqual},
    {"dropequal", Action::kDropEqual}, {"hashmod", Action::kHashMod},
    {"labelmap", Action::kLabelMap},   {"labeldrop", Action::kLabelDrop},
    {"labelkeep", Action::kLabelKeep}, {"lowercase", Action::kLowercase},
    {"uppercase", Action::kUppercase}};

}  // namespace

absl::string_view ActionName(Action a) {
  for (const auto& [name, action] : kActions) {
    if (action == a) return name;
  }
  return "replace";
}

namespace {

// Prometheus's relabelTarget: label-name characters and $1 / ${name} references.
bool IsRelabelTarget(absl::string_view s) {
  static const RE2 re(R"(^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$)");
  return RE2::FullMatch(re2::StringPiece(s.data(), s.size()), re);
}

// Reads `key` like Read, except that an explicit null resets `out` to its zero value, as Go's
// YAML decoder does for a field over its default.
template <typename T>
absl::Status ReadNullable(const YamlDoc& doc, const YAML::Node& node, const char* key, T* out) {
  const YAML::Node v = node[key];
  if (v.IsDefined() && v.IsNull()) {
    *out = T();
    return absl::OkStatus();
  }
  return doc.Read(node, key, out);
}

// The fields whose own decoding fails at once in Go (label names, regex, action), checked in
// document order. A type error in them is returned through `deferred` (Go collects those and
// reports them after the whole rule is read). Sets `action` to "" for a null action.
absl::Status ReadCheckedFields(const YamlDoc& doc, const YAML::Node& node, Config& c,
                               std::string& action, absl::Status& deferred) {
  for (const auto& kv : node) {
    const std::string key = kv.first.Scalar();
    absl::Status read;
    if (key == "source_labels") {
      read = ReadNullable(doc, node, "source_labels", &c.source_labels);
      for (size_t i = 0; read.ok() && i < c.source_labels.size(); ++i) {
        if (!metrics::IsValidLabelName(c.source_labels[i])) {
          return doc.Error(kv.second[i],
                           absl::StrCat("\"", c.source_labels[i], "\" is not a valid label name"));
        }
      }
    } else if (key == "regex") {
      read = ReadNullable(doc, node, "regex", &c.regex);  // null: the empty regex
      if (read.ok()) {
        if (absl::Status st = c.Compile(); !st.ok()) return doc.Error(kv.second, st.message());
      }
    } else if (key == "action") {
      read = ReadNullable(doc, node, "action", &action);
      if (read.ok() && !kv.second.IsNull()) {
        bool known = false;
        for (const auto& [name, a] : kActions) {
          if (absl::AsciiStrToLower(action) == name) {
            c.action = a;
            action = std::string(name);
            known = true;
          }
        }
        if (!known) {
          return doc.Error(kv.second, absl::StrCat("unknown relabel action \"", action, "\""));
        }
      }
    }
    if (!read.ok() && deferred.ok()) deferred = read;
  }
  return absl::OkStatus();
}

absl::StatusOr<Config> ParseOne(const YamlDoc& doc, const YAML::Node& node) {
  if (!node.IsMap()) return doc.Error(node, "a relabel rule must be a mapping");
  Config c;
  std::string action = "replace";
  absl::Status deferred;
  RETURN_IF_ERROR(ReadCheckedFields(doc, node, c, action, deferred));
  RETURN_IF_ERROR(doc.CheckKeys(
      node,
      {"source_labels", "separator", "regex", "modulus", "target_label", "replacement", "action"},
      "relabel.plain"));
  RETURN_IF_ERROR(deferred);
  RETURN_IF_ERROR(ReadNullable(doc, node, "separator", &c.separator));
  RETURN_IF_ERROR(ReadNullable(doc, node, "modulus", &c.modulus));
  RETURN_IF_ERROR(ReadNullable(doc, node, "target_label", &c.target_label));
  RETURN_IF_ERROR(ReadNullable(doc, node, "replacement", &c.replacement));
  RETURN_IF_ERROR(c.Compile());  // the templates, now that all fields are known

  auto fail = [&](const std::string& msg) { return doc.Error(node, msg); };
  if (action.empty()) return fail("relabel action cannot be empty");
  const Action a = c.action;
  const bool equal = a == Action::kKeepEqual || a == Action::kDropEqual;
  const bool casing = a == Action::kLowercase || a == Action::kUppercase;
  const bool replacement_set = c.replacement != "$1";
  if (a == Action::kHashMod && c.modulus == 0) {
    return fail("relabel configuration for hashmod requires non-zero modulus");
  }
  if ((a == Action::kReplace || a == Action::kHashMod || casing || equal) &&
      c.target_label.empty()) {
    return fail(absl::StrCat("relabel configuration for ", action,
                             " action requires 'target_label' value"));
  }
  if ((a == Action::kReplace || casing || equal) && !IsRelabelTarget(c.target_label)) {
    return fail(
        absl::StrCat("\"", c.target_label, "\" is invalid 'target_label' for ", action, " action"));
  }
  if ((casing || equal) && replacement_set) {
    return fail(absl::StrCat("'replacement' can not be set for ", action, " action"));
  }
  if (a == Action::kLabelMap && !IsRelabelTarget(c.replacement)) {
    return fail(
        absl::StrCat("\"", c.replacement, "\" is invalid 'replacement' for ", action, " action"));
  }
  if (a == Action::kHashMod && !metrics::IsValidLabelName(c.target_label)) {
    return fail(
        absl::StrCat("\"", c.target_label, "\" is invalid 'target_label' for ", action, " action"));
  }
  // Go compares the regex by identity with the default's, so any regex key counts as set.
  if (equal &&
      (node["regex"].IsDefined() || c.modulus != 0 || c.separator != ";" || replacement_set)) {
    return fail(absl::StrCat(action,
                             " action requires only 'source_labels' and `target_label`, and no "
                             "other fields"));
  }
  const YAML::Node sources = node["source_labels"];
  if ((a == Action::kLabelDrop || a == Action::kLabelKeep) &&
      ((sources.IsDefined() && !sources.IsNull()) || !c.target_label.empty() || c.modulus != 0 ||
       c.separator != ";" || replacement_set)) {
    return fail(absl::StrCat(action, " action requires only 'regex', and no other fields"));
  }
  return c;
}

}  // namespace

absl::StatusOr<std::vector<Config>> ParseConfigs(const YamlDoc& doc, const YAML::Node& seq,
                                                 absl::string_view rule_kind) {
  std::vector<Config> out;
  if (!seq.IsDefined() || seq.IsNull()) return out;
  if (!seq.IsSequence()) return doc.Error(seq, "relabel configs must be a list");
  std::optional<YAML::Node> null_rule;  // reported after the others, as config.go checks
  for (const YAML::Node& n : seq) {
    if (n.IsNull()) {
      if (!null_rule.has_value()) null_rule = n;
      continue;
    }
    ASSIGN_OR_RETURN(Config c, ParseOne(doc, n));
    out.push_back(std::move(c));
  }
  if (null_rule.has_value()) {
    return doc.Error(*null_rule, absl::StrCat("empty or null ", rule_kind));
  }
  return out;
}

}  // namespace argus::relabel
