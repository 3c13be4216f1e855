#include "cmd/prometheus_client.h"

#include <curl/curl.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "base/status.h"
#include "base/yaml.h"
#include "nlohmann/json.hpp"

namespace argus::cmd {
namespace {

size_t Append(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// The "data" member of a Prometheus API answer. Errors: DataLoss.
absl::StatusOr<nlohmann::json> ApiData(const std::string& body, absl::string_view path) {
  nlohmann::json j = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object() || j.value("status", "") != "success" ||
      !j.contains("data")) {
    return absl::DataLossError(absl::StrCat("unexpected answer from Prometheus ", path));
  }
  return j["data"];
}

}  // namespace

PrometheusClient::PrometheusClient(std::string base_url)
    : base_url_(absl::StripSuffix(base_url, "/")) {}

absl::StatusOr<std::string> PrometheusClient::Get(const std::string& path) {
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return absl::ResourceExhaustedError("curl_easy_init failed");
  std::string body;
  const std::string url = base_url_ + path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 30000L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  const CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    return absl::UnavailableError(absl::StrCat("GET ", url, ": ", curl_easy_strerror(rc)));
  }
  if (status != 200) {
    return absl::UnavailableError(absl::StrCat("GET ", url, ": HTTP ", status));
  }
  return body;
}

absl::Status PrometheusClient::Ready() { return Get("/-/ready").status(); }

absl::StatusOr<labels::Labels> PrometheusClient::ExternalLabels() {
  const char* path = "/api/v1/status/config";
  ASSIGN_OR_RETURN(std::string body, Get(path));
  ASSIGN_OR_RETURN(nlohmann::json data, ApiData(body, path));
  if (!data.contains("yaml") || !data["yaml"].is_string()) {
    return absl::DataLossError("Prometheus /api/v1/status/config has no yaml");
  }
  absl::StatusOr<YamlDoc> doc = YamlDoc::Parse(data["yaml"].get<std::string>(), path);
  if (!doc.ok()) return absl::DataLossError(doc.status().message());
  const YAML::Node& root = doc->root();
  std::vector<labels::Label> out;
  // yaml-cpp throws on type mismatches; this is its boundary here.
  try {
    // A const node's lookup of a missing key gives an invalid node: check before using it.
    const YAML::Node global = root.IsMap() ? root["global"] : YAML::Node();
    const YAML::Node ext =
        global.IsDefined() && global.IsMap() ? global["external_labels"] : YAML::Node();
    if (ext.IsDefined() && ext.IsMap()) {
      for (const auto& kv : ext) {
        out.push_back({kv.first.as<std::string>(), kv.second.as<std::string>()});
      }
    }
  } catch (const YAML::Exception& e) {
    return absl::DataLossError(absl::StrCat(path, ": external_labels: ", e.what()));
  }
  return labels::Labels::FromUnsorted(std::move(out));
}

absl::StatusOr<std::map<std::string, std::string>> PrometheusClient::Flags() {
  const char* path = "/api/v1/status/flags";
  ASSIGN_OR_RETURN(std::string body, Get(path));
  ASSIGN_OR_RETURN(nlohmann::json data, ApiData(body, path));
  std::map<std::string, std::string> out;
  if (!data.is_object()) return absl::DataLossError("Prometheus flags are not an object");
  for (const auto& [k, v] : data.items()) {
    if (v.is_string()) out[k] = v.get<std::string>();
  }
  return out;
}

}  // namespace argus::cmd
