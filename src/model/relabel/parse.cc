// Parsing relabel rules from YAML, with the checks of v2.42's Config.UnmarshalYAML.
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "base/status.h"
#include "base/yaml.h"
#include "metrics/registry.h"
#include "model/relabel/relabel.h"

namespace argus::relabel {
namespace {

constexpr std::pair<absl::string_view, Action> kActions[] = {
    {"replace", Action::kReplace},     {"keep", Action::kKeep},
    {"drop", Action::kDrop},           {"keepequal", Action::kKeepEqual},
    {"dropequal", Action::kDropEqual}, {"hashmod", Action::kHashMod},
    {"labelmap", Action::kLabelMap},   {"labeldrop", Action::kLabelDrop},
    {"labelkeep", Action::kLabelKeep}, {"lowercase", Action::kLowercase},
    {"uppercase", Action::kUppercase}};

// Prometheus's relabelTarget: label-name characters and $1 / ${name} references.
bool IsRelabelTarget(absl::string_view s) {
  static const RE2 re(R"(^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$)");
  return RE2::FullMatch(re2::StringPiece(s.data(), s.size()), re);
}

absl::StatusOr<Config> ParseOne(const YamlDoc& doc, const YAML::Node& node) {
  RETURN_IF_ERROR(doc.CheckKeys(
      node,
      {"source_labels", "separator", "regex", "modulus", "target_label", "replacement", "action"},
      "relabel.plain"));
  Config c;
  RETURN_IF_ERROR(doc.Read(node, "source_labels", &c.source_labels));
  RETURN_IF_ERROR(doc.Read(node, "separator", &c.separator));
  RETURN_IF_ERROR(doc.Read(node, "regex", &c.regex));
  RETURN_IF_ERROR(doc.Read(node, "modulus", &c.modulus));
  RETURN_IF_ERROR(doc.Read(node, "target_label", &c.target_label));
  RETURN_IF_ERROR(doc.Read(node, "replacement", &c.replacement));
  std::string action = "replace";
  RETURN_IF_ERROR(doc.Read(node, "action", &action));
  for (const std::string& l : c.source_labels) {
    if (!metrics::IsValidLabelName(l)) {
      return doc.Error(node["source_labels"],
                       absl::StrCat("\"", l, "\" is not a valid label name"));
    }
  }
  auto fail = [&](const std::string& msg) { return doc.Error(node, msg); };
  if (action.empty()) return fail("relabel action cannot be empty");
  bool known = false;
  for (const auto& [name, a] : kActions) {
    if (absl::AsciiStrToLower(action) == name) {
      c.action = a;
      action = std::string(name);
      known = true;
    }
  }
  if (!known) return fail(absl::StrCat("unknown relabel action \"", action, "\""));
  if (absl::Status st = c.Compile(); !st.ok()) return doc.Error(node["regex"], st.message());

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
  if ((a == Action::kHashMod || casing || equal) && !metrics::IsValidLabelName(c.target_label)) {
    return fail(
        absl::StrCat("\"", c.target_label, "\" is invalid 'target_label' for ", action, " action"));
  }
  if (equal &&
      (node["regex"].IsDefined() || c.modulus != 0 || c.separator != ";" || replacement_set)) {
    return fail(absl::StrCat(action,
                             " action requires only 'source_labels' and `target_label`, and no "
                             "other fields"));
  }
  if ((a == Action::kLabelDrop || a == Action::kLabelKeep) &&
      (node["source_labels"].IsDefined() || !c.target_label.empty() || c.modulus != 0 ||
       c.separator != ";" || replacement_set)) {
    return fail(absl::StrCat(action, " action requires only 'regex', and no other fields"));
  }
  return c;
}

}  // namespace

absl::StatusOr<std::vector<Config>> ParseConfigs(const YamlDoc& doc, const YAML::Node& seq) {
  std::vector<Config> out;
  if (!seq.IsDefined() || seq.IsNull()) return out;
  if (!seq.IsSequence()) return doc.Error(seq, "relabel configs must be a list");
  for (const YAML::Node& n : seq) {
    ASSIGN_OR_RETURN(Config c, ParseOne(doc, n));
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace argus::relabel
