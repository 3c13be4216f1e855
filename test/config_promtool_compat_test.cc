// Config loading against the real promtool (Debian's 2.42): each configuration of a small
// corpus, valid and invalid ones, goes through `promtool check config FILE` and Argus's
// config::LoadFile, and both must accept it or both reject it; for rejections with a shared
// message, both outputs must contain it. Files a config refers to (rule files, credentials)
// are written next to it, since promtool checks that they exist.
//
// Debian's promtool is built without Kubernetes service discovery (it rejects the key as an
// unknown field), so for the cases using kubernetes_sd_configs only Argus's verdict is checked
// when the installed promtool lacks it (the test prints "NOT RUN" for the comparison); the same
// shapes without Kubernetes are compared in full.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "config/config.h"
#include "gtest/gtest.h"
#include "util/process.h"

namespace argus {
namespace {

using testing::CommandResult;
using testing::RunCommand;

constexpr char kPromtool[] = "/usr/bin/promtool";

struct Case {
  const char* name;
  const char* yaml;
  bool valid;
  const char* message = "";  // for an invalid config: a part of both error messages
  bool kubernetes = false;   // uses kubernetes_sd_configs
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

// Files some cases refer to, relative to the config's directory.
const std::map<std::string, std::string> kSideFiles = {
    {"alerts.yml", "groups: []\n"},
    {"token", "s3cr3t\n"},
    {"password", "hunter2\n"},
};

const Case kCases[] = {
    {"empty", "", true},
    {"minimal",
     "scrape_configs:\n  - job_name: self\n    static_configs: [{targets: [localhost:9090]}]\n",
     true},
    {"realistic_kubernetes", R"(global:
  scrape_interval: 30s
  scrape_timeout: 10s
  evaluation_interval: 30s
  external_labels: {cluster: prod-eu-1, stage: production, region: eu-west-1}
rule_files: [alerts.yml, rules/*.yml]
scrape_configs:
  - job_name: node-exporter
    scrape_interval: 15s
    static_configs:
      - targets: ['10.0.1.10:9100', '10.0.1.11:9100']
        labels: {role: worker}
    metric_relabel_configs:
      - {source_labels: [__name__], regex: 'node_textfile_.*', action: drop}
  - job_name: kubernetes-cadvisor
    scheme: https
    metrics_path: /metrics/cadvisor
    authorization: {credentials_file: token}
    tls_config: {ca_file: ca.crt, insecure_skip_verify: true}
    kubernetes_sd_configs: [{role: node}]
    relabel_configs:
      - {action: labelmap, regex: __meta_kubernetes_node_label_(.+)}
      - {source_labels: [__meta_kubernetes_node_name], target_label: node}
      - {target_label: __address__, replacement: 'kubernetes.default.svc:443'}
  - job_name: pods
    kubernetes_sd_configs:
      - role: pod
        namespaces: {names: [default, monitoring]}
        selectors: [{role: pod, label: 'app=web', field: 'spec.nodeName=n1'}]
    relabel_configs:
      - {source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape], regex: 'true', action: keep}
)",
     true, "", true},
    {"realistic_static", R"(global:
  scrape_interval: 30s
  external_labels: {cluster: prod-eu-1, stage: production, region: eu-west-1}
rule_files: [alerts.yml]
scrape_configs:
  - job_name: node-exporter
    scrape_interval: 15s
    static_configs:
      - targets: ['10.0.1.10:9100', '10.0.1.11:9100']
        labels: {role: worker}
    metric_relabel_configs:
      - {source_labels: [__name__], regex: 'node_textfile_.*', action: drop}
  - job_name: kubelet-cadvisor
    scheme: https
    metrics_path: /metrics/cadvisor
    authorization: {credentials_file: token}
    tls_config: {ca_file: ca.crt, insecure_skip_verify: true}
    file_sd_configs: [{files: ['nodes/*.json']}]
    relabel_configs:
      - {source_labels: [__address__], regex: '([^:]+):.*', target_label: node}
      - {target_label: __address__, replacement: 'kubernetes.default.svc:443'}
)",
     true},
    {"everything_else", R"(alerting:
  alertmanagers:
    - static_configs: [{targets: ['am:9093']}]
      basic_auth: {username: u, password_file: password}
remote_write:
  - url: http://rw/api/v1/write
    queue_config: {max_shards: 4}
    write_relabel_configs: [{regex: replica, action: labeldrop}]
remote_read:
  - url: http://rr/api/v1/read
    read_recent: true
storage:
  tsdb: {out_of_order_time_window: 10m}
tracing: {endpoint: 'otel:4317'}
scrape_configs:
  - job_name: files
    file_sd_configs: [{files: ['targets/*.json'], refresh_interval: 1m}]
)",
     true},
    {"job_name_empty", "scrape_configs:\n  - scrape_interval: 5s\n", false, "job_name is empty"},
    {"job_name_duplicate", "scrape_configs:\n  - job_name: a\n  - job_name: a\n", false,
     "found multiple scrape configs with job name \"a\""},
    {"timeout_above_interval",
     "scrape_configs:\n  - job_name: a\n    scrape_interval: 5s\n    scrape_timeout: 6s\n", false,
     "scrape timeout greater than scrape interval for scrape config with job name \"a\""},
    {"external_label_name", "global:\n  external_labels: {'not-allowed': x}\n", false,
     "\"not-allowed\" is not a valid label name"},
    {"external_label_duplicate", "global:\n  external_labels:\n    a: x\n    a: y\n", false,
     "key \"a\" already set in map"},
    {"unknown_top_level_field", "scrape_config: []\n", false,
     "field scrape_config not found in type config.plain"},
    {"unknown_scrape_field", "scrape_configs:\n  - job_name: a\n    interval: 5s\n", false,
     "field interval not found"},
    {"bearer_token_twice",
     "scrape_configs:\n  - job_name: a\n    bearer_token: x\n    bearer_token_file: token\n", false,
     "at most one of bearer_token & bearer_token_file must be configured"},
    {"authorization_and_basic_auth",
     "scrape_configs:\n  - job_name: a\n    authorization: {credentials: x}\n"
     "    basic_auth: {username: u}\n",
     false, "at most one of basic_auth, oauth2 & authorization must be configured"},
    {"kubernetes_role_missing",
     "scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs: [{api_server: 'https://k'}]\n",
     false, "role missing", true},
    {"kubernetes_kubeconfig_and_api_server",
     "scrape_configs:\n  - job_name: a\n    kubernetes_sd_configs:\n"
     "      - {role: pod, api_server: 'https://k', kubeconfig_file: kc}\n",
     false, "cannot use 'kubeconfig_file' and 'api_server' simultaneously", true},
    {"url_as_target",
     "scrape_configs:\n  - job_name: a\n    static_configs: [{targets: ['http://host:80']}]\n",
     false, "\"http://host:80\" is not a valid hostname"},
    {"remote_write_without_url", "remote_write:\n  - name: x\n", false,
     "url for remote_write is empty"},
    {"rule_file_glob_in_directory", "rule_files: ['rules/*/x.yml']\n", false,
     "invalid rule file path \"rules/*/x.yml\""},
    {"file_sd_bad_extension",
     "scrape_configs:\n  - job_name: a\n    file_sd_configs: [{files: [targets.txt]}]\n", false,
     "path name \"targets.txt\" is not valid for file discovery"},
    {"labeldrop_with_target",
     "scrape_configs:\n  - job_name: a\n    metric_relabel_configs:\n"
     "      - {action: labeldrop, regex: x, target_label: y}\n",
     false, "labeldrop action requires only 'regex', and no other fields"},
    {"bad_duration", "global:\n  scrape_interval: 1x\n", false, "not a valid duration string"},
    {"global_timeout_above_interval", "global:\n  scrape_timeout: 2m\n", false,
     "global scrape timeout greater than scrape interval"},
    {"unknown_tls_version",
     "scrape_configs:\n  - job_name: a\n    tls_config: {min_version: TLS9}\n", false,
     "unknown TLS version: TLS9"},
    {"oauth2_without_client_id",
     "scrape_configs:\n  - job_name: a\n    oauth2: {client_secret: s, token_url: 'http://t'}\n",
     false, "oauth2 client_id must be configured"},
    {"alertmanager_api_v3", "alerting:\n  alertmanagers: [{api_version: v3}]\n", false,
     "expected Alertmanager api version to be one of [v1 v2] but got v3"},
    {"tracing_without_endpoint", "tracing: {insecure: true}\n", false,
     "tracing endpoint must be set"},
    {"remote_write_reserved_header",
     "remote_write:\n  - url: http://x\n    headers: {User-Agent: me}\n", false,
     "User-Agent is a reserved header. It must not be changed"},
    {"null_static_config", "scrape_configs:\n  - job_name: a\n    static_configs:\n      -\n",
     false, "empty or null section in static_configs"},
    {"null_relabel_rule", "scrape_configs:\n  - job_name: a\n    relabel_configs:\n      -\n",
     false, "empty or null target relabeling rule in scrape config"},
    {"repeated_section", "scrape_configs: []\nscrape_configs: []\n", false,
     "field scrape_configs already set in type config.plain"},
    {"target_label_name",
     "scrape_configs:\n  - job_name: a\n    static_configs:\n"
     "      - {targets: ['a:1'], labels: {'a-b': x}}\n",
     false, "\"a-b\" is not a valid label name"},
    {"remote_write_empty_url_string", "remote_write:\n  - url: ''\n", true},
    {"bearer_token_file_relative",
     "scrape_configs:\n  - job_name: a\n    bearer_token_file: token\n", true},
    {"file_sd_no_files",
     "scrape_configs:\n  - job_name: a\n    file_sd_configs: [{refresh_interval: 1m}]\n", false,
     "file service discovery config must contain at least one path name"},
};

// Whether the installed promtool knows kubernetes_sd_configs.
bool PromtoolHasKubernetes() {
  static const bool has = [] {
    std::string path =
        ::testing::TempDir() + "/config_compat_k8s_probe_" + std::to_string(::getpid()) + ".yml";
    std::ofstream(path) << "scrape_configs:\n  - job_name: k\n"
                           "    kubernetes_sd_configs: [{role: pod}]\n";
    CommandResult r = RunCommand({kPromtool, "check", "config", path});
    std::filesystem::remove(path);
    return r.exit_code == 0;
  }();
  return has;
}

class ConfigPromtoolCompatTest : public ::testing::TestWithParam<Case> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::path(::testing::TempDir() + "/config_compat_" +
                                 std::to_string(::getpid()) + "_" + GetParam().name)
               .lexically_normal()
               .string();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    for (const auto& [name, text] : kSideFiles) std::ofstream(dir_ + "/" + name) << text;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string dir_;
};

TEST_P(ConfigPromtoolCompatTest, SameVerdictAsPromtool) {
  const Case& c = GetParam();
  const std::string path = dir_ + "/prometheus.yml";
  std::ofstream(path) << c.yaml;

  absl::StatusOr<config::Config> ours = config::LoadFile(path);
  EXPECT_EQ(ours.ok(), c.valid) << "argus: " << ours.status();
  if (!c.valid) {
    EXPECT_TRUE(absl::StrContains(ours.status().message(), c.message)) << ours.status();
    // Argus names the file and position.
    EXPECT_TRUE(absl::StartsWith(ours.status().message(), path + ":")) << ours.status();
  }

  CommandResult theirs = RunCommand({kPromtool, "check", "config", path});
  ASSERT_NE(theirs.exit_code, 127) << "promtool missing";
  if (c.kubernetes && !PromtoolHasKubernetes()) {
    // Nothing to compare with: this promtool rejects the key itself. Argus's verdict was
    // checked against the case's expectation above; say loudly that the oracle half did not run.
    EXPECT_TRUE(absl::StrContains(theirs.output, "kubernetes_sd_configs")) << theirs.output;
    std::cerr << "NOT RUN: promtool comparison for " << c.name
              << " (this promtool is built without Kubernetes SD)\n";
    RecordProperty("promtool_comparison", "not run: promtool lacks kubernetes_sd_configs");
    return;
  }
  EXPECT_EQ(theirs.exit_code == 0, c.valid) << "promtool: " << theirs.output;
  if (!c.valid) {
    EXPECT_TRUE(absl::StrContains(theirs.output, c.message)) << theirs.output;
  }
}

INSTANTIATE_TEST_SUITE_P(Corpus, ConfigPromtoolCompatTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return std::string(info.param.name);
                         });

}  // namespace
}  // namespace argus
