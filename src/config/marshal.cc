#include "config/marshal.h"

#include "base/units.h"
#include "yaml-cpp/yaml.h"

namespace argus::config {
namespace {

constexpr char kSecret[] = "<secret>";

void Duration(YAML::Emitter& out, const char* key, int64_t ms) {
  out << YAML::Key << key << YAML::Value << FormatPromDuration(ms);
}

void LabelMap(YAML::Emitter& out, const char* key, const labels::Labels& ls) {
  if (ls.empty()) return;
  out << YAML::Key << key << YAML::Value << YAML::BeginMap;
  for (const labels::Label& l : ls) out << YAML::Key << l.name << YAML::Value << l.value;
  out << YAML::EndMap;
}

void Strings(YAML::Emitter& out, const char* key, const std::vector<std::string>& v) {
  if (v.empty()) return;
  out << YAML::Key << key << YAML::Value << YAML::BeginSeq;
  for (const std::string& s : v) out << s;
  out << YAML::EndSeq;
}

void Relabel(YAML::Emitter& out, const char* key, const std::vector<relabel::Config>& rules) {
  if (rules.empty()) return;
  out << YAML::Key << key << YAML::Value << YAML::BeginSeq;
  for (const relabel::Config& r : rules) {
    out << YAML::BeginMap;
    if (!r.source_labels.empty()) {
      out << YAML::Key << "source_labels" << YAML::Value << YAML::Flow << YAML::BeginSeq;
      for (const std::string& s : r.source_labels) out << s;
      out << YAML::EndSeq;
    }
    out << YAML::Key << "separator" << YAML::Value << r.separator;
    out << YAML::Key << "regex" << YAML::Value << r.regex;
    if (r.modulus != 0) out << YAML::Key << "modulus" << YAML::Value << r.modulus;
    if (!r.target_label.empty()) {
      out << YAML::Key << "target_label" << YAML::Value << r.target_label;
    }
    out << YAML::Key << "replacement" << YAML::Value << r.replacement;
    out << YAML::Key << "action" << YAML::Value << std::string(relabel::ActionName(r.action));
    out << YAML::EndMap;
  }
  out << YAML::EndSeq;
}

void Tls(YAML::Emitter& out, const TLSConfig& t) {
  if (t == TLSConfig{}) return;
  out << YAML::Key << "tls_config" << YAML::Value << YAML::BeginMap;
  const std::pair<const char*, const std::string&> files[] = {
      {"ca_file", t.ca_file},         {"cert_file", t.cert_file},
      {"key_file", t.key_file},       {"server_name", t.server_name},
      {"min_version", t.min_version}, {"max_version", t.max_version}};
  for (const auto& [k, v] : files) {
    if (!v.empty()) out << YAML::Key << k << YAML::Value << v;
  }
  out << YAML::Key << "insecure_skip_verify" << YAML::Value << t.insecure_skip_verify;
  out << YAML::EndMap;
}

void HttpClient(YAML::Emitter& out, const HTTPClientConfig& h) {
  if (h.basic_auth) {
    out << YAML::Key << "basic_auth" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "username" << YAML::Value << h.basic_auth->username;
    if (!h.basic_auth->password.empty()) out << YAML::Key << "password" << YAML::Value << kSecret;
    if (!h.basic_auth->password_file.empty()) {
      out << YAML::Key << "password_file" << YAML::Value << h.basic_auth->password_file;
    }
    out << YAML::EndMap;
  }
  if (h.authorization) {
    out << YAML::Key << "authorization" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "type" << YAML::Value << h.authorization->type;
    if (!h.authorization->credentials.empty()) {
      out << YAML::Key << "credentials" << YAML::Value << kSecret;
    }
    if (!h.authorization->credentials_file.empty()) {
      out << YAML::Key << "credentials_file" << YAML::Value << h.authorization->credentials_file;
    }
    out << YAML::EndMap;
  }
  if (h.oauth2) {
    out << YAML::Key << "oauth2" << YAML::Value << YAML::BeginMap;
    out << YAML::Key << "client_id" << YAML::Value << h.oauth2->client_id;
    if (!h.oauth2->client_secret.empty()) {
      out << YAML::Key << "client_secret" << YAML::Value << kSecret;
    }
    out << YAML::Key << "token_url" << YAML::Value << h.oauth2->token_url;
    out << YAML::EndMap;
  }
  if (!h.proxy_url.empty()) out << YAML::Key << "proxy_url" << YAML::Value << h.proxy_url;
  Tls(out, h.tls_config);
  out << YAML::Key << "follow_redirects" << YAML::Value << h.follow_redirects;
  out << YAML::Key << "enable_http2" << YAML::Value << h.enable_http2;
}

void Scrape(YAML::Emitter& out, const ScrapeConfig& s) {
  out << YAML::BeginMap;
  out << YAML::Key << "job_name" << YAML::Value << s.job_name;
  if (s.honor_labels) out << YAML::Key << "honor_labels" << YAML::Value << true;
  out << YAML::Key << "honor_timestamps" << YAML::Value << s.honor_timestamps;
  if (!s.params.empty()) {
    out << YAML::Key << "params" << YAML::Value << YAML::BeginMap;
    for (const auto& [k, v] : s.params) {
      out << YAML::Key << k << YAML::Value << YAML::BeginSeq;
      for (const std::string& x : v) out << x;
      out << YAML::EndSeq;
    }
    out << YAML::EndMap;
  }
  Duration(out, "scrape_interval", s.scrape_interval_ms);
  Duration(out, "scrape_timeout", s.scrape_timeout_ms);
  out << YAML::Key << "metrics_path" << YAML::Value << s.metrics_path;
  out << YAML::Key << "scheme" << YAML::Value << s.scheme;
  const std::pair<const char*, uint64_t> limits[] = {
      {"body_size_limit", static_cast<uint64_t>(s.body_size_limit_bytes)},
      {"sample_limit", s.sample_limit},
      {"target_limit", s.target_limit},
      {"label_limit", s.label_limit},
      {"label_name_length_limit", s.label_name_length_limit},
      {"label_value_length_limit", s.label_value_length_limit}};
  for (const auto& [k, v] : limits) {
    if (v != 0) out << YAML::Key << k << YAML::Value << v;
  }
  HttpClient(out, s.http_client);
  if (!s.discovery.file_sd_configs.empty()) {
    out << YAML::Key << "file_sd_configs" << YAML::Value << YAML::BeginSeq;
    for (const FileSDConfig& f : s.discovery.file_sd_configs) {
      out << YAML::BeginMap;
      Strings(out, "files", f.files);
      Duration(out, "refresh_interval", f.refresh_interval_ms);
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  if (!s.discovery.kubernetes_sd_configs.empty()) {
    out << YAML::Key << "kubernetes_sd_configs" << YAML::Value << YAML::BeginSeq;
    for (const KubernetesSDConfig& k : s.discovery.kubernetes_sd_configs) {
      out << YAML::BeginMap << YAML::Key << "role" << YAML::Value << k.role << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  if (!s.discovery.static_configs.empty()) {
    out << YAML::Key << "static_configs" << YAML::Value << YAML::BeginSeq;
    for (const TargetGroup& g : s.discovery.static_configs) {
      out << YAML::BeginMap;
      Strings(out, "targets", g.targets);
      LabelMap(out, "labels", g.labels);
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  Relabel(out, "relabel_configs", s.relabel_configs);
  Relabel(out, "metric_relabel_configs", s.metric_relabel_configs);
  out << YAML::EndMap;
}

void Headers(YAML::Emitter& out, const std::map<std::string, std::string>& headers) {
  if (headers.empty()) return;
  out << YAML::Key << "headers" << YAML::Value << YAML::BeginMap;
  for (const auto& [k, v] : headers) out << YAML::Key << k << YAML::Value << kSecret;
  out << YAML::EndMap;
}

}  // namespace

std::string Marshal(const Config& c) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "global" << YAML::Value << YAML::BeginMap;
  Duration(out, "scrape_interval", c.global.scrape_interval_ms);
  Duration(out, "scrape_timeout", c.global.scrape_timeout_ms);
  Duration(out, "evaluation_interval", c.global.evaluation_interval_ms);
  if (!c.global.query_log_file.empty()) {
    out << YAML::Key << "query_log_file" << YAML::Value << c.global.query_log_file;
  }
  LabelMap(out, "external_labels", c.global.external_labels);
  out << YAML::EndMap;
  Strings(out, "rule_files", c.rule_files);
  if (!c.scrape_configs.empty()) {
    out << YAML::Key << "scrape_configs" << YAML::Value << YAML::BeginSeq;
    for (const ScrapeConfig& s : c.scrape_configs) Scrape(out, s);
    out << YAML::EndSeq;
  }
  if (!c.remote_write.empty()) {
    out << YAML::Key << "remote_write" << YAML::Value << YAML::BeginSeq;
    for (const RemoteWriteConfig& w : c.remote_write) {
      out << YAML::BeginMap << YAML::Key << "url" << YAML::Value << w.url;
      if (!w.name.empty()) out << YAML::Key << "name" << YAML::Value << w.name;
      Duration(out, "remote_timeout", w.remote_timeout_ms);
      Headers(out, w.headers);
      Relabel(out, "write_relabel_configs", w.write_relabel_configs);
      HttpClient(out, w.http_client);
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  if (!c.remote_read.empty()) {
    out << YAML::Key << "remote_read" << YAML::Value << YAML::BeginSeq;
    for (const RemoteReadConfig& r : c.remote_read) {
      out << YAML::BeginMap << YAML::Key << "url" << YAML::Value << r.url;
      if (!r.name.empty()) out << YAML::Key << "name" << YAML::Value << r.name;
      Duration(out, "remote_timeout", r.remote_timeout_ms);
      Headers(out, r.headers);
      out << YAML::Key << "read_recent" << YAML::Value << r.read_recent;
      HttpClient(out, r.http_client);
      out << YAML::EndMap;
    }
    out << YAML::EndSeq;
  }
  out << YAML::EndMap;
  return std::string(out.c_str()) + "\n";
}

}  // namespace argus::config
