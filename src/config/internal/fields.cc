#include "config/internal/fields.h"

#include <filesystem>
#include <set>

#include "absl/strings/str_cat.h"
#include "base/status.h"
#include "base/units.h"
#include "metrics/registry.h"

namespace argus::config::internal {

YAML::Node Child(const YAML::Node& map, absl::string_view key) {
  if (!map.IsDefined() || !map.IsMap()) return YAML::Node();
  YAML::Node child = map[std::string(key)];
  return child.IsDefined() ? child : YAML::Node();
}

KeyList Concat(KeyList a, const KeyList& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

absl::Status CheckFields(const YamlDoc& doc, const YAML::Node& map, const KeyList& allowed,
                         absl::string_view type_name) {
  if (!map.IsDefined() || map.IsNull()) return absl::OkStatus();
  if (!map.IsMap()) return doc.Error(map, absl::StrCat("expected a mapping for ", type_name));
  std::set<std::string> seen;
  for (const auto& kv : map) {
    const std::string& key = kv.first.Scalar();
    bool known = false;
    for (absl::string_view a : allowed) known = known || a == key;
    if (!known) {
      return doc.Error(kv.first, absl::StrCat("field ", key, " not found in type ", type_name));
    }
    if (!seen.insert(key).second) {
      return doc.Error(kv.first, absl::StrCat("field ", key, " already set in type ", type_name));
    }
  }
  return absl::OkStatus();
}

absl::Status ReadDuration(const YamlDoc& doc, const YAML::Node& map, absl::string_view key,
                          int64_t* ms) {
  std::optional<std::string> text;
  ASSIGN_OR_RETURN(text, doc.Get<std::string>(map, key));
  if (!text.has_value()) return absl::OkStatus();
  absl::StatusOr<int64_t> parsed = ParsePromDuration(*text);
  if (!parsed.ok()) {
    return doc.Error(map[std::string(key)],
                     absl::StrCat("field ", key, ": ", parsed.status().message()));
  }
  *ms = *parsed;
  return absl::OkStatus();
}

namespace {

// The entries of map[key] (absent or null: none), each value checked by `read`.
template <typename F>
absl::Status ForEachEntry(const YamlDoc& doc, const YAML::Node& map, absl::string_view key,
                          F read) {
  if (!map.IsDefined() || !map.IsMap()) return absl::OkStatus();
  const YAML::Node node = map[std::string(key)];
  if (!node.IsDefined() || node.IsNull()) return absl::OkStatus();
  if (!node.IsMap()) return doc.Error(node, absl::StrCat("field ", key, ": expected a mapping"));
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) {
      return doc.Error(kv.first, absl::StrCat("field ", key, ": keys must be strings"));
    }
    RETURN_IF_ERROR(read(kv.first, kv.second));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ReadStringMap(const YamlDoc& doc, const YAML::Node& map, absl::string_view key,
                           std::map<std::string, std::string>* out) {
  return ForEachEntry(doc, map, key, [&](const YAML::Node& k, const YAML::Node& v) {
    if (!v.IsNull() && !v.IsScalar()) {
      return doc.Error(v, absl::StrCat("field ", key, ": values must be strings"));
    }
    (*out)[k.Scalar()] = v.IsNull() ? "" : v.Scalar();
    return absl::OkStatus();
  });
}

absl::Status ReadStringListMap(const YamlDoc& doc, const YAML::Node& map, absl::string_view key,
                               std::map<std::string, std::vector<std::string>>* out) {
  return ForEachEntry(doc, map, key, [&](const YAML::Node& k, const YAML::Node& v) {
    std::vector<std::string>& values = (*out)[k.Scalar()];
    if (v.IsNull()) return absl::OkStatus();
    if (!v.IsSequence()) {
      return doc.Error(v, absl::StrCat("field ", key, ": values must be lists of strings"));
    }
    for (const YAML::Node& item : v) {
      if (!item.IsScalar()) {
        return doc.Error(item, absl::StrCat("field ", key, ": values must be lists of strings"));
      }
      values.push_back(item.Scalar());
    }
    return absl::OkStatus();
  });
}

absl::StatusOr<labels::Labels> ReadLabelSet(const YamlDoc& doc, const YAML::Node& map,
                                            absl::string_view key) {
  std::vector<labels::Label> out;
  std::set<std::string> seen;
  RETURN_IF_ERROR(ForEachEntry(doc, map, key, [&](const YAML::Node& k, const YAML::Node& v) {
    const std::string& name = k.Scalar();
    if (!seen.insert(name).second) {
      return doc.Error(k, absl::StrCat("key \"", name, "\" already set in map"));
    }
    if (!metrics::IsValidLabelName(name)) {
      return doc.Error(k, absl::StrCat("\"", name, "\" is not a valid label name"));
    }
    if (!v.IsNull() && !v.IsScalar()) {
      return doc.Error(v, absl::StrCat("field ", key, ": label values must be strings"));
    }
    out.push_back({name, v.IsNull() ? "" : v.Scalar()});
    return absl::OkStatus();
  }));
  return labels::Labels::FromUnsorted(std::move(out));
}

absl::StatusOr<std::vector<YAML::Node>> ReadList(const YamlDoc& doc, const YAML::Node& map,
                                                 absl::string_view key) {
  std::vector<YAML::Node> out;
  if (!map.IsDefined() || !map.IsMap()) return out;
  const YAML::Node node = map[std::string(key)];
  if (!node.IsDefined() || node.IsNull()) return out;
  if (!node.IsSequence()) return doc.Error(node, absl::StrCat("field ", key, ": expected a list"));
  for (const YAML::Node& item : node) out.push_back(item);
  return out;
}

std::string JoinDir(const std::string& dir, const std::string& path) {
  if (path.empty() || path[0] == '/') return path;
  std::string joined = (std::filesystem::path(dir) / path).lexically_normal().string();
  // Go's filepath.Clean drops a trailing separator; lexically_normal keeps it.
  if (joined.size() > 1 && joined.back() == '/') joined.pop_back();
  return joined;
}

}  // namespace argus::config::internal
