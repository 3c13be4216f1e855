#include "base/yaml.h"

#include "absl/strings/str_cat.h"
#include "base/env.h"

namespace argus {
namespace {

const char* TypeName(const std::string*) { return "string"; }
const char* TypeName(const bool*) { return "bool"; }
const char* TypeName(const int64_t*) { return "integer"; }
const char* TypeName(const uint64_t*) { return "non-negative integer"; }
const char* TypeName(const double*) { return "number"; }
const char* TypeName(const std::vector<std::string>*) { return "list of strings"; }

template <typename T>
bool Convert(const YAML::Node& node, T* out) {
  if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    if (!node.IsSequence()) return false;
    out->clear();
    for (const YAML::Node& item : node) {
      if (!item.IsScalar()) return false;
      out->push_back(item.Scalar());
    }
    return true;
  } else {
    if (!node.IsScalar()) return false;
    if constexpr (std::is_same_v<T, uint64_t>) {
      // yaml-cpp would wrap "-1" around to 2^64-1.
      if (!node.Scalar().empty() && node.Scalar()[0] == '-') return false;
    }
    return YAML::convert<T>::decode(node, *out);
  }
}

}  // namespace

absl::StatusOr<YamlDoc> YamlDoc::LoadFile(const std::string& path) {
  absl::StatusOr<std::string> text = Env::Default()->ReadFile(path);
  if (!text.ok()) return text.status();
  return Parse(*text, path);
}

absl::StatusOr<YamlDoc> YamlDoc::Parse(absl::string_view text, std::string source) {
  try {
    YAML::Node root = YAML::Load(std::string(text));
    return YamlDoc(std::move(root), std::move(source));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ":", e.mark.line + 1, ":", e.mark.column + 1, ": ", e.msg));
  }
}

absl::Status YamlDoc::Error(const YAML::Node& at, absl::string_view message) const {
  YAML::Mark mark = at.IsDefined() ? at.Mark() : YAML::Mark();
  if (mark.is_null()) return absl::InvalidArgumentError(absl::StrCat(source_, ": ", message));
  return absl::InvalidArgumentError(
      absl::StrCat(source_, ":", mark.line + 1, ":", mark.column + 1, ": ", message));
}

absl::Status YamlDoc::CheckKeys(const YAML::Node& map,
                                std::initializer_list<absl::string_view> allowed,
                                absl::string_view type_name) const {
  if (!map.IsDefined() || map.IsNull()) return absl::OkStatus();
  if (!map.IsMap()) return Error(map, absl::StrCat("expected a mapping for ", type_name));
  for (const auto& kv : map) {
    const std::string& key = kv.first.Scalar();
    bool known = false;
    for (absl::string_view a : allowed) known = known || a == key;
    if (!known) {
      return Error(kv.first, absl::StrCat("field ", key, " not found in type ", type_name));
    }
  }
  return absl::OkStatus();
}

template <typename T>
absl::StatusOr<std::optional<T>> YamlDoc::Get(const YAML::Node& map, absl::string_view key) const {
  if (!map.IsDefined() || !map.IsMap()) return std::optional<T>();
  const YAML::Node node = map[std::string(key)];
  if (!node.IsDefined() || node.IsNull()) return std::optional<T>();
  T value{};
  bool ok = false;
  try {
    ok = Convert(node, &value);
  } catch (const YAML::Exception&) {
    ok = false;
  }
  if (!ok) {
    std::string shown = node.IsScalar() ? absl::StrCat(" \"", node.Scalar(), "\"") : "";
    return Error(node, absl::StrCat("field ", key, ": cannot read", shown, " as a ",
                                    TypeName(static_cast<const T*>(nullptr))));
  }
  return std::optional<T>(std::move(value));
}

template absl::StatusOr<std::optional<std::string>> YamlDoc::Get(const YAML::Node&,
                                                                 absl::string_view) const;
template absl::StatusOr<std::optional<bool>> YamlDoc::Get(const YAML::Node&,
                                                          absl::string_view) const;
template absl::StatusOr<std::optional<int64_t>> YamlDoc::Get(const YAML::Node&,
                                                             absl::string_view) const;
template absl::StatusOr<std::optional<uint64_t>> YamlDoc::Get(const YAML::Node&,
                                                              absl::string_view) const;
template absl::StatusOr<std::optional<double>> YamlDoc::Get(const YAML::Node&,
                                                            absl::string_view) const;
template absl::StatusOr<std::optional<std::vector<std::string>>> YamlDoc::Get(
    const YAML::Node&, absl::string_view) const;

}  // namespace argus
