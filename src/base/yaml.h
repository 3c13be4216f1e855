// The one boundary where yaml-cpp (which throws) meets the rest of Argus (which returns Status).
// Every error names the source, line and column, and the key, like Prometheus's config errors:
//   "prometheus.yml:12:5: field scrape_interval: not a valid duration \"1x\"".
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "yaml-cpp/yaml.h"

namespace argus {

// A parsed YAML document and the name of where it came from. Cheap to copy (yaml-cpp nodes are
// shared handles). Not thread-safe: yaml-cpp nodes must not be read from two threads at once.
class YamlDoc {
 public:
  // Reads and parses a file. Errors: NotFound / PermissionDenied for the file, InvalidArgument
  // "path:line:col: message" for a syntax error.
  static absl::StatusOr<YamlDoc> LoadFile(const std::string& path);
  // Parses text; `source` names it in errors (e.g. "--objstore.config").
  static absl::StatusOr<YamlDoc> Parse(absl::string_view text, std::string source);

  const YAML::Node& root() const { return root_; }
  const std::string& source() const { return source_; }

  // InvalidArgument "source:line:col: message", positioned at `at` (or the document start).
  absl::Status Error(const YAML::Node& at, absl::string_view message) const;

  // Fails on the first key of `map` that is not in `allowed` ("field x not found in type T",
  // Prometheus's wording), and when `map` is present but not a mapping. A null or absent node
  // passes (an empty section).
  absl::Status CheckKeys(const YAML::Node& map, std::initializer_list<absl::string_view> allowed,
                         absl::string_view type_name) const;

  // Reads `map[key]` as T (std::string, bool, int64_t, uint64_t, double, or a vector of one of
  // those). Absent or null: std::nullopt. Wrong type: InvalidArgument naming the key and line.
  template <typename T>
  absl::StatusOr<std::optional<T>> Get(const YAML::Node& map, absl::string_view key) const;

  // Like Get, but stores into `out` only when the key is present; the default stays otherwise.
  template <typename T>
  absl::Status Read(const YAML::Node& map, absl::string_view key, T* out) const {
    absl::StatusOr<std::optional<T>> v = Get<T>(map, key);
    if (!v.ok()) return v.status();
    if (v->has_value()) *out = std::move(**v);
    return absl::OkStatus();
  }

 private:
  YamlDoc(YAML::Node root, std::string source)
      : root_(std::move(root)), source_(std::move(source)) {}

  YAML::Node root_;
  std::string source_;
};

// Explicit instantiations live in yaml.cc.
extern template absl::StatusOr<std::optional<std::string>> YamlDoc::Get(const YAML::Node&,
                                                                        absl::string_view) const;
extern template absl::StatusOr<std::optional<bool>> YamlDoc::Get(const YAML::Node&,
                                                                 absl::string_view) const;
extern template absl::StatusOr<std::optional<int64_t>> YamlDoc::Get(const YAML::Node&,
                                                                    absl::string_view) const;
extern template absl::StatusOr<std::optional<uint64_t>> YamlDoc::Get(const YAML::Node&,
                                                                     absl::string_view) const;
extern template absl::StatusOr<std::optional<double>> YamlDoc::Get(const YAML::Node&,
                                                                   absl::string_view) const;
extern template absl::StatusOr<std::optional<std::vector<std::string>>> YamlDoc::Get(
    const YAML::Node&, absl::string_view) const;

}  // namespace argus
