#include "discovery/file.h"

#include <glob.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/env.h"
#include "base/go_strconv.h"
#include "base/logging.h"
#include "base/status.h"
#include "base/yaml.h"
#include "discovery/internal/dir_watcher.h"
#include "metrics/registry.h"
#include "nlohmann/json.hpp"

namespace argus::discovery {
namespace {

std::string FileSource(absl::string_view path, size_t i) { return absl::StrCat(path, ":", i); }

absl::Status InvalidLabelName(absl::string_view name) {
  return absl::InvalidArgumentError(absl::StrCat(GoQuote(name), " is not a valid label name"));
}

// Gives a parsed group its source and __meta_filepath.
Group Finish(const std::string& path, size_t index, std::vector<std::string> targets,
             std::vector<labels::Label> common) {
  Group g;
  g.source = FileSource(path, index);
  g.targets.reserve(targets.size());
  for (std::string& t : targets) g.targets.push_back({{"__address__", std::move(t)}});
  std::erase_if(common, [](const labels::Label& l) { return l.name == kFilePathLabel; });
  common.push_back({kFilePathLabel, path});
  g.labels = labels::Labels::FromUnsorted(std::move(common));
  return g;
}

// --- JSON (Go's encoding/json into []*targetgroup.Group, unknown fields disallowed) ---

// The one place nlohmann::json's exceptions are caught in this module.
absl::StatusOr<nlohmann::json> ParseJson(absl::string_view text) {
  try {
    return nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::exception& e) {
    return absl::InvalidArgumentError(e.what());
  }
}

// A JSON string, or "" for null as Go decodes it.
absl::StatusOr<std::string> JsonString(const nlohmann::json& v, absl::string_view what) {
  if (v.is_null()) return std::string();
  if (!v.is_string()) {
    return absl::InvalidArgumentError(
        absl::StrCat("json: cannot unmarshal ", v.type_name(), " into ", what, " of type string"));
  }
  return v.get_ref<const std::string&>();
}

absl::StatusOr<Group> JsonGroup(const std::string& path, size_t index, const nlohmann::json& v) {
  if (v.is_null()) return absl::InvalidArgumentError("nil target group item found");
  if (!v.is_object()) {
    return absl::InvalidArgumentError(absl::StrCat("json: cannot unmarshal ", v.type_name(),
                                                   " into Go value of type targetgroup.Group"));
  }
  std::vector<std::string> targets;
  std::vector<labels::Label> common;
  for (const auto& [key, value] : v.items()) {
    // Go matches field names case-insensitively.
    if (absl::EqualsIgnoreCase(key, "targets")) {
      targets.clear();
      if (value.is_null()) continue;
      if (!value.is_array()) {
        return absl::InvalidArgumentError(absl::StrCat("json: cannot unmarshal ", value.type_name(),
                                                       " into field targets of type []string"));
      }
      for (const nlohmann::json& t : value) {
        ASSIGN_OR_RETURN(std::string s, JsonString(t, "field targets"));
        targets.push_back(std::move(s));
      }
    } else if (absl::EqualsIgnoreCase(key, "labels")) {
      common.clear();
      if (value.is_null()) continue;
      if (!value.is_object()) {
        return absl::InvalidArgumentError(absl::StrCat("json: cannot unmarshal ", value.type_name(),
                                                       " into Go value of type model.LabelSet"));
      }
      for (const auto& [name, lv] : value.items()) {
        ASSIGN_OR_RETURN(std::string s, JsonString(lv, "label value"));
        common.push_back({name, std::move(s)});
      }
      for (const labels::Label& l : common) {
        if (!metrics::IsValidLabelName(l.name)) return InvalidLabelName(l.name);
      }
    } else {
      return absl::InvalidArgumentError(absl::StrCat("json: unknown field ", GoQuote(key)));
    }
  }
  return Finish(path, index, std::move(targets), std::move(common));
}

absl::StatusOr<std::vector<Group>> ParseJsonGroups(const std::string& path,
                                                   absl::string_view content) {
  ASSIGN_OR_RETURN(nlohmann::json root, ParseJson(content));
  std::vector<Group> out;
  if (root.is_null()) return out;
  if (!root.is_array()) {
    return absl::InvalidArgumentError(absl::StrCat("json: cannot unmarshal ", root.type_name(),
                                                   " into Go value of type []*targetgroup.Group"));
  }
  for (size_t i = 0; i < root.size(); ++i) {
    ASSIGN_OR_RETURN(Group g, JsonGroup(path, i, root[i]));
    out.push_back(std::move(g));
  }
  return out;
}

// --- YAML (yaml.v2's UnmarshalStrict into []*targetgroup.Group) ---

// Fails on a key `map` holds twice, as UnmarshalStrict does.
absl::Status CheckUniqueKeys(const YamlDoc& doc, const YAML::Node& map) {
  std::set<std::string> seen;
  for (const auto& kv : map) {
    if (!seen.insert(kv.first.Scalar()).second) {
      return doc.Error(kv.first,
                       absl::StrCat("key ", GoQuote(kv.first.Scalar()), " already set in map"));
    }
  }
  return absl::OkStatus();
}

// A scalar as a string, or "" for null.
absl::StatusOr<std::string> YamlString(const YamlDoc& doc, const YAML::Node& v,
                                       absl::string_view what) {
  if (v.IsNull()) return std::string();
  if (!v.IsScalar()) return doc.Error(v, absl::StrCat(what, " must be a string"));
  return v.Scalar();
}

absl::StatusOr<Group> YamlGroup(const YamlDoc& doc, size_t index, const YAML::Node& node) {
  if (node.IsNull()) return doc.Error(node, "nil target group item found");
  RETURN_IF_ERROR(doc.CheckKeys(node, {"targets", "labels"}, "targetgroup.Group"));
  RETURN_IF_ERROR(CheckUniqueKeys(doc, node));
  std::vector<std::string> targets;
  const YAML::Node t = node["targets"];
  if (t.IsDefined() && !t.IsNull()) {
    if (!t.IsSequence()) return doc.Error(t, "field targets: expected a list of strings");
    for (const YAML::Node& item : t) {
      ASSIGN_OR_RETURN(std::string s, YamlString(doc, item, "targets"));
      targets.push_back(std::move(s));
    }
  }
  std::vector<labels::Label> common;
  const YAML::Node l = node["labels"];
  if (l.IsDefined() && !l.IsNull()) {
    if (!l.IsMap()) return doc.Error(l, "field labels: expected a mapping of label names");
    RETURN_IF_ERROR(CheckUniqueKeys(doc, l));
    for (const auto& kv : l) {
      const std::string& name = kv.first.Scalar();
      if (!kv.first.IsScalar() || !metrics::IsValidLabelName(name)) {
        return doc.Error(kv.first, absl::StrCat(GoQuote(name), " is not a valid label name"));
      }
      ASSIGN_OR_RETURN(std::string value, YamlString(doc, kv.second, "label values"));
      common.push_back({name, std::move(value)});
    }
  }
  return Finish(doc.source(), index, std::move(targets), std::move(common));
}

absl::StatusOr<std::vector<Group>> ParseYamlGroups(const std::string& path,
                                                   absl::string_view content) {
  ASSIGN_OR_RETURN(YamlDoc doc, YamlDoc::Parse(content, path));
  const YAML::Node& root = doc.root();
  std::vector<Group> out;
  if (!root.IsDefined() || root.IsNull()) return out;
  if (!root.IsSequence()) return doc.Error(root, "expected a list of target groups");
  size_t i = 0;
  for (const YAML::Node& item : root) {
    ASSIGN_OR_RETURN(Group g, YamlGroup(doc, i++, item));
    out.push_back(std::move(g));
  }
  return out;
}

// Go's filepath.Ext, lower-cased.
std::string Extension(absl::string_view path) {
  size_t slash = path.rfind('/');
  size_t dot = path.rfind('.');
  if (dot == absl::string_view::npos || (slash != absl::string_view::npos && dot < slash)) {
    return "";
  }
  return absl::AsciiStrToLower(path.substr(dot));
}

// filepath.Glob: the matches of `pattern`, sorted ('*' matches a leading dot, as in Go).
std::vector<std::string> Glob(const std::string& pattern) {
  std::vector<std::string> out;
  glob_t g{};
  int rc = ::glob(pattern.c_str(), GLOB_PERIOD, nullptr, &g);
  if (rc == 0) {
    for (size_t i = 0; i < g.gl_pathc; ++i) out.push_back(g.gl_pathv[i]);
  } else if (rc != GLOB_NOMATCH) {
    log::Error("Error expanding glob",
               {{"glob", pattern}, {"err", rc == GLOB_NOSPACE ? "out of memory" : "read error"}});
  }
  ::globfree(&g);
  return out;
}

absl::Duration RefreshInterval(const config::FileSDConfig& c) {
  // Prometheus's ticker would panic on a non-positive interval; use the default instead.
  return absl::Milliseconds(c.refresh_interval_ms > 0 ? c.refresh_interval_ms : 5 * 60 * 1000);
}

}  // namespace

absl::StatusOr<std::vector<Group>> ParseTargetGroups(const std::string& path,
                                                     absl::string_view content) {
  const std::string ext = Extension(path);
  if (ext == ".json") {
    absl::StatusOr<std::vector<Group>> groups = ParseJsonGroups(path, content);
    if (!groups.ok()) return Annotate(groups.status(), path);
    return groups;
  }
  // YamlDoc's errors already start with the path.
  if (ext == ".yml" || ext == ".yaml") return ParseYamlGroups(path, content);
  return absl::InvalidArgumentError(
      absl::StrCat(path, ": unhandled file extension ", GoQuote(ext)));
}

FileDiscoverer::FileDiscoverer(config::FileSDConfig config, metrics::Counter* read_errors)
    : config_(std::move(config)), read_errors_(read_errors) {}

std::vector<std::string> FileDiscoverer::WatchDirs(const config::FileSDConfig& config) {
  std::vector<std::string> dirs;
  for (const std::string& p : config.files) {
    size_t slash = p.rfind('/');
    std::string dir = slash == std::string::npos ? "./" : slash == 0 ? "/" : p.substr(0, slash);
    if (std::find(dirs.begin(), dirs.end(), dir) == dirs.end()) dirs.push_back(std::move(dir));
  }
  return dirs;
}

std::vector<Group> FileDiscoverer::Refresh() {
  std::vector<Group> out;
  std::map<std::string, size_t> ref;
  for (const std::string& pattern : config_.files) {
    for (const std::string& path : Glob(pattern)) {
      absl::StatusOr<std::string> content = Env::Default()->ReadFile(path);
      absl::StatusOr<std::vector<Group>> groups =
          content.ok() ? ParseTargetGroups(path, *content) : content.status();
      if (!groups.ok()) {
        if (read_errors_ != nullptr) read_errors_->Inc();
        log::Error("Error reading file", {{"path", path}, {"err", groups.status()}});
        // Keep the previous groups: they are neither resent nor removed below.
        auto last = last_refresh_.find(path);
        ref[path] = last == last_refresh_.end() ? 0 : last->second;
        continue;
      }
      ref[path] = groups->size();
      for (Group& g : *groups) out.push_back(std::move(g));
    }
  }
  // Sources that disappeared become empty groups.
  for (const auto& [path, n] : last_refresh_) {
    auto now = ref.find(path);
    const size_t kept = now == ref.end() ? 0 : now->second;
    if (kept < n) log::Debug("file_sd refresh found file that should be removed", {{"file", path}});
    for (size_t i = kept; i < n; ++i) out.push_back(Group{.source = FileSource(path, i)});
  }
  last_refresh_ = std::move(ref);
  return out;
}

void FileDiscoverer::Run(std::stop_token stop, const Sink& send) {
  const absl::Duration interval = RefreshInterval(config_);
  absl::StatusOr<std::unique_ptr<internal::DirWatcher>> watcher = internal::DirWatcher::Create();
  if (!watcher.ok()) {
    log::Error("Error adding file watcher", {{"err", watcher.status()}});
    // Refresh on the interval alone.
    std::mutex mu;
    std::condition_variable_any cv;
    std::unique_lock<std::mutex> lock(mu);
    for (send(Refresh()); !stop.stop_requested();) {
      (void)cv.wait_for(lock, stop, absl::ToChronoNanoseconds(interval), [] { return false; });
      if (!stop.stop_requested()) send(Refresh());
    }
    return;
  }
  internal::DirWatcher& w = **watcher;
  std::stop_callback wake(stop, [&w] { w.Wake(); });
  // Watches first, so a change made while the files are read is not missed.
  auto refresh = [&] {
    for (const std::string& dir : WatchDirs(config_)) {
      if (w.Watching(dir)) continue;
      if (absl::Status s = w.Watch(dir); !s.ok()) {
        log::Error("Error adding file watch", {{"path", dir}, {"err", s}});
      }
    }
    send(Refresh());
  };
  using Clock = std::chrono::steady_clock;
  refresh();
  Clock::time_point next_tick = Clock::now() + absl::ToChronoNanoseconds(interval);
  while (!stop.stop_requested()) {
    internal::DirWatcher::Result r =
        w.Wait(absl::FromChrono(std::max(next_tick - Clock::now(), Clock::duration::zero())));
    if (stop.stop_requested()) break;
    if (r == internal::DirWatcher::Result::kChanged) refresh();
    if (Clock::now() >= next_tick) {
      // A watch that failed (say, on a directory not there yet) is retried here, so no file
      // is lost for good.
      if (r != internal::DirWatcher::Result::kChanged) refresh();
      next_tick = Clock::now() + absl::ToChronoNanoseconds(interval);
    }
  }
}

}  // namespace argus::discovery
