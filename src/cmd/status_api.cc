#include "cmd/status_api.h"

#include <cstdlib>
#include <filesystem>
#include <thread>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/buildinfo.h"
#include "base/units.h"

namespace argus::cmd {
void ApiSuccess(const nlohmann::json& data, http::Response& resp) {
  resp.content_type = "application/json";
  resp.body = nlohmann::json{{"status", "success"}, {"data", data}}.dump();
}

std::map<std::string, std::string> FlagValues(const CLI::App& app) {
  std::map<std::string, std::string> out;
  for (const CLI::App* a = &app; a != nullptr; a = a->get_parent()) {
    for (const CLI::Option* opt : a->get_options()) {
      if (opt->get_lnames().empty()) continue;
      const std::string& name = opt->get_lnames().front();
      if (name == "help" || name == "version") continue;
      std::string value;
      if (opt->get_expected_max() == 0) {  // a switch, maybe negated (--no-...) or default true
        if (opt->count() > 0) {
          value = opt->as<bool>() ? "true" : "false";
        } else {
          const std::string d = opt->get_default_str();
          value = d == "true" || d == "1" ? "true" : "false";
        }
      } else if (opt->count() > 0) {
        value = opt->as<std::string>();
      } else {
        value = opt->get_default_str();
      }
      // Booleans as Go prints them.
      if (opt->get_type_name() == "BOOLEAN")
        value = (value == "1" || value == "true") ? "true" : "false";
      out.emplace(name, value);
    }
  }
  return out;
}

void AddStatusEndpoints(http::Server& web, std::map<std::string, std::string> flags) {
  web.Get("/api/v1/status/buildinfo", "/api/v1/status/buildinfo",
          [](const http::Request&, http::Response& resp) {
            const BuildInfo& b = GetBuildInfo();
            ApiSuccess({{"version", b.version},
                        {"revision", b.revision},
                        {"branch", b.branch},
                        {"buildUser", b.build_user},
                        {"buildDate", b.build_date},
                        {"goVersion", b.compiler}},
                       resp);
          });
  web.Get("/api/v1/status/flags", "/api/v1/status/flags",
          [flags = std::move(flags)](const http::Request&, http::Response& resp) {
            ApiSuccess(flags, resp);
          });
}

namespace {

int ThreadCount() {
  std::error_code ec;
  int n = 0;
  for (auto it = std::filesystem::directory_iterator("/proc/self/task", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    ++n;
  }
  return n;
}

}  // namespace

std::string RetentionString(int64_t retention_ms, int64_t retention_bytes) {
  std::string out;
  if (retention_ms != 0) out = FormatPromDuration(retention_ms);
  if (retention_bytes != 0) {
    absl::StrAppend(&out, out.empty() ? "" : " or ", FormatBytes(retention_bytes));
  }
  return out;
}

http::api::RuntimeInfo RuntimeInfoNow(const ConfigRuntime& config, const tsdb::DB& db,
                                      absl::Time start_time, const std::string& storage_retention) {
  http::api::RuntimeInfo info;
  info.start_time = start_time;
  std::error_code ec;
  info.cwd = std::filesystem::current_path(ec).string();
  info.reload_config_success = config.LastReloadSuccessful();
  info.last_config_time = config.LastReloadSuccessTime();
  info.corruption_count = db.WalCorruptions();
  info.goroutine_count = ThreadCount();
  info.gomaxprocs = static_cast<int>(std::thread::hardware_concurrency());
  const char* gogc = std::getenv("GOGC");
  const char* godebug = std::getenv("GODEBUG");
  info.gogc = gogc != nullptr ? gogc : "";
  info.godebug = godebug != nullptr ? godebug : "";
  info.storage_retention = storage_retention;
  return info;
}

http::api::TsdbStatus TsdbStatusOf(const tsdb::DB& db) {
  const tsdb::head::Head& head = db.head();
  tsdb::head::PostingsStats st = head.Stats(10);
  http::api::TsdbStatus out;
  out.num_series = head.num_series();
  out.num_label_pairs = st.num_label_pairs;
  out.chunk_count = static_cast<int64_t>(head.NumChunks());
  out.min_time = head.min_time();
  out.max_time = head.max_time();
  out.series_count_by_metric_name = std::move(st.series_by_metric_name);
  out.label_value_count_by_label_name = std::move(st.values_by_label_name);
  out.memory_in_bytes_by_label_name = std::move(st.value_bytes_by_label_name);
  out.series_count_by_label_value_pair = std::move(st.series_by_label_pair);
  return out;
}

}  // namespace argus::cmd
