// Build information, as Prometheus reports it in `--version` and /api/v1/status/buildinfo.
#pragma once

#include <string>

#include "absl/strings/string_view.h"

namespace argus {

struct BuildInfo {
  std::string version;     // e.g. "0.1.0"
  std::string revision;    // full git commit hash, or "unknown"
  std::string branch;      // git branch at build time
  std::string build_user;  // user@host that built the binary
  std::string build_date;  // "YYYYMMDD-HH:MM:SS" (UTC)
  std::string compiler;    // e.g. "GNU 12.2.0"; stands where Prometheus prints goVersion
  std::string platform;    // "linux/amd64"
};

// The build information compiled into this binary. Thread-safe.
const BuildInfo& GetBuildInfo();

// The multi-line `--version` text in Prometheus's layout, headed by `program`.
std::string VersionText(absl::string_view program);

}  // namespace argus
