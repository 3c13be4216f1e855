#include "promclient/promclient.h"

#include <curl/curl.h>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "base/status.h"
#include "base/yaml.h"
#include "config/internal/fields.h"
#include "nlohmann/json.hpp"

namespace argus::promclient {
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

// Unix seconds with millisecond fractions, as the HTTP API takes times ("-0.500", "12.345").
std::string ApiTime(int64_t ms) {
  const uint64_t abs_ms = ms < 0 ? -static_cast<uint64_t>(ms) : static_cast<uint64_t>(ms);
  return absl::StrFormat("%s%d.%03d", ms < 0 ? "-" : "", abs_ms / 1000, abs_ms % 1000);
}

}  // namespace

absl::StatusOr<config::HTTPClientConfig> ParseHttpClient(absl::string_view yaml,
                                                         const std::string& source) {
  ASSIGN_OR_RETURN(YamlDoc doc, YamlDoc::Parse(yaml, source));
  if (!doc.root().IsDefined() || doc.root().IsNull()) return config::HTTPClientConfig();
  RETURN_IF_ERROR(config::internal::CheckFields(doc, doc.root(), config::HTTPClientKeys(),
                                                "clientconfig.HTTPClientConfig"));
  ASSIGN_OR_RETURN(config::HTTPClientConfig c, config::ParseHTTPClientConfig(doc, doc.root()));
  if (c.oauth2.has_value() || !c.proxy_url.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": oauth2 and proxy_url are not supported by argus sidecar"));
  }
  const config::TLSConfig& tls = c.tls_config;
  if (!tls.server_name.empty() || !tls.min_version.empty() || !tls.max_version.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source,
                     ": tls_config's server_name, min_version and max_version are not supported by "
                     "argus sidecar"));
  }
  return c;
}

PrometheusClient::PrometheusClient(std::string base_url, config::HTTPClientConfig http)
    : base_url_(absl::StripSuffix(base_url, "/")), http_(std::move(http)) {}

absl::StatusOr<PrometheusClient::Reply> PrometheusClient::Do(
    const std::string& path, const std::string* post_body,
    const std::vector<std::string>& headers) {
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return absl::ResourceExhaustedError("curl_easy_init failed");
  Reply reply;
  const std::string url = base_url_ + path;
  curl_slist* list = nullptr;
  for (const std::string& h : headers) list = curl_slist_append(list, h.c_str());
  // The client settings; secrets from files as they are now.
  absl::StatusOr<config::HTTPCredentials> creds = config::ReadCredentials(http_);
  if (!creds.ok()) {
    curl_easy_cleanup(curl);
    curl_slist_free_all(list);
    return creds.status();
  }
  if (creds->basic_auth.has_value()) {
    curl_easy_setopt(curl, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
    curl_easy_setopt(curl, CURLOPT_USERNAME, creds->basic_auth->first.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, creds->basic_auth->second.c_str());
  }
  if (!creds->authorization_header.empty()) {
    list = curl_slist_append(list, creds->authorization_header.c_str());
  }
  const config::TLSConfig& tls = http_.tls_config;
  if (!tls.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, tls.ca_file.c_str());
  if (!tls.cert_file.empty()) curl_easy_setopt(curl, CURLOPT_SSLCERT, tls.cert_file.c_str());
  if (!tls.key_file.empty()) curl_easy_setopt(curl, CURLOPT_SSLKEY, tls.key_file.c_str());
  if (tls.insecure_skip_verify) {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, 120000L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Append);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply.body);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  if (post_body != nullptr) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, post_body->data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post_body->size()));
  }
  const CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  char* content_type = nullptr;
  curl_easy_getinfo(curl, CURLINFO_CONTENT_TYPE, &content_type);
  if (content_type != nullptr) reply.content_type = content_type;
  curl_easy_cleanup(curl);
  curl_slist_free_all(list);
  const char* method = post_body != nullptr ? "POST " : "GET ";
  if (rc != CURLE_OK) {
    return absl::UnavailableError(absl::StrCat(method, url, ": ", curl_easy_strerror(rc)));
  }
  if (status == 400) {
    return absl::InvalidArgumentError(absl::StrCat(method, url, ": HTTP 400: ", reply.body));
  }
  if (status != 200) {
    return absl::UnavailableError(absl::StrCat(method, url, ": HTTP ", status));
  }
  return reply;
}

absl::StatusOr<std::string> PrometheusClient::Get(const std::string& path) {
  ASSIGN_OR_RETURN(Reply r, Do(path, nullptr, {}));
  return std::move(r.body);
}

absl::StatusOr<PrometheusClient::Reply> PrometheusClient::RemoteRead(
    const std::string& snappy_request) {
  return Do("/api/v1/read", &snappy_request,
            {"Content-Type: application/x-protobuf", "Content-Encoding: snappy",
             "X-Prometheus-Remote-Read-Version: 0.1.0"});
}

absl::StatusOr<std::vector<std::string>> PrometheusClient::Strings(
    const std::string& path, int64_t start_ms, int64_t end_ms,
    const std::vector<labels::Matcher>& matchers) {
  std::string query = absl::StrCat("?start=", ApiTime(start_ms), "&end=", ApiTime(end_ms));
  if (!matchers.empty()) {
    std::vector<std::string> parts;
    for (const labels::Matcher& m : matchers) parts.push_back(m.ToString());
    const std::string selector = absl::StrCat("{", absl::StrJoin(parts, ","), "}");
    // libcurl ignores the handle here (since 7.82).
    char* escaped = curl_easy_escape(nullptr, selector.data(), static_cast<int>(selector.size()));
    if (escaped == nullptr) return absl::ResourceExhaustedError("curl_easy_escape failed");
    absl::StrAppend(&query, "&match[]=", escaped);
    curl_free(escaped);
  }
  ASSIGN_OR_RETURN(std::string body, Get(path + query));
  ASSIGN_OR_RETURN(nlohmann::json data, ApiData(body, path));
  std::vector<std::string> out;
  if (!data.is_array()) return absl::DataLossError(absl::StrCat(path, ": data is not a list"));
  for (const nlohmann::json& v : data) {
    if (!v.is_string()) return absl::DataLossError(absl::StrCat(path, ": a non-string value"));
    out.push_back(v.get<std::string>());
  }
  return out;
}

absl::StatusOr<std::vector<std::string>> PrometheusClient::LabelNames(
    int64_t start_ms, int64_t end_ms, const std::vector<labels::Matcher>& matchers) {
  return Strings("/api/v1/labels", start_ms, end_ms, matchers);
}

absl::StatusOr<std::vector<std::string>> PrometheusClient::LabelValues(
    const std::string& name, int64_t start_ms, int64_t end_ms,
    const std::vector<labels::Matcher>& matchers) {
  return Strings(absl::StrCat("/api/v1/label/", name, "/values"), start_ms, end_ms, matchers);
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

}  // namespace argus::promclient
