// Helpers shared by the config section parsers: strict key checks, durations, string maps,
// label sets, lists and path joining, each failing with "file:line:col: message" like the rest
// of YamlDoc.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/yaml.h"
#include "model/labels/labels.h"
#include "yaml-cpp/yaml.h"

namespace argus::config::internal {

using KeyList = std::vector<absl::string_view>;

// map[key], or a null node when `map` is not a mapping or lacks `key`. (yaml-cpp's own lookup
// gives an invalid node there, which throws when used.)
YAML::Node Child(const YAML::Node& map, absl::string_view key);

// `a` followed by `b`: the keys of a section that inlines another (the HTTP client fields).
KeyList Concat(KeyList a, const KeyList& b);

// Fails on the first key of `map` not in `allowed` ("field x not found in type T") or given twice
// ("field x already set in type T"), as Go's strict YAML decoder words them, and when `map` is
// present but not a mapping. A null or absent node passes (an empty section).
absl::Status CheckFields(const YamlDoc& doc, const YAML::Node& map, const KeyList& allowed,
                         absl::string_view type_name);

// Stores the Prometheus duration at map[key] into `*ms` when present. Errors: InvalidArgument
// "field key: not a valid duration string: ...".
absl::Status ReadDuration(const YamlDoc& doc, const YAML::Node& map, absl::string_view key,
                          int64_t* ms);

// Stores map[key], a mapping of strings to strings (headers, endpoint_params), when present.
absl::Status ReadStringMap(const YamlDoc& doc, const YAML::Node& map, absl::string_view key,
                           std::map<std::string, std::string>* out);

// Stores map[key], a mapping of strings to lists of strings (params, proxy_connect_header).
absl::Status ReadStringListMap(const YamlDoc& doc, const YAML::Node& map, absl::string_view key,
                               std::map<std::string, std::vector<std::string>>* out);

// map[key] as a label set (external_labels, a target group's labels). Errors: a repeated name
// (`key "x" already set in map`) and an invalid one (`"x" is not a valid label name`).
absl::StatusOr<labels::Labels> ReadLabelSet(const YamlDoc& doc, const YAML::Node& map,
                                            absl::string_view key);

// The items of the list at map[key]; none when absent or null. Errors: not a list.
absl::StatusOr<std::vector<YAML::Node>> ReadList(const YamlDoc& doc, const YAML::Node& map,
                                                 absl::string_view key);

// `path` relative to `dir` when relative; empty and absolute paths unchanged (config.JoinDir).
std::string JoinDir(const std::string& dir, const std::string& path);

}  // namespace argus::config::internal
