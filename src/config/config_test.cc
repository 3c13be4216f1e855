#include "config/config.h"

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace argus::config {
namespace {

using ::testing::HasSubstr;

// The error message of parsing `yaml` as "p.yml", or "OK".
std::string ErrorOf(const std::string& yaml) {
  absl::StatusOr<Config> c = Parse(yaml, "p.yml");
  if (c.ok()) return "OK";
  EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument) << c.status();
  return std::string(c.status().message());
}

Config MustParse(const std::string& yaml) {
  absl::StatusOr<Config> c = Parse(yaml, "p.yml");
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? *std::move(c) : Config{};
}

TEST(ConfigTest, EmptyDocumentGivesDefaults) {
  for (const char* text : {"", "global:\n", "global: {}\n"}) {
    Config c = MustParse(text);
    EXPECT_EQ(c.global.scrape_interval_ms, 60000) << text;
    EXPECT_EQ(c.global.scrape_timeout_ms, 10000);
    EXPECT_EQ(c.global.evaluation_interval_ms, 60000);
    EXPECT_TRUE(c.global.external_labels.empty());
    EXPECT_TRUE(c.scrape_configs.empty());
    EXPECT_EQ(c.storage.max_exemplars, 100000);
    EXPECT_FALSE(c.tracing.has_value());
  }
}

TEST(ConfigTest, ScrapeConfigDefaults) {
  Config c = MustParse("scrape_configs:\n  - job_name: a\n");
  ASSERT_EQ(c.scrape_configs.size(), 1u);
  const ScrapeConfig& s = c.scrape_configs[0];
  EXPECT_EQ(s.job_name, "a");
  EXPECT_EQ(s.scrape_interval_ms, 60000);
  EXPECT_EQ(s.scrape_timeout_ms, 10000);
  EXPECT_EQ(s.metrics_path, "/metrics");
  EXPECT_EQ(s.scheme, "http");
  EXPECT_FALSE(s.honor_labels);
  EXPECT_TRUE(s.honor_timestamps);
  EXPECT_TRUE(s.http_client.follow_redirects);
  EXPECT_TRUE(s.http_client.enable_http2);
  EXPECT_FALSE(s.http_client.authorization.has_value());
  EXPECT_EQ(s.body_size_limit_bytes, 0);
  EXPECT_EQ(s.sample_limit, 0u);
}

TEST(ConfigTest, IntervalsInheritFromGlobal) {
  Config c = MustParse(R"(global:
  scrape_interval: 15s
  scrape_timeout: 12s
  evaluation_interval: 30s
scrape_configs:
  - job_name: inherit
  - job_name: short
    scrape_interval: 5s
  - job_name: own
    scrape_interval: 1m
    scrape_timeout: 50s
)");
  EXPECT_EQ(c.global.evaluation_interval_ms, 30000);
  ASSERT_EQ(c.scrape_configs.size(), 3u);
  EXPECT_EQ(c.scrape_configs[0].scrape_interval_ms, 15000);
  EXPECT_EQ(c.scrape_configs[0].scrape_timeout_ms, 12000);
  // The inherited timeout is capped at the job's shorter interval.
  EXPECT_EQ(c.scrape_configs[1].scrape_interval_ms, 5000);
  EXPECT_EQ(c.scrape_configs[1].scrape_timeout_ms, 5000);
  EXPECT_EQ(c.scrape_configs[2].scrape_interval_ms, 60000);
  EXPECT_EQ(c.scrape_configs[2].scrape_timeout_ms, 50000);
  // A global interval below the default timeout caps the global timeout too.
  EXPECT_EQ(MustParse("global: {scrape_interval: 5s}\n").global.scrape_timeout_ms, 5000);
}

TEST(ConfigTest, ScrapeFields) {
  Config c = MustParse(R"(scrape_configs:
  - job_name: full
    honor_labels: true
    honor_timestamps: false
    params: {module: [http_2xx], target: [a, b]}
    metrics_path: /probe
    scheme: https
    body_size_limit: 10MB
    sample_limit: 1000
    target_limit: 5
    label_limit: 30
    label_name_length_limit: 100
    label_value_length_limit: 200
    bearer_token: secret
    tls_config: {ca_file: ca.pem, server_name: x, insecure_skip_verify: true, min_version: TLS12}
    proxy_url: http://proxy:3128
    follow_redirects: false
    enable_http2: false
    static_configs:
      - targets: ['a:9100', 'b:9100']
        labels: {env: prod}
)");
  const ScrapeConfig& s = c.scrape_configs[0];
  EXPECT_TRUE(s.honor_labels);
  EXPECT_FALSE(s.honor_timestamps);
  EXPECT_EQ(s.params.at("target"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(s.metrics_path, "/probe");
  EXPECT_EQ(s.scheme, "https");
  EXPECT_EQ(s.body_size_limit_bytes, 10 << 20);
  EXPECT_EQ(s.sample_limit, 1000u);
  EXPECT_EQ(s.target_limit, 5u);
  EXPECT_EQ(s.label_limit, 30u);
  EXPECT_EQ(s.label_name_length_limit, 100u);
  EXPECT_EQ(s.label_value_length_limit, 200u);
  // The deprecated bearer_token becomes an Authorization of type Bearer.
  ASSERT_TRUE(s.http_client.authorization.has_value());
  EXPECT_EQ(s.http_client.authorization->type, "Bearer");
  EXPECT_EQ(s.http_client.authorization->credentials, "secret");
  EXPECT_EQ(s.http_client.tls_config.ca_file, "ca.pem");  // Parse keeps paths as written
  EXPECT_EQ(s.http_client.tls_config.min_version, "TLS12");
  EXPECT_TRUE(s.http_client.tls_config.insecure_skip_verify);
  EXPECT_EQ(s.http_client.proxy_url, "http://proxy:3128");
  EXPECT_FALSE(s.http_client.follow_redirects);
  EXPECT_FALSE(s.http_client.enable_http2);
  ASSERT_EQ(s.discovery.static_configs.size(), 1u);
  EXPECT_EQ(s.discovery.static_configs[0].targets.size(), 2u);
  EXPECT_EQ(s.discovery.static_configs[0].labels.Get("env"), "prod");
}

TEST(ConfigTest, AuthorizationTypeDefaultsToBearer) {
  Config c =
      MustParse("scrape_configs:\n  - job_name: a\n    authorization: {credentials_file: tok}\n");
  EXPECT_EQ(c.scrape_configs[0].http_client.authorization->type, "Bearer");
  EXPECT_EQ(c.scrape_configs[0].http_client.authorization->credentials_file, "tok");
}

TEST(ConfigTest, ScrapeConfigErrors) {
  EXPECT_EQ(ErrorOf("scrape_configs:\n  - honor_labels: true\n"), "p.yml:2:5: job_name is empty");
  EXPECT_EQ(ErrorOf("scrape_configs:\n  - job_name: a\n  - job_name: a\n"),
            "p.yml:3:5: found multiple scrape configs with job name \"a\"");
  EXPECT_EQ(ErrorOf("scrape_configs:\n  - job_name: a\n    scrape_interval: 5s\n"
                    "    scrape_timeout: 6s\n"),
            "p.yml:2:5: scrape timeout greater than scrape interval for scrape config with job "
            "name \"a\"");
  EXPECT_EQ(ErrorOf("global:\n  scrape_interval: 5s\n  scrape_timeout: 6s\n"),
            "p.yml:2:3: global scrape timeout greater than scrape interval");
  EXPECT_EQ(ErrorOf("scrape_configs:\n  -\n"), "p.yml:3:1: empty or null scrape config section");
  EXPECT_EQ(ErrorOf("scrape_configs:\n  - job_name: a\n    scrape_interval: 1x\n"),
            "p.yml:3:22: field scrape_interval: not a valid duration string: \"1x\"");
  EXPECT_THAT(ErrorOf("scrape_configs:\n  - job_name: a\n    body_size_limit: 100\n"),
              HasSubstr("p.yml:3:22: field body_size_limit: "));
  EXPECT_EQ(ErrorOf("scrape_configs:\n  - job_name: a\n    sample_limit: -1\n"),
            "p.yml:3:19: field sample_limit: cannot read \"-1\" as a non-negative integer");
  EXPECT_EQ(ErrorOf("scrape_configs:\n  - job_name: a\n    scheme: ftp\n"),
            "p.yml:3:13: invalid scheme: \"ftp\"");
  EXPECT_EQ(ErrorOf("scrape_configs:\n  - job_name: a\n    static_configs:\n"
                    "      - targets: ['http://bad']\n"),
            "p.yml:4:7: \"http://bad\" is not a valid hostname");
  // With relabeling, a URL-like target may be rewritten, so it is allowed.
  EXPECT_EQ(ErrorOf("scrape_configs:\n  - job_name: a\n    static_configs:\n"
                    "      - targets: ['http://ok']\n    relabel_configs:\n"
                    "      - {target_label: x, replacement: y}\n"),
            "OK");
  EXPECT_EQ(ErrorOf("scrape_configs:\n  - job_name: a\n    static_configs:\n      -\n"),
            "p.yml:5:1: empty or null section in static_configs");
  EXPECT_EQ(ErrorOf("rule_files: ['a/*/b.yml']\n"),
            "p.yml:1:13: invalid rule file path \"a/*/b.yml\"");
  EXPECT_EQ(ErrorOf("rule_files: ['rules/*.yml', 'x.yml']\n"), "OK");
}

TEST(ConfigTest, ExternalLabelErrors) {
  EXPECT_EQ(ErrorOf("global:\n  external_labels:\n    not$allowed: x\n"),
            "p.yml:3:5: \"not$allowed\" is not a valid label name");
  EXPECT_EQ(ErrorOf("global:\n  external_labels:\n    not:allowed: x\n"),
            "p.yml:3:5: \"not:allowed\" is not a valid label name");
  EXPECT_EQ(ErrorOf("global:\n  external_labels:\n    a: x\n    a: y\n"),
            "p.yml:4:5: key \"a\" already set in map");
  Config c = MustParse("global:\n  external_labels: {region: eu, cluster: c1}\n");
  EXPECT_EQ(c.global.external_labels.ToString(), "{cluster=\"c1\", region=\"eu\"}");
}

TEST(ConfigTest, UnknownKeysAtEachLevel) {
  EXPECT_EQ(ErrorOf("nonexistent_field: 1\n"),
            "p.yml:1:1: field nonexistent_field not found in type config.plain");
  EXPECT_EQ(ErrorOf("global:\n  foo: 1\n"), "p.yml:2:3: field foo not found in type config.plain");
  EXPECT_EQ(ErrorOf("scrape_configs:\n  - job_name: a\n    foo: 1\n"),
            "p.yml:3:5: field foo not found in type config.ScrapeConfig");
  EXPECT_EQ(ErrorOf("scrape_configs:\n  - job_name: a\n    tls_config: {foo: 1}\n"),
            "p.yml:3:18: field foo not found in type config.plain");
  EXPECT_EQ(ErrorOf("scrape_configs:\n  - job_name: a\n    basic_auth: {user: x}\n"),
            "p.yml:3:18: field user not found in type config.plain");
  EXPECT_EQ(ErrorOf("scrape_configs:\n  - job_name: a\n    authorization: {token: x}\n"),
            "p.yml:3:21: field token not found in type config.Authorization");
  EXPECT_EQ(ErrorOf("scrape_configs:\n  - job_name: a\n    static_configs: [{target: [x]}]\n"),
            "p.yml:3:23: field target not found in type targetgroup.Group");
  EXPECT_EQ(ErrorOf("scrape_configs:\n  - job_name: a\n    file_sd_configs: [{file: [x]}]\n"),
            "p.yml:3:24: field file not found in type file.plain");
  EXPECT_EQ(ErrorOf("scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n"
                    "      - role: pod\n        namespaces: {foo: x}\n"),
            "p.yml:5:22: field foo not found in type kubernetes.plain");
  EXPECT_EQ(ErrorOf("scrape_configs:\n  - job_name: a\n    relabel_configs: [{foo: x}]\n"),
            "p.yml:3:24: field foo not found in type relabel.plain");
  EXPECT_EQ(ErrorOf("remote_write:\n  - url: http://x\n    foo: 1\n"),
            "p.yml:3:5: field foo not found in type config.plain");
  EXPECT_EQ(ErrorOf("remote_write:\n  - url: http://x\n    queue_config: {foo: 1}\n"),
            "p.yml:3:20: field foo not found in type config.QueueConfig");
  EXPECT_EQ(ErrorOf("alerting:\n  foo: 1\n"),
            "p.yml:2:3: field foo not found in type config.plain");
  EXPECT_EQ(ErrorOf("alerting:\n  alertmanagers:\n    - foo: 1\n"),
            "p.yml:3:7: field foo not found in type config.AlertmanagerConfig");
  EXPECT_EQ(ErrorOf("storage:\n  tsdb: {foo: 1}\n"),
            "p.yml:2:10: field foo not found in type config.plain");
  EXPECT_EQ(ErrorOf("scrape_configs: []\nscrape_configs: []\n"),
            "p.yml:2:1: field scrape_configs already set in type config.plain");
}

TEST(ConfigTest, UnsupportedDiscoveryIsNamed) {
  EXPECT_EQ(ErrorOf("scrape_configs:\n  - job_name: a\n    consul_sd_configs:\n"
                    "      - server: localhost:8500\n"),
            "p.yml:3:5: consul_sd_configs is not supported by Argus yet (supported: "
            "static_configs, file_sd_configs, kubernetes_sd_configs)");
  EXPECT_THAT(ErrorOf("alerting:\n  alertmanagers:\n    - dns_sd_configs: [{names: [x]}]\n"),
              HasSubstr("p.yml:3:7: dns_sd_configs is not supported by Argus yet"));
  // A misspelling stays an unknown field.
  EXPECT_EQ(ErrorOf("scrape_configs:\n  - job_name: a\n    consult_sd_configs: []\n"),
            "p.yml:3:5: field consult_sd_configs not found in type config.ScrapeConfig");
}

TEST(ConfigTest, HTTPClientErrors) {
  auto job = [](const std::string& fields) {
    return ErrorOf("scrape_configs:\n  - job_name: a\n" + fields);
  };
  EXPECT_EQ(job("    bearer_token: x\n    bearer_token_file: y\n"),
            "p.yml:2:5: at most one of bearer_token & bearer_token_file must be configured");
  EXPECT_EQ(job("    bearer_token: x\n    basic_auth: {username: u}\n"),
            "p.yml:2:5: at most one of basic_auth, oauth2, bearer_token & bearer_token_file must "
            "be configured");
  EXPECT_EQ(job("    authorization: {credentials: x}\n    bearer_token_file: y\n"),
            "p.yml:2:5: authorization is not compatible with bearer_token & bearer_token_file");
  EXPECT_EQ(job("    authorization: {credentials: x}\n    basic_auth: {username: u}\n"),
            "p.yml:2:5: at most one of basic_auth, oauth2 & authorization must be configured");
  EXPECT_EQ(job("    authorization: {type: Basic, credentials: x}\n"),
            "p.yml:2:5: authorization type cannot be set to \"basic\", use \"basic_auth\" instead");
  EXPECT_EQ(job("    authorization: {credentials: x, credentials_file: y}\n"),
            "p.yml:2:5: at most one of authorization credentials & credentials_file must be "
            "configured");
  EXPECT_EQ(job("    basic_auth: {username: u, password: p, password_file: f}\n"),
            "p.yml:2:5: at most one of basic_auth password & password_file must be configured");
  EXPECT_EQ(job("    oauth2: {client_secret: s, token_url: http://t}\n"),
            "p.yml:2:5: oauth2 client_id must be configured");
  EXPECT_EQ(job("    oauth2: {client_id: c, token_url: http://t}\n"),
            "p.yml:2:5: either oauth2 client_secret or client_secret_file must be configured");
  EXPECT_EQ(job("    oauth2: {client_id: c, client_secret: s}\n"),
            "p.yml:2:5: oauth2 token_url must be configured");
  EXPECT_EQ(job("    oauth2: {client_id: c, client_secret: s, token_url: http://t}\n"), "OK");
  EXPECT_EQ(job("    tls_config: {min_version: TLS9}\n"), "p.yml:3:31: unknown TLS version: TLS9");
  EXPECT_EQ(job("    proxy_connect_header: {X: [y]}\n"),
            "p.yml:2:5: if proxy_connect_header is configured proxy_url must also be configured");
}

TEST(ConfigTest, FileSD) {
  Config c = MustParse(
      "scrape_configs:\n  - job_name: a\n    file_sd_configs:\n"
      "      - files: [targets/*.json, more.yml]\n");
  const FileSDConfig& f = c.scrape_configs[0].discovery.file_sd_configs[0];
  EXPECT_EQ(f.files, (std::vector<std::string>{"targets/*.json", "more.yml"}));
  EXPECT_EQ(f.refresh_interval_ms, 5 * 60 * 1000);
  EXPECT_EQ(ErrorOf("scrape_configs:\n  - job_name: a\n    file_sd_configs:\n"
                    "      - files: [targets.txt]\n"),
            "p.yml:4:16: path name \"targets.txt\" is not valid for file discovery");
  EXPECT_EQ(ErrorOf("scrape_configs:\n  - job_name: a\n    file_sd_configs:\n"
                    "      - files: ['a/*/b.json']\n"),
            "p.yml:4:16: path name \"a/*/b.json\" is not valid for file discovery");
  EXPECT_EQ(ErrorOf("scrape_configs:\n  - job_name: a\n    file_sd_configs:\n"
                    "      - refresh_interval: 1m\n"),
            "p.yml:4:9: file service discovery config must contain at least one path name");
}

TEST(ConfigTest, KubernetesSD) {
  auto sd = [](const std::string& body) {
    return ErrorOf("scrape_configs:\n  - job_name: k\n    kubernetes_sd_configs:\n      - " + body +
                   "\n");
  };
  EXPECT_EQ(sd("api_server: https://k8s:6443"),
            "p.yml:4:9: role missing (one of: pod, service, endpoints, endpointslice, node, "
            "ingress)");
  EXPECT_EQ(sd("role: container"), "p.yml:4:15: unknown Kubernetes SD role \"container\"");
  EXPECT_EQ(sd("{role: pod, api_server: 'https://k', kubeconfig_file: /k}"),
            "p.yml:4:9: cannot use 'kubeconfig_file' and 'api_server' simultaneously");
  EXPECT_EQ(sd("{role: pod, bearer_token: x}"),
            "p.yml:4:9: to use custom HTTP client configuration please provide the "
            "'api_server' URL explicitly");
  EXPECT_EQ(sd("{role: pod, kubeconfig_file: /k, tls_config: {insecure_skip_verify: true}}"),
            "p.yml:4:9: cannot use a custom HTTP client configuration together with "
            "'kubeconfig_file'");
  EXPECT_EQ(sd("{role: pod, api_server: 'https://k', namespaces: {own_namespace: true}}"),
            "p.yml:4:9: cannot use 'api_server' and 'namespaces.own_namespace' simultaneously");
  EXPECT_EQ(sd("{role: pod, kubeconfig_file: /k, namespaces: {own_namespace: true}}"),
            "p.yml:4:9: cannot use 'kubeconfig_file' and 'namespaces.own_namespace' "
            "simultaneously");
  EXPECT_EQ(sd("{role: pod, api_server: 'https://k', bearer_token: a, bearer_token_file: b}"),
            "p.yml:4:9: at most one of bearer_token & bearer_token_file must be configured");
  EXPECT_EQ(sd("{role: endpoints, selectors: [{role: node}]}"),
            "p.yml:4:39: endpoints role supports only pod, service, endpoints selectors");
  EXPECT_EQ(sd("{role: node, selectors: [{role: pod}]}"),
            "p.yml:4:34: node role supports only node selectors");
  EXPECT_EQ(sd("{role: pod, selectors: [{role: pod}, {role: pod}]}"),
            "p.yml:4:46: duplicated selector role: pod");
  EXPECT_EQ(sd("{role: pod, selectors: [{role: pod, field: 'metadata.status-Running'}]}"),
            "p.yml:4:52: invalid selector: 'metadata.status-Running'; can't understand "
            "'metadata.status-Running'");
  Config c = MustParse(R"(scrape_configs:
  - job_name: k
    kubernetes_sd_configs:
      - role: endpoints
        api_server: https://k8s:6443
        bearer_token_file: /var/run/token
        tls_config: {ca_file: /ca.crt}
        namespaces: {names: [default, kube-system]}
        selectors:
          - {role: pod, label: app=web, field: 'spec.nodeName=n1'}
        attach_metadata: {node: true}
)");
  const KubernetesSDConfig& k = c.scrape_configs[0].discovery.kubernetes_sd_configs[0];
  EXPECT_EQ(k.role, "endpoints");
  EXPECT_EQ(k.api_server, "https://k8s:6443");
  EXPECT_EQ(k.http_client.authorization->credentials_file, "/var/run/token");
  EXPECT_EQ(k.namespaces, (std::vector<std::string>{"default", "kube-system"}));
  ASSERT_EQ(k.selectors.size(), 1u);
  EXPECT_EQ(k.selectors[0].label, "app=web");
  EXPECT_TRUE(k.attach_metadata_node);
}

TEST(ConfigTest, RelabelErrorsPassThrough) {
  EXPECT_EQ(ErrorOf("scrape_configs:\n  - job_name: a\n    relabel_configs:\n      -\n"),
            "p.yml:5:1: empty or null target relabeling rule in scrape config");
  EXPECT_EQ(ErrorOf("scrape_configs:\n  - job_name: a\n    metric_relabel_configs:\n      -\n"),
            "p.yml:5:1: empty or null metric relabeling rule in scrape config");
  EXPECT_THAT(ErrorOf("scrape_configs:\n  - job_name: a\n    metric_relabel_configs:\n"
                      "      - {action: labeldrop, regex: x, target_label: y}\n"),
              HasSubstr("labeldrop action requires only 'regex', and no other fields"));
  EXPECT_THAT(ErrorOf("scrape_configs:\n  - job_name: a\n    relabel_configs:\n"
                      "      - {regex: '(', target_label: y}\n"),
              HasSubstr("error parsing regexp"));
  Config c = MustParse(R"(scrape_configs:
  - job_name: a
    relabel_configs:
      - {source_labels: [__address__], target_label: host}
    metric_relabel_configs:
      - {source_labels: [__name__], regex: 'go_.*', action: drop}
)");
  EXPECT_EQ(c.scrape_configs[0].relabel_configs.size(), 1u);
  EXPECT_EQ(c.scrape_configs[0].metric_relabel_configs[0].action, relabel::Action::kDrop);
}

TEST(ConfigTest, RemoteWriteAndRead) {
  Config c = MustParse(R"(remote_write:
  - url: http://rw/api/v1/write
    name: one
    headers: {X-Scope-OrgID: t1}
    queue_config: {max_shards: 10}
    write_relabel_configs: [{source_labels: [__name__], regex: 'up', action: keep}]
remote_read:
  - url: http://rr/api/v1/read
    read_recent: true
    required_matchers: {job: a}
)");
  ASSERT_EQ(c.remote_write.size(), 1u);
  EXPECT_EQ(c.remote_write[0].remote_timeout_ms, 30000);
  EXPECT_EQ(c.remote_write[0].queue_config.max_shards, 10);
  EXPECT_EQ(c.remote_write[0].queue_config.capacity, 2500);
  EXPECT_TRUE(c.remote_write[0].metadata_config.send);
  EXPECT_EQ(c.remote_write[0].write_relabel_configs.size(), 1u);
  ASSERT_EQ(c.remote_read.size(), 1u);
  EXPECT_EQ(c.remote_read[0].remote_timeout_ms, 60000);
  EXPECT_TRUE(c.remote_read[0].filter_external_labels);
  EXPECT_EQ(c.remote_read[0].required_matchers.Get("job"), "a");

  EXPECT_EQ(ErrorOf("remote_write:\n  - name: x\n"), "p.yml:2:5: url for remote_write is empty");
  EXPECT_EQ(ErrorOf("remote_read:\n  - name: x\n"), "p.yml:2:5: url for remote_read is empty");
  EXPECT_EQ(ErrorOf("remote_write:\n  - url: http://x\n    headers:\n"
                    "      x-prometheus-remote-write-version: '9'\n"),
            "p.yml:4:7: x-prometheus-remote-write-version is a reserved header. It must not be "
            "changed");
  EXPECT_EQ(ErrorOf("remote_write:\n  - url: http://x\n    headers: {Authorization: x}\n"),
            "p.yml:3:14: authorization header must be changed via the basic_auth, "
            "authorization, oauth2, or sigv4 parameter");
  EXPECT_EQ(
      ErrorOf("remote_write:\n  - {url: 'http://x', name: q}\n  - {url: 'http://y', name: q}\n"),
      "p.yml:3:5: found multiple remote write configs with job name \"q\"");
  EXPECT_EQ(
      ErrorOf("remote_read:\n  - {url: 'http://x', name: q}\n  - {url: 'http://y', name: q}\n"),
      "p.yml:3:5: found multiple remote read configs with job name \"q\"");
  EXPECT_EQ(ErrorOf("remote_write:\n  -\n"),
            "p.yml:3:1: empty or null remote write config section");
  EXPECT_EQ(ErrorOf("remote_write:\n  - url: http://x\n    basic_auth: {username: u}\n"
                    "    sigv4: {region: eu}\n"),
            "p.yml:2:5: at most one of basic_auth, authorization, oauth2, & sigv4 must be "
            "configured");
}

TEST(ConfigTest, AlertingStorageTracing) {
  Config c = MustParse(R"(alerting:
  alert_relabel_configs: [{regex: replica, action: labeldrop}]
  alertmanagers:
    - static_configs: [{targets: ['am:9093']}]
      path_prefix: /am
storage:
  tsdb: {out_of_order_time_window: 30m}
  exemplars: {max_exemplars: 10}
tracing:
  endpoint: otel:4317
)");
  ASSERT_EQ(c.alerting.alertmanagers.size(), 1u);
  EXPECT_EQ(c.alerting.alertmanagers[0].api_version, "v2");
  EXPECT_EQ(c.alerting.alertmanagers[0].timeout_ms, 10000);
  EXPECT_EQ(c.alerting.alert_relabel_configs.size(), 1u);
  EXPECT_EQ(c.storage.out_of_order_time_window_ms, 30 * 60 * 1000);
  EXPECT_EQ(c.storage.max_exemplars, 10);
  ASSERT_TRUE(c.tracing.has_value());
  EXPECT_EQ(c.tracing->client_type, "grpc");
  EXPECT_EQ(ErrorOf("alerting:\n  alertmanagers:\n    - api_version: v3\n"),
            "p.yml:3:20: expected Alertmanager api version to be one of [v1 v2] but got v3");
  EXPECT_EQ(ErrorOf("tracing:\n  insecure: true\n"), "p.yml:2:3: tracing endpoint must be set");
  EXPECT_EQ(ErrorOf("tracing: {endpoint: x, compression: lz4}\n"),
            "p.yml:1:37: invalid compression type lz4 provided, valid options: gzip");
}

class LoadFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ =
        std::filesystem::path(::testing::TempDir() + "/config_test_" + std::to_string(::getpid()))
            .lexically_normal()
            .string();
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    return path;
  }

  std::string dir_;
};

TEST_F(LoadFileTest, ResolvesRelativePathsAgainstTheFilesDirectory) {
  std::string path = Write("prometheus.yml", R"(global:
  query_log_file: queries.log
rule_files: [rules/*.yml, /abs/r.yml]
scrape_configs:
  - job_name: a
    basic_auth: {username: u, password_file: secrets/pw}
    tls_config: {ca_file: ca.pem, cert_file: /etc/c.pem, key_file: k.pem}
    file_sd_configs: [{files: [sd/*.json]}]
    kubernetes_sd_configs: [{role: node, kubeconfig_file: kube/config}]
remote_write:
  - url: http://x
    authorization: {credentials_file: ./tok}
)");
  absl::StatusOr<Config> c = LoadFile(path);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->global.query_log_file, dir_ + "/queries.log");
  EXPECT_EQ(c->rule_files, (std::vector<std::string>{dir_ + "/rules/*.yml", "/abs/r.yml"}));
  const ScrapeConfig& s = c->scrape_configs[0];
  EXPECT_EQ(s.http_client.basic_auth->password_file, dir_ + "/secrets/pw");
  EXPECT_EQ(s.http_client.tls_config.ca_file, dir_ + "/ca.pem");
  EXPECT_EQ(s.http_client.tls_config.cert_file, "/etc/c.pem");
  EXPECT_EQ(s.discovery.file_sd_configs[0].files[0], dir_ + "/sd/*.json");
  EXPECT_EQ(s.discovery.kubernetes_sd_configs[0].kubeconfig_file, dir_ + "/kube/config");
  EXPECT_EQ(c->remote_write[0].http_client.authorization->credentials_file, dir_ + "/tok");
}

TEST_F(LoadFileTest, ErrorsNameTheFile) {
  std::string path = Write("bad.yml", "scrape_configs:\n  - job_name: ''\n");
  absl::StatusOr<Config> c = LoadFile(path);
  EXPECT_EQ(c.status().message(), path + ":2:5: job_name is empty");
  EXPECT_EQ(LoadFile(dir_ + "/missing.yml").status().code(), absl::StatusCode::kNotFound);
}

// The shape of a typical Kubernetes deployment's prometheus.yml.
constexpr char kRealistic[] = R"(global:
  scrape_interval: 30s
  scrape_timeout: 10s
  evaluation_interval: 30s
  external_labels:
    cluster: prod-eu-1
    stage: production
    region: eu-west-1

rule_files:
  - /etc/prometheus/rules/*.yml

scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ['localhost:9090']

  - job_name: node-exporter
    scrape_interval: 15s
    static_configs:
      - targets: ['10.0.1.10:9100', '10.0.1.11:9100', '10.0.1.12:9100']
        labels:
          role: worker
    metric_relabel_configs:
      - source_labels: [__name__]
        regex: 'node_(scrape_collector_.*|textfile_.*)'
        action: drop

  - job_name: kubernetes-cadvisor
    scheme: https
    metrics_path: /metrics/cadvisor
    authorization:
      credentials_file: /var/run/secrets/kubernetes.io/serviceaccount/token
    tls_config:
      ca_file: /var/run/secrets/kubernetes.io/serviceaccount/ca.crt
      insecure_skip_verify: true
    kubernetes_sd_configs:
      - role: node
    relabel_configs:
      - action: labelmap
        regex: __meta_kubernetes_node_label_(.+)
      - source_labels: [__meta_kubernetes_node_name]
        target_label: node
      - target_label: __address__
        replacement: kubernetes.default.svc:443
    metric_relabel_configs:
      - source_labels: [container]
        regex: ''
        action: drop

  - job_name: kubernetes-pods
    kubernetes_sd_configs:
      - role: pod
        namespaces:
          names: [default, monitoring]
    relabel_configs:
      - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]
        regex: 'true'
        action: keep
      - source_labels: [__address__, __meta_kubernetes_pod_annotation_prometheus_io_port]
        regex: '([^:]+)(?::\d+)?;(\d+)'
        replacement: '$1:$2'
        target_label: __address__
      - source_labels: [__meta_kubernetes_namespace]
        target_label: namespace
      - source_labels: [__meta_kubernetes_pod_name]
        target_label: pod
)";

TEST(ConfigTest, RealisticKubernetesConfigLoads) {
  Config c = MustParse(kRealistic);
  EXPECT_EQ(c.global.external_labels.ToString(),
            "{cluster=\"prod-eu-1\", region=\"eu-west-1\", stage=\"production\"}");
  ASSERT_EQ(c.scrape_configs.size(), 4u);
  EXPECT_EQ(c.scrape_configs[0].scrape_interval_ms, 30000);
  EXPECT_EQ(c.scrape_configs[1].scrape_interval_ms, 15000);
  EXPECT_EQ(c.scrape_configs[1].scrape_timeout_ms, 10000);
  const ScrapeConfig& cadvisor = c.scrape_configs[2];
  EXPECT_EQ(cadvisor.scheme, "https");
  EXPECT_EQ(cadvisor.discovery.kubernetes_sd_configs[0].role, "node");
  EXPECT_EQ(cadvisor.relabel_configs.size(), 3u);
  EXPECT_EQ(cadvisor.http_client.authorization->type, "Bearer");
  EXPECT_EQ(c.scrape_configs[3].discovery.kubernetes_sd_configs[0].namespaces.size(), 2u);
}

}  // namespace
}  // namespace argus::config
