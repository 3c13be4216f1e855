// `argus sidecar`: Thanos's sidecar role next to a real Prometheus server (the seed's
// kube-prometheus-stack setup). It waits for Prometheus to be ready, reads its external labels
// (refusing to run without any), checks that Prometheus does not compact blocks when uploads
// are configured, and ships every finished block Prometheus writes into --tsdb.path to the
// bucket, labelled with those external labels. Serves Prometheus's data over the StoreAPI
// (--grpc-address) through remote read. Self metrics and probes on --http-address.
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "base/buildinfo.h"
#include "base/env.h"
#include "base/logging.h"
#include "base/signals.h"
#include "base/status.h"
#include "base/units.h"
#include "cmd/command.h"
#include "cmd/grpc_flags.h"
#include "cmd/shipping.h"
#include "cmd/status_api.h"
#include "config/http_client.h"
#include "http/server.h"
#include "metrics/process_collector.h"
#include "metrics/registry.h"
#include "promclient/promclient.h"
#include "storeapi/prometheus_source.h"
#include "storeapi/single_store.h"

namespace argus::cmd {
namespace {

struct SidecarFlags {
  std::string prometheus_url = "http://localhost:9090";
  std::string prometheus_ready_timeout = "10m";
  std::string get_config_interval = "30s";
  std::string tsdb_path = "./data";
  std::string min_time = "0000-01-01T00:00:00Z";
  std::string http_address = "0.0.0.0:10902";
  std::string http_client;       // --prometheus.http-client (YAML)
  std::string http_client_file;  // --prometheus.http-client-file
  ShippingFlags shipping;
  GrpcFlags grpc{.address = "0.0.0.0:10901"};
};

// The HTTP client settings for Prometheus: the file's, else the inline ones, else none.
absl::StatusOr<config::HTTPClientConfig> HttpClient(const SidecarFlags& f) {
  if (!f.http_client_file.empty()) {
    ASSIGN_OR_RETURN(std::string text, Env::Default()->ReadFile(f.http_client_file));
    return promclient::ParseHttpClient(text, f.http_client_file);
  }
  return promclient::ParseHttpClient(f.http_client, "--prometheus.http-client");
}

// What the sidecar learns from Prometheus, shared between its threads.
class PrometheusState {
 public:
  void SetLabels(labels::Labels l) {
    std::lock_guard<std::mutex> g(mu_);
    labels_ = std::move(l);
  }
  labels::Labels Labels() {
    std::lock_guard<std::mutex> g(mu_);
    return labels_;
  }
  // Ready once external labels are known (they are never set empty).
  bool ready() {
    std::lock_guard<std::mutex> g(mu_);
    return !labels_.empty();
  }

 private:
  std::mutex mu_;
  labels::Labels labels_;
};

// Thanos's check: with uploads, Prometheus must not compact blocks locally (they would be
// uploaded again as level-2 blocks). Errors: FailedPrecondition saying so.
absl::Status CheckBlockDurations(promclient::PrometheusClient& prom) {
  ASSIGN_OR_RETURN(auto flags, prom.Flags());
  const std::string& min = flags["storage.tsdb.min-block-duration"];
  const std::string& max = flags["storage.tsdb.max-block-duration"];
  if (min != max) {
    return absl::FailedPreconditionError(
        absl::StrCat("found that TSDB Max time is ", max, " and Min time is ", min,
                     ". Compaction needs to be disabled (storage.tsdb.min-block-duration = "
                     "storage.tsdb.max-block-duration)"));
  }
  if (min != "2h") {
    log::Warn("found that TSDB block time is not 2h; only 2h is recommended", {{"block", min}});
  }
  return absl::OkStatus();
}

// The sidecar's start-up against Prometheus, then its configuration refresh, until `stop`.
// A start-up failure is logged, stored in `*failure` and ends the process's wait with SIGTERM.
void WatchPrometheus(const SidecarFlags& f, const config::HTTPClientConfig& http,
                     std::unique_ptr<objstore::Bucket> bucket, PrometheusState& state,
                     metrics::Registry& registry, std::unique_ptr<ShippingLoop>& shipping,
                     std::atomic<bool>& stop, std::atomic<int>& failure,
                     const std::function<void()>& on_ready) {
  const auto fail = [&failure](absl::string_view msg, const absl::Status& st) {
    log::Error(msg, {{"err", st}});
    failure = 1;
    kill(getpid(), SIGTERM);
  };
  promclient::PrometheusClient prom(f.prometheus_url, http);
  const absl::Time deadline =
      absl::Now() + absl::Milliseconds(*ParsePromDuration(f.prometheus_ready_timeout));
  absl::Status ready;
  while (!stop && !(ready = prom.Ready()).ok()) {
    if (absl::Now() > deadline) return fail("Prometheus did not become ready", ready);
    log::Info("Prometheus is not ready yet; waiting", {{"err", ready}});
    absl::SleepFor(absl::Seconds(2));
  }
  if (stop) return;
  absl::StatusOr<labels::Labels> ext = prom.ExternalLabels();
  if (!ext.ok()) return fail("failed to read external labels from Prometheus", ext.status());
  if (ext->empty()) {
    return fail("no external labels configured on Prometheus server",
                absl::FailedPreconditionError(
                    "uniquely identifying external labels must be configured; see "
                    "https://thanos.io/tip/thanos/storage.md#external-labels for details."));
  }
  state.SetLabels(*ext);
  on_ready();
  log::Info("Prometheus is ready; external labels loaded", {{"labels", ext->ToString()}});
  if (bucket != nullptr) {
    if (absl::Status st = CheckBlockDurations(prom); !st.ok()) {
      return fail("Prometheus does not meet the sidecar's requirements", st);
    }
    shipping = std::make_unique<ShippingLoop>(
        std::move(bucket), f.tsdb_path, "sidecar", f.shipping.upload_compacted,
        [&state] { return state.Labels(); }, registry);
  } else {
    log::Info("no supported bucket was configured, uploads will be disabled");
  }
  const absl::Duration every = absl::Milliseconds(*ParsePromDuration(f.get_config_interval));
  for (absl::Time next = absl::Now() + every; !stop;) {
    if (absl::Now() < next) {
      absl::SleepFor(absl::Milliseconds(200));
      continue;
    }
    next = absl::Now() + every;
    absl::StatusOr<labels::Labels> now = prom.ExternalLabels();
    if (now.ok() && !now->empty()) {
      state.SetLabels(*std::move(now));
    } else {
      log::Warn(
          "heartbeat failed; keeping the last external labels",
          {{"err", now.ok() ? absl::FailedPreconditionError("no external labels") : now.status()}});
    }
  }
}

int RunSidecar(const SidecarFlags& f, std::map<std::string, std::string> flag_values) {
  log::Info("Starting Argus Sidecar", {{"version", GetBuildInfo().version}});
  for (const auto& [flag, value] : {std::pair<const char*, const std::string&>{
                                        "--prometheus.ready_timeout", f.prometheus_ready_timeout},
                                    {"--prometheus.get_config_interval", f.get_config_interval}}) {
    if (absl::Status st = ParsePromDuration(value).status(); !st.ok()) {
      log::Error("Invalid flag", {{"flag", flag}, {"err", st}});
      return 2;
    }
  }
  absl::StatusOr<TimeOrDuration> min_time = TimeOrDuration::Parse(f.min_time);
  if (!min_time.ok()) {
    log::Error("Invalid flag", {{"flag", "--min-time"}, {"err", min_time.status()}});
    return 2;
  }
  absl::StatusOr<config::HTTPClientConfig> http = HttpClient(f);
  if (!http.ok()) {
    log::Error("Invalid flag", {{"flag", "--prometheus.http-client"}, {"err", http.status()}});
    return 2;
  }
  metrics::Registry registry;
  metrics::RegisterProcessCollector(registry);
  objstore::BucketMetrics bucket_metrics(registry);
  // The bucket configuration is checked before anything else starts.
  absl::StatusOr<std::unique_ptr<objstore::Bucket>> bucket = OpenBucket(f.shipping, bucket_metrics);
  if (!bucket.ok()) {
    log::Error("invalid object storage configuration", {{"err", bucket.status()}});
    return 1;
  }
  PrometheusState state;
  http::Server web(registry);
  web.AddStandardEndpoints("Argus Sidecar", [&state] { return state.ready(); });
  AddStatusEndpoints(web, std::move(flag_values));
  if (absl::Status s = web.Start(f.http_address); !s.ok()) {
    log::Error("Error starting web server", {{"err", s}});
    return 1;
  }
  log::Info("listening for requests and metrics", {{"address", f.http_address}});
  storeapi::SingleStore store(
      {storeapi::ComponentType::kSidecar, "prometheus " + f.prometheus_url,
       /*requires_matchers=*/true, [&state] { return state.Labels(); },
       [mt = *min_time] { return mt.UnixMillis(absl::Now()); }},
      std::make_shared<storeapi::PrometheusSource>(f.prometheus_url, *http));
  absl::StatusOr<std::unique_ptr<storeapi::GrpcServer>> grpc = StartGrpc(f.grpc, &store, &registry);
  if (!grpc.ok()) {
    log::Error("Error starting gRPC server", {{"err", grpc.status()}});
    web.Shutdown();
    return 1;
  }
  std::unique_ptr<ShippingLoop> shipping;
  std::atomic<bool> stop{false};
  std::atomic<int> failure{0};
  std::thread watcher([&] {
    WatchPrometheus(f, *http, *std::move(bucket), state, registry, shipping, stop, failure,
                    [&grpc] { (*grpc)->SetServing(true); });
  });
  const int sig = WaitForTermination(nullptr);
  if (failure == 0) log::Info("Received termination signal, exiting", {{"signal", sig}});
  stop = true;
  watcher.join();
  (*grpc)->Shutdown();
  shipping.reset();
  web.Shutdown();
  return failure;
}

}  // namespace

Command AddSidecarCommand(CLI::App& root) {
  auto f = std::make_shared<SidecarFlags>();
  CLI::App* sub = root.add_subcommand(
      "sidecar", "Upload a Prometheus server's blocks to object storage (Thanos sidecar)");
  sub->add_option("--prometheus.url", f->prometheus_url,
                  "URL at which to reach Prometheus's API. For better performance use local "
                  "network.")
      ->capture_default_str();
  sub->add_option("--prometheus.ready_timeout", f->prometheus_ready_timeout,
                  "Maximum time to wait for the Prometheus instance to start up")
      ->capture_default_str();
  sub->add_option("--prometheus.get_config_interval", f->get_config_interval,
                  "How often to get Prometheus config")
      ->capture_default_str();
  sub->add_option("--tsdb.path", f->tsdb_path, "Data directory of TSDB.")->capture_default_str();
  sub->add_option("--min-time", f->min_time,
                  "Start of time range limit to serve. Option can be a constant time in RFC3339 "
                  "format or time duration relative to current time, such as -1d or 2h45m.")
      ->capture_default_str();
  sub->add_option("--http-address", f->http_address, "Listen host:port for HTTP endpoints.")
      ->capture_default_str();
  sub->add_option("--prometheus.http-client", f->http_client,
                  "YAML file contents: HTTP client settings for talking to Prometheus (basic_auth, "
                  "authorization, tls_config), as in Prometheus's scrape configurations.");
  sub->add_option(
      "--prometheus.http-client-file", f->http_client_file,
      "Path to a YAML file with those settings; it wins over --prometheus.http-client.");
  AddShippingFlags(sub, &f->shipping);
  AddGrpcFlags(sub, &f->grpc);
  return {sub, [f, sub] { return RunSidecar(*f, FlagValues(*sub)); }};
}

}  // namespace argus::cmd
