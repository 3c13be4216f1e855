#include "base/buildinfo.h"

#include "absl/strings/str_cat.h"
#include "base/buildinfo_values.h"

namespace argus {
namespace {

constexpr absl::string_view Platform() {
#if defined(__x86_64__)
  return "linux/amd64";
#elif defined(__aarch64__)
  return "linux/arm64";
#else
  return "linux/unknown";
#endif
}

}  // namespace

const BuildInfo& GetBuildInfo() {
  static const BuildInfo* const info =
      new BuildInfo{ARGUS_VERSION,    ARGUS_REVISION, ARGUS_BRANCH,           ARGUS_BUILD_USER,
                    ARGUS_BUILD_DATE, ARGUS_COMPILER, std::string(Platform())};
  return *info;
}

std::string VersionText(absl::string_view program) {
  const BuildInfo& b = GetBuildInfo();
  return absl::StrCat(
      program, ", version ", b.version, " (branch: ", b.branch, ", revision: ", b.revision, ")\n",
      "  build user:       ", b.build_user, "\n", "  build date:       ", b.build_date, "\n",
      "  compiler:         ", b.compiler, "\n", "  platform:         ", b.platform, "\n");
}

}  // namespace argus
