// Prometheus v2.42's discovery/file: target groups read from JSON (.json) or YAML (.yml, .yaml)
// files that hold a list of {targets: [...], labels: {...}}, re-read when their directory
// changes (inotify) and every refresh_interval.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "config/discovery.h"
#include "discovery/discovery.h"
#include "metrics/metric.h"

namespace argus::discovery {

// The label file SD adds to every group: the path of the file it came from.
inline constexpr char kFilePathLabel[] = "__meta_filepath";

// Parses the content of a file SD file; the format follows the extension of `path` (".json",
// ".yml" or ".yaml", any case). Group i gets source "<path>:<i>" and the label
// __meta_filepath="<path>". Null or empty content is an empty list. Errors: InvalidArgument
// naming `path` (with line and column for YAML): syntax errors, unknown or (YAML) repeated
// keys, "nil target group item found", "\"x\" is not a valid label name", targets or label
// values that are not strings, an unknown extension.
absl::StatusOr<std::vector<Group>> ParseTargetGroups(const std::string& path,
                                                     absl::string_view content);

// One file_sd_configs entry. The paths may hold a glob in their last element.
class FileDiscoverer : public Discoverer {
 public:
  // `read_errors` (may be null; must outlive this) counts files that failed to read or parse
  // (prometheus_sd_file_read_errors_total).
  explicit FileDiscoverer(config::FileSDConfig config, metrics::Counter* read_errors = nullptr);

  // Refreshes and sends at start, then again after every change in a directory holding the
  // patterns and every refresh_interval (watches that failed are retried after each refresh).
  // Falls back to the refresh_interval alone when inotify is unavailable.
  void Run(std::stop_token stop, const Sink& send) override;

  // Reads every file the patterns match now and returns their groups, plus a group without
  // targets for each source that existed at the previous refresh and is gone (a vanished file,
  // or a file with fewer groups). A file that fails to read or parse is logged and counted,
  // and its previous groups are kept (not returned, not removed). Not thread-safe.
  std::vector<Group> Refresh();

  // The directories watched for `config` (Prometheus: the part of each pattern before its
  // last '/', or "./").
  static std::vector<std::string> WatchDirs(const config::FileSDConfig& config);

 private:
  config::FileSDConfig config_;
  metrics::Counter* read_errors_;
  std::map<std::string, size_t> last_refresh_;  // groups per file at the last refresh
};

}  // namespace argus::discovery
