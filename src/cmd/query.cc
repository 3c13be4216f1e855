// `argus query`: Thanos's querier. Fans every query out to the StoreAPI endpoints (sidecars,
// store gateways, servers, other queriers), merges and deduplicates HA replicas, and answers
// PromQL over the Prometheus HTTP API (plus Thanos's dedup, replicaLabels[] and
// partial_response parameters and /api/v1/stores); serves the StoreAPI itself (component
// "query") so queriers stack. Ready once the endpoints were asked for Info the first time.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/buildinfo.h"
#include "base/logging.h"
#include "base/signals.h"
#include "base/status.h"
#include "base/units.h"
#include "cmd/command.h"
#include "cmd/grpc_flags.h"
#include "cmd/status_api.h"
#include "http/api/v1/api.h"
#include "http/server.h"
#include "metrics/process_collector.h"
#include "metrics/registry.h"
#include "promql/engine.h"
#include "query/endpoint_set.h"
#include "query/querier.h"
#include "query/store.h"

namespace argus::cmd {
namespace {

struct QueryFlags {
  GrpcFlags grpc{.address = "0.0.0.0:10901"};
  std::string http_address = "0.0.0.0:10902";
  std::string route_prefix;
  std::vector<std::string> endpoints;
  std::vector<std::string> strict_endpoints;
  std::vector<std::string> replica_labels;
  std::string dedup_func = "penalty";
  bool partial_response = true;
  bool auto_downsampling = false;
  std::string query_timeout = "2m";
  int max_concurrent = 20;
  std::string lookback_delta;
  std::string response_timeout = "0ms";
  std::string unhealthy_timeout = "5m";
  std::string dns_interval = "30s";
  bool tls_secure = false;
  std::string tls_cert, tls_key, tls_ca, server_name;
};

absl::StatusOr<absl::Duration> Duration(const std::string& value, const char* flag) {
  absl::StatusOr<int64_t> ms = ParsePromDuration(value);
  if (!ms.ok()) return Annotate(ms.status(), flag);
  return absl::Milliseconds(*ms);
}

// The flags that need parsing, parsed. Errors: InvalidArgument naming the flag.
struct Parsed {
  query::EndpointSetOptions endpoints;
  query::QueryOptions query;
  promql::EngineOptions engine;
  absl::Duration timeout;
};

absl::StatusOr<Parsed> Parse(const QueryFlags& f) {
  Parsed p;
  p.endpoints.endpoints = f.endpoints;
  p.endpoints.strict_endpoints = f.strict_endpoints;
  p.endpoints.tls = {f.tls_secure, f.tls_cert, f.tls_key, f.tls_ca, f.server_name};
  ASSIGN_OR_RETURN(p.endpoints.unhealthy_timeout,
                   Duration(f.unhealthy_timeout, "--store.unhealthy-timeout"));
  ASSIGN_OR_RETURN(p.endpoints.dns_interval, Duration(f.dns_interval, "--store.sd-dns-interval"));
  for (const std::string& l : f.replica_labels) {
    for (absl::string_view part : absl::StrSplit(l, ',', absl::SkipWhitespace())) {
      p.query.replica_labels.emplace_back(absl::StripAsciiWhitespace(part));
    }
  }
  if (f.dedup_func == "penalty") {
    p.query.func = query::DedupFunc::kPenalty;
  } else if (f.dedup_func == "chain") {
    p.query.func = query::DedupFunc::kChain;
  } else {
    return absl::InvalidArgumentError(absl::StrCat("--deduplication.func: unknown algorithm \"",
                                                   f.dedup_func, "\" (penalty or chain)"));
  }
  p.query.partial_response = f.partial_response;
  ASSIGN_OR_RETURN(p.query.response_timeout,
                   Duration(f.response_timeout, "--store.response-timeout"));
  ASSIGN_OR_RETURN(p.timeout, Duration(f.query_timeout, "--query.timeout"));
  if (f.max_concurrent < 1) {
    return absl::InvalidArgumentError("--query.max-concurrent must be at least 1");
  }
  p.engine.timeout = p.timeout;
  p.engine.max_concurrency = f.max_concurrent;
  if (!f.lookback_delta.empty()) {
    ASSIGN_OR_RETURN(absl::Duration lookback, Duration(f.lookback_delta, "--query.lookback-delta"));
    if (lookback > absl::ZeroDuration()) {
      p.engine.lookback_delta_ms = absl::ToInt64Milliseconds(lookback);
    }
  }
  return p;
}

// Go's strconv.ParseBool, as Thanos reads its boolean parameters.
absl::StatusOr<bool> ParseBoolParam(const http::Request& req, const char* name, bool def) {
  if (!req.HasParam(name) || req.Param(name).empty()) return def;
  const std::string v = req.Param(name);
  for (const char* t : {"1", "t", "T", "TRUE", "true", "True"}) {
    if (v == t) return true;
  }
  for (const char* f : {"0", "f", "F", "FALSE", "false", "False"}) {
    if (v == f) return false;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "cannot parse parameter ", name, ": strconv.ParseBool: parsing \"", v, "\": invalid syntax"));
}

// The request's options: the flags' with its own parameters applied.
absl::StatusOr<query::QueryOptions> RequestOptions(const Parsed& p, const http::Request& req) {
  query::QueryOptions o = p.query;
  ASSIGN_OR_RETURN(o.dedup, ParseBoolParam(req, "dedup", true));
  ASSIGN_OR_RETURN(o.partial_response,
                   ParseBoolParam(req, "partial_response", p.query.partial_response));
  std::vector<std::string> replica = req.Params("replicaLabels[]");
  if (!replica.empty()) o.replica_labels = std::move(replica);
  o.deadline = absl::Now() + p.timeout;
  return o;
}

int RunQuery(const QueryFlags& f, std::map<std::string, std::string> flag_values) {
  log::Info("Starting Argus Query", {{"version", GetBuildInfo().version}});
  absl::StatusOr<Parsed> parsed = Parse(f);
  if (!parsed.ok()) {
    log::Error("Invalid flag", {{"err", parsed.status()}});
    return 2;
  }
  metrics::Registry registry;
  metrics::RegisterProcessCollector(registry);
  absl::StatusOr<std::unique_ptr<query::EndpointSet>> endpoints =
      query::EndpointSet::Create(parsed->endpoints, query::NewSystemResolver(), &registry);
  if (!endpoints.ok()) {
    log::Error("Invalid endpoint configuration", {{"err", endpoints.status()}});
    return 2;
  }
  query::EndpointSet* set = endpoints->get();
  set->Start();

  promql::Engine engine(parsed->engine);
  query::FanoutQueryable defaults(set, parsed->query);
  http::Server web(registry, {.route_prefix = f.route_prefix});
  web.AddStandardEndpoints("Argus Query", [set] { return set->ready(); });
  AddStatusEndpoints(web, std::move(flag_values));
  http::api::ApiDeps api;
  api.queryable = &defaults;
  api.engine = &engine;
  api.request_queryable =
      [set, p = &*parsed](
          const http::Request& req) -> absl::StatusOr<std::unique_ptr<storage::Queryable>> {
    ASSIGN_OR_RETURN(query::QueryOptions o, RequestOptions(*p, req));
    return std::make_unique<query::FanoutQueryable>(set, std::move(o));
  };
  http::api::RegisterApi(web, std::move(api));
  web.Get("/api/v1/stores", "/api/v1/stores", [set](const http::Request&, http::Response& res) {
    ApiSuccess(query::StoresJson(set->Statuses()), res);
  });
  if (absl::Status s = web.Start(f.http_address); !s.ok()) {
    log::Error("Error starting web server", {{"err", s}});
    return 1;
  }
  query::FanoutStore store(set, parsed->timeout, parsed->query.response_timeout);
  std::unique_ptr<storeapi::GrpcServer> grpc;
  if (!f.grpc.address.empty()) {
    absl::StatusOr<std::unique_ptr<storeapi::GrpcServer>> started =
        StartGrpc(f.grpc, &store, &registry);
    if (!started.ok()) {
      log::Error("Error starting gRPC server", {{"err", started.status()}});
      web.Shutdown();
      return 1;
    }
    grpc = *std::move(started);
    grpc->SetServing(true);
  }
  const int sig = WaitForTermination(nullptr);
  log::Info("Received termination signal, exiting", {{"signal", sig}});
  if (grpc != nullptr) grpc->Shutdown();
  web.Shutdown();
  return 0;
}

}  // namespace

Command AddQueryCommand(CLI::App& root) {
  auto f = std::make_shared<QueryFlags>();
  CLI::App* sub = root.add_subcommand(
      "query",
      "Query node exposing PromQL enabled Query API with data retrieved from multiple store "
      "nodes (Thanos querier)");
  AddGrpcFlags(sub, &f->grpc);
  sub->add_option("--http-address", f->http_address, "Listen host:port for HTTP endpoints.")
      ->capture_default_str();
  sub->add_option("--web.route-prefix", f->route_prefix,
                  "Prefix for API and UI endpoints. This allows thanos UI to be served on a "
                  "sub-path.");
  sub->add_option("--endpoint,--store", f->endpoints,
                  "Addresses of statically configured Thanos API servers (repeatable). The "
                  "scheme may be prefixed with 'dns+' or 'dnssrv+' to detect Thanos API servers "
                  "through respective DNS lookups.");
  sub->add_option("--endpoint-strict,--store-strict", f->strict_endpoints,
                  "Addresses of only statically configured Thanos API servers that are always "
                  "used, even if the health check fails (repeatable).");
  sub->add_option("--query.replica-label", f->replica_labels,
                  "Labels to treat as a replica indicator along which data is deduplicated "
                  "(repeatable or comma-separated).");
  sub->add_option("--deduplication.func", f->dedup_func,
                  "Deduplication algorithm for merging overlapping series: penalty or chain.")
      ->capture_default_str();
  sub->add_flag("--query.partial-response,!--no-query.partial-response", f->partial_response,
                "Enable partial response for queries if no partial_response param is specified.")
      ->default_str("true");  // (CLI11 captures no default of a flag)
  // Charts pass it; Argus serves raw data only, so every resolution request gets raw data.
  sub->add_flag("--query.auto-downsampling", f->auto_downsampling,
                "Accepted for Thanos compatibility; Argus serves raw data only, so it changes "
                "nothing.");
  sub->add_option("--query.timeout", f->query_timeout,
                  "Maximum time to process query by query "
                  "node.")
      ->capture_default_str();
  sub->add_option("--query.max-concurrent", f->max_concurrent,
                  "Maximum number of queries processed concurrently by query node.")
      ->capture_default_str();
  sub->add_option("--query.lookback-delta", f->lookback_delta,
                  "The maximum lookback duration for retrieving metrics during expression "
                  "evaluations (default 5m).");
  sub->add_option("--store.response-timeout", f->response_timeout,
                  "If a Store doesn't send any data in this specified duration then a Store will "
                  "be ignored and partial data will be returned if it's enabled. 0 disables "
                  "timeout.")
      ->capture_default_str();
  sub->add_option("--store.unhealthy-timeout", f->unhealthy_timeout,
                  "Timeout before an unhealthy store is cleaned from the store UI page.")
      ->capture_default_str();
  sub->add_option("--store.sd-dns-interval", f->dns_interval, "Interval between DNS resolutions.")
      ->capture_default_str();
  sub->add_flag("--grpc-client-tls-secure", f->tls_secure,
                "Use TLS when talking to the gRPC server.");
  sub->add_option("--grpc-client-tls-cert", f->tls_cert,
                  "TLS Certificates to use to identify this client to the server.");
  sub->add_option("--grpc-client-tls-key", f->tls_key, "TLS Key for the client's certificate.");
  sub->add_option("--grpc-client-tls-ca", f->tls_ca,
                  "TLS CA Certificates to use to verify gRPC servers.");
  sub->add_option("--grpc-client-server-name", f->server_name,
                  "Server name to verify the hostname on the returned gRPC certificates.");
  return {sub, [f, sub] { return RunQuery(*f, FlagValues(*sub)); }};
}

}  // namespace argus::cmd
