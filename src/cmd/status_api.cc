#include "cmd/status_api.h"

#include <utility>

#include "base/buildinfo.h"

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
      if (opt->get_expected_max() == 0) {  // a switch
        value = opt->count() > 0 ? "true" : "false";
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

}  // namespace argus::cmd
