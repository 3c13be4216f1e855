#include "config/discovery.h"

#include <algorithm>
#include <set>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/status.h"

namespace argus::config {
namespace {

using internal::JoinDir;

// The other discovery mechanisms of Prometheus v2.42.
constexpr absl::string_view kUnsupportedKeys[] = {
    "azure_sd_configs",     "consul_sd_configs",      "digitalocean_sd_configs",
    "docker_sd_configs",    "dockerswarm_sd_configs", "dns_sd_configs",
    "ec2_sd_configs",       "eureka_sd_configs",      "gce_sd_configs",
    "hetzner_sd_configs",   "http_sd_configs",        "ionos_sd_configs",
    "kuma_sd_configs",      "lightsail_sd_configs",   "linode_sd_configs",
    "marathon_sd_configs",  "nerve_sd_configs",       "nomad_sd_configs",
    "openstack_sd_configs", "ovhcloud_sd_configs",    "puppetdb_sd_configs",
    "scaleway_sd_configs",  "serverset_sd_configs",   "triton_sd_configs",
    "uyuni_sd_configs",     "vultr_sd_configs"};

// discovery/file's name pattern: an optional '*' glob in the last path element, and a
// .json/.yml/.yaml extension (either all lower or all upper case).
bool ValidFileSDName(absl::string_view name) {
  bool ext = false;
  for (absl::string_view e : {".json", ".yml", ".yaml", ".JSON", ".YML", ".YAML"}) {
    ext = ext || absl::EndsWith(name, e);
  }
  size_t star = name.find('*');
  return ext &&
         (star == absl::string_view::npos || name.find('/', star) == absl::string_view::npos);
}

absl::StatusOr<TargetGroup> ParseTargetGroup(const YamlDoc& doc, const YAML::Node& node) {
  RETURN_IF_ERROR(internal::CheckFields(doc, node, {"targets", "labels"}, "targetgroup.Group"));
  TargetGroup g;
  RETURN_IF_ERROR(doc.Read(node, "targets", &g.targets));
  ASSIGN_OR_RETURN(g.labels, internal::ReadLabelSet(doc, node, "labels"));
  return g;
}

absl::StatusOr<FileSDConfig> ParseFileSD(const YamlDoc& doc, const YAML::Node& node) {
  RETURN_IF_ERROR(internal::CheckFields(doc, node, {"files", "refresh_interval"}, "file.plain"));
  FileSDConfig c;
  RETURN_IF_ERROR(doc.Read(node, "files", &c.files));
  RETURN_IF_ERROR(internal::ReadDuration(doc, node, "refresh_interval", &c.refresh_interval_ms));
  if (c.files.empty()) {
    return doc.Error(node, "file service discovery config must contain at least one path name");
  }
  for (const std::string& f : c.files) {
    if (!ValidFileSDName(f)) {
      return doc.Error(internal::Child(node, "files"),
                       absl::StrCat("path name \"", f, "\" is not valid for file discovery"));
    }
  }
  return c;
}

bool KnownRole(absl::string_view role) {
  for (absl::string_view r : {"node", "pod", "service", "endpoints", "endpointslice", "ingress"}) {
    if (r == role) return true;
  }
  return false;
}

absl::Status ReadRole(const YamlDoc& doc, const YAML::Node& map, std::string* role) {
  RETURN_IF_ERROR(doc.Read(map, "role", role));
  if (role->empty() || KnownRole(*role)) return absl::OkStatus();
  return doc.Error(internal::Child(map, "role"),
                   absl::StrCat("unknown Kubernetes SD role \"", *role, "\""));
}

// The shape of a Kubernetes field selector: comma-separated terms, each key=value, key==value or
// key!=value (k8s fields.ParseSelector, without its escape sequences).
absl::Status CheckFieldSelector(const YamlDoc& doc, const YAML::Node& at, const std::string& sel) {
  if (sel.empty()) return absl::OkStatus();
  for (absl::string_view term : absl::StrSplit(sel, ',')) {
    if (!absl::StrContains(term, '=')) {
      return doc.Error(
          at, absl::StrCat("invalid selector: '", sel, "'; can't understand '", term, "'"));
    }
  }
  return absl::OkStatus();
}

// The selector roles each discovery role accepts.
std::vector<std::string> AllowedSelectorRoles(const std::string& role) {
  if (role == "endpoints") return {"pod", "service", "endpoints"};
  if (role == "endpointslice") return {"pod", "service", "endpointslice"};
  return {role};
}

absl::Status ParseSelectors(const YamlDoc& doc, const YAML::Node& node, KubernetesSDConfig* c) {
  ASSIGN_OR_RETURN(std::vector<YAML::Node> items, internal::ReadList(doc, node, "selectors"));
  std::set<std::string> seen;
  for (const YAML::Node& item : items) {
    RETURN_IF_ERROR(
        internal::CheckFields(doc, item, {"role", "label", "field"}, "kubernetes.SelectorConfig"));
    KubernetesSelector s;
    RETURN_IF_ERROR(ReadRole(doc, item, &s.role));
    RETURN_IF_ERROR(doc.Read(item, "label", &s.label));
    RETURN_IF_ERROR(doc.Read(item, "field", &s.field));
    if (!seen.insert(s.role).second) {
      return doc.Error(item, absl::StrCat("duplicated selector role: ", s.role));
    }
    std::vector<std::string> allowed = AllowedSelectorRoles(c->role);
    if (std::find(allowed.begin(), allowed.end(), s.role) == allowed.end()) {
      return doc.Error(item, absl::StrCat(c->role, " role supports only ",
                                          absl::StrJoin(allowed, ", "), " selectors"));
    }
    RETURN_IF_ERROR(CheckFieldSelector(doc, internal::Child(item, "field"), s.field));
    c->selectors.push_back(std::move(s));
  }
  return absl::OkStatus();
}

absl::StatusOr<KubernetesSDConfig> ParseKubernetesSD(const YamlDoc& doc, const YAML::Node& node) {
  RETURN_IF_ERROR(internal::CheckFields(
      doc, node,
      internal::Concat(
          {"api_server", "role", "kubeconfig_file", "namespaces", "selectors", "attach_metadata"},
          HTTPClientKeys()),
      "kubernetes.plain"));
  KubernetesSDConfig c;
  RETURN_IF_ERROR(doc.Read(node, "api_server", &c.api_server));
  RETURN_IF_ERROR(ReadRole(doc, node, &c.role));
  RETURN_IF_ERROR(doc.Read(node, "kubeconfig_file", &c.kubeconfig_file));
  const YAML::Node ns = internal::Child(node, "namespaces");
  RETURN_IF_ERROR(internal::CheckFields(doc, ns, {"own_namespace", "names"}, "kubernetes.plain"));
  RETURN_IF_ERROR(doc.Read(ns, "own_namespace", &c.own_namespace));
  RETURN_IF_ERROR(doc.Read(ns, "names", &c.namespaces));
  const YAML::Node meta = internal::Child(node, "attach_metadata");
  RETURN_IF_ERROR(internal::CheckFields(doc, meta, {"node"}, "kubernetes.AttachMetadataConfig"));
  RETURN_IF_ERROR(doc.Read(meta, "node", &c.attach_metadata_node));

  auto fail = [&](absl::string_view msg) { return doc.Error(node, msg); };
  if (c.role.empty()) {
    return fail("role missing (one of: pod, service, endpoints, endpointslice, node, ingress)");
  }
  ASSIGN_OR_RETURN(c.http_client, ParseHTTPClientConfig(doc, node));
  const bool custom_http = !(c.http_client == HTTPClientConfig{});
  if (!c.api_server.empty() && !c.kubeconfig_file.empty()) {
    return fail("cannot use 'kubeconfig_file' and 'api_server' simultaneously");
  }
  if (!c.kubeconfig_file.empty() && custom_http) {
    return fail("cannot use a custom HTTP client configuration together with 'kubeconfig_file'");
  }
  if (c.api_server.empty() && custom_http) {
    return fail(
        "to use custom HTTP client configuration please provide the 'api_server' URL explicitly");
  }
  if (!c.api_server.empty() && c.own_namespace) {
    return fail("cannot use 'api_server' and 'namespaces.own_namespace' simultaneously");
  }
  if (!c.kubeconfig_file.empty() && c.own_namespace) {
    return fail("cannot use 'kubeconfig_file' and 'namespaces.own_namespace' simultaneously");
  }
  RETURN_IF_ERROR(ParseSelectors(doc, node, &c));
  return c;
}

// Parses each non-null item of map[key] with `parse`; a null item is an error, as discovery's
// registry words it.
template <typename T, typename F>
absl::Status ParseEach(const YamlDoc& doc, const YAML::Node& map, absl::string_view key, F parse,
                       std::vector<T>* out) {
  ASSIGN_OR_RETURN(std::vector<YAML::Node> items, internal::ReadList(doc, map, key));
  for (const YAML::Node& item : items) {
    if (item.IsNull()) return doc.Error(item, absl::StrCat("empty or null section in ", key));
    ASSIGN_OR_RETURN(T c, parse(doc, item));
    out->push_back(std::move(c));
  }
  return absl::OkStatus();
}

}  // namespace

void ServiceDiscoveryConfigs::SetDirectory(const std::string& dir) {
  for (FileSDConfig& f : file_sd_configs) {
    for (std::string& file : f.files) file = JoinDir(dir, file);
  }
  for (KubernetesSDConfig& k : kubernetes_sd_configs) {
    k.http_client.SetDirectory(dir);
    k.kubeconfig_file = JoinDir(dir, k.kubeconfig_file);
  }
}

absl::Status CheckStaticTargets(const YamlDoc& doc, const YAML::Node& map,
                                const ServiceDiscoveryConfigs& sd) {
  for (const TargetGroup& g : sd.static_configs) {
    for (const std::string& t : g.targets) {
      if (absl::StrContains(t, '/')) {
        return doc.Error(internal::Child(map, "static_configs"),
                         absl::StrCat("\"", t, "\" is not a valid hostname"));
      }
    }
  }
  return absl::OkStatus();
}

const internal::KeyList& ServiceDiscoveryKeys() {
  static const internal::KeyList* const kKeys =
      new internal::KeyList{"static_configs", "file_sd_configs", "kubernetes_sd_configs"};
  return *kKeys;
}

absl::StatusOr<ServiceDiscoveryConfigs> ParseServiceDiscovery(const YamlDoc& doc,
                                                              const YAML::Node& map) {
  ServiceDiscoveryConfigs sd;
  if (!map.IsDefined() || !map.IsMap()) return sd;
  for (const auto& kv : map) {
    const std::string& key = kv.first.Scalar();
    for (absl::string_view other : kUnsupportedKeys) {
      if (key == other) {
        return doc.Error(kv.first, absl::StrCat(key, " is not supported by Argus yet (supported: ",
                                                absl::StrJoin(ServiceDiscoveryKeys(), ", "), ")"));
      }
    }
  }
  RETURN_IF_ERROR(ParseEach(doc, map, "static_configs", ParseTargetGroup, &sd.static_configs));
  RETURN_IF_ERROR(ParseEach(doc, map, "file_sd_configs", ParseFileSD, &sd.file_sd_configs));
  RETURN_IF_ERROR(
      ParseEach(doc, map, "kubernetes_sd_configs", ParseKubernetesSD, &sd.kubernetes_sd_configs));
  return sd;
}

}  // namespace argus::config
