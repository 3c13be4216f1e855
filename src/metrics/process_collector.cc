#include "metrics/process_collector.h"

#include <sys/resource.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "base/buildinfo.h"

namespace argus::metrics {
namespace {

struct ProcStat {
  double cpu_seconds = 0;
  double start_time_seconds = 0;
  double virtual_bytes = 0;
  double resident_bytes = 0;
};

double BootTimeSeconds() {
  std::ifstream in("/proc/stat");
  std::string key;
  double value = 0;
  while (in >> key) {
    if (key == "btime") {
      in >> value;
      return value;
    }
    in.ignore(1 << 20, '\n');
  }
  return 0;
}

// Fields of /proc/self/stat after the parenthesised command name (which may hold spaces).
ProcStat ReadProcStat() {
  ProcStat ps;
  std::ifstream in("/proc/self/stat");
  std::string all((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t close = all.rfind(')');
  if (close == std::string::npos) return ps;
  std::istringstream fields(all.substr(close + 2));
  std::vector<std::string> f;
  std::string tok;
  while (fields >> tok) f.push_back(tok);
  // After ")": state(3) ... utime(14) stime(15) ... starttime(22) vsize(23) rss(24); index = n-3.
  if (f.size() < 22) return ps;
  const double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  ps.cpu_seconds = (std::stod(f[11]) + std::stod(f[12])) / ticks;
  ps.start_time_seconds = BootTimeSeconds() + std::stod(f[19]) / ticks;
  ps.virtual_bytes = std::stod(f[20]);
  ps.resident_bytes = std::stod(f[21]) * static_cast<double>(sysconf(_SC_PAGESIZE));
  return ps;
}

double OpenFds() {
  std::error_code ec;
  double n = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++n;
  }
  return n;
}

FamilySnapshot Single(const char* name, const char* help, MetricType type, double v) {
  return FamilySnapshot{name, help, type, {Sample{name, {}, v}}};
}

}  // namespace

void RegisterProcessCollector(Registry& registry) {
  registry.AddCollector([](std::vector<FamilySnapshot>* out) {
    ProcStat ps = ReadProcStat();
    struct rlimit rl;
    double max_fds = getrlimit(RLIMIT_NOFILE, &rl) == 0 ? static_cast<double>(rl.rlim_cur) : 0;
    out->push_back(Single("process_cpu_seconds_total",
                          "Total user and system CPU time spent in seconds.", MetricType::kCounter,
                          ps.cpu_seconds));
    out->push_back(Single("process_resident_memory_bytes", "Resident memory size in bytes.",
                          MetricType::kGauge, ps.resident_bytes));
    out->push_back(Single("process_virtual_memory_bytes", "Virtual memory size in bytes.",
                          MetricType::kGauge, ps.virtual_bytes));
    out->push_back(Single("process_open_fds", "Number of open file descriptors.",
                          MetricType::kGauge, OpenFds()));
    out->push_back(Single("process_max_fds", "Maximum number of open file descriptors.",
                          MetricType::kGauge, max_fds));
    out->push_back(Single("process_start_time_seconds",
                          "Start time of the process since unix epoch in seconds.",
                          MetricType::kGauge, ps.start_time_seconds));
  });
  const BuildInfo& b = GetBuildInfo();
  registry
      .AddGaugeVec("argus_build_info",
                   "A metric with a constant '1' value labeled by version, revision, branch, "
                   "and compiler from which argus was built.",
                   {"branch", "compiler", "revision", "version"})
      .WithLabelValues({b.branch, b.compiler, b.revision, b.version})
      .Set(1);
}

}  // namespace argus::metrics
