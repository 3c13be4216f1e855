// `argus server`: Prometheus's server role. The configuration file (--config.file) drives
// discovery and scraping into the local TSDB (--storage.tsdb.* flags); the web layer serves
// self metrics, probes, /-/reload and /-/quit (--web.enable-lifecycle), /api/v1/targets,
// /api/v1/status/{config,flags,buildinfo}, /federate, remote read (/api/v1/read), the
// remote-write receiver (--web.enable-remote-write-receiver) and the query API (/api/v1/query,
// query_range, series, labels, metadata, ...: src/http/api/v1) with the PromQL engine's
// --query.* limits.
// External labels are not stored; they are added to everything that leaves the server.
#include "http/server.h"

#include <signal.h>
#include <unistd.h>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/buildinfo.h"
#include "base/hostport.h"
#include "base/logging.h"
#include "base/signals.h"
#include "base/status.h"
#include "base/units.h"
#include "cmd/command.h"
#include "cmd/config_runtime.h"
#include "cmd/grpc_flags.h"
#include "cmd/shipping.h"
#include "cmd/status_api.h"
#include "config/marshal.h"
#include "http/api/v1/api.h"
#include "metrics/process_collector.h"
#include "metrics/registry.h"
#include "metrics/text_format.h"
#include "model/textparse/textparse.h"
#include "nlohmann/json.hpp"
#include "promql/engine.h"
#include "storage/remote/read_handler.h"
#include "storage/remote/write_handler.h"
#include "storeapi/single_store.h"
#include "storeapi/tsdb_source.h"
#include "tsdb/db/db.h"
#include "web/federate.h"
#include "web/targets.h"

namespace argus::cmd {
namespace {

struct ServerFlags {
  std::string config_file = "prometheus.yml";
  std::string listen_address = "0.0.0.0:9090";
  std::string tsdb_path = "data/";
  std::string retention_time;  // empty: 15d, unless a retention size is set
  std::string retention_size = "0B";
  std::string min_block_duration = "2h";
  std::string max_block_duration;  // empty: 10% of the retention time, at most 31d
  bool wal_compression = true;
  bool enable_remote_write_receiver = false;
  bool enable_lifecycle = false;
  std::string query_lookback_delta = "5m";
  std::string query_timeout = "2m";
  int64_t query_max_samples = 50'000'000;
  int query_max_concurrency = 20;
  ShippingFlags shipping;
  GrpcFlags grpc;
};

// The PromQL engine options the --query.* flags describe. Errors: InvalidArgument naming the
// flag.
absl::StatusOr<promql::EngineOptions> EngineOptions(const ServerFlags& f) {
  promql::EngineOptions o;
  absl::StatusOr<int64_t> lookback = ParsePromDuration(f.query_lookback_delta);
  if (!lookback.ok()) return Annotate(lookback.status(), "--query.lookback-delta");
  absl::StatusOr<int64_t> timeout = ParsePromDuration(f.query_timeout);
  if (!timeout.ok()) return Annotate(timeout.status(), "--query.timeout");
  if (f.query_max_concurrency < 1) {
    return absl::InvalidArgumentError("--query.max-concurrency must be at least 1");
  }
  // As Prometheus: a zero lookback delta means the default.
  if (*lookback > 0) o.lookback_delta_ms = *lookback;
  o.timeout = absl::Milliseconds(*timeout);
  o.max_samples = f.query_max_samples;
  o.max_concurrency = f.query_max_concurrency;
  return o;
}

// The DB options the flags describe. Errors: InvalidArgument naming the flag.
absl::StatusOr<tsdb::DbOptions> TsdbOptions(const ServerFlags& f, metrics::Registry* registry) {
  tsdb::DbOptions o;
  o.registry = registry;
  // As Prometheus: without either retention flag, keep 15 days; with only a size, no time limit.
  std::string retention = f.retention_time;
  if (retention.empty()) retention = f.retention_size == "0B" ? "15d" : "0";
  o.wal_compression = f.wal_compression;
  struct {
    const char* flag;
    const std::string& value;
    int64_t* out;
  } durations[] = {
      {"--storage.tsdb.retention.time", retention, &o.retention_ms},
      {"--storage.tsdb.min-block-duration", f.min_block_duration, &o.min_block_duration}};

  for (const auto& d : durations) {
    absl::StatusOr<int64_t> ms = ParsePromDuration(d.value);
    if (!ms.ok()) return Annotate(ms.status(), d.flag);
    *d.out = *ms;
  }
  if (!f.max_block_duration.empty()) {
    absl::StatusOr<int64_t> ms = ParsePromDuration(f.max_block_duration);
    if (!ms.ok()) return Annotate(ms.status(), "--storage.tsdb.max-block-duration");
    o.max_block_duration = *ms;
  }
  absl::StatusOr<int64_t> bytes = ParseBytes(f.retention_size);
  if (!bytes.ok()) return Annotate(bytes.status(), "--storage.tsdb.retention.size");
  o.retention_bytes = *bytes;
  if (o.min_block_duration <= 0 ||
      (o.max_block_duration > 0 && o.max_block_duration < o.min_block_duration)) {
    return absl::InvalidArgumentError(
        "--storage.tsdb.max-block-duration must be at least --storage.tsdb.min-block-duration");
  }
  return o;
}

// What shipping blocks asks of the server, as Thanos asks it of Prometheus: no local
// compaction (a compacted block would be uploaded again, overlapping its sources), and
// external labels that tell this server's blocks from every other's. Errors:
// FailedPrecondition saying which.
absl::Status CheckShippable(const ServerFlags& f, const tsdb::DbOptions& o,
                            const config::Config& config) {
  if (o.max_block_duration != o.min_block_duration) {
    return absl::FailedPreconditionError(absl::StrCat(
        "uploading blocks needs local compaction disabled: set "
        "--storage.tsdb.max-block-duration equal to --storage.tsdb.min-block-duration (now ",
        f.max_block_duration.empty() ? "unset" : f.max_block_duration, " and ",
        f.min_block_duration, ")"));
  }
  if (o.min_block_duration != 2 * 3600 * 1000) {
    log::Warn("block duration is not 2h; only 2h is recommended for shipping",
              {{"block", f.min_block_duration}});
  }
  if (config.global.external_labels.empty()) {
    return absl::FailedPreconditionError(
        "no external labels configured (global.external_labels); uniquely identifying "
        "external labels must be configured to upload blocks");
  }
  return absl::OkStatus();
}

// The endpoints that read the configuration, targets and storage.
void AddDataEndpoints(http::Server& web, const ServerFlags& flags, tsdb::DB& db,
                      ConfigRuntime& rt) {
  web.Get("/federate", "/federate", [&db, &rt](const http::Request& req, http::Response& resp) {
    absl::StatusOr<std::string> out =
        argus::web::Federate(db, req.Params("match[]"), absl::ToUnixMillis(absl::Now()),
                             rt.Current()->global.external_labels);
    if (!out.ok()) {
      resp.status = absl::IsInvalidArgument(out.status()) ? 400 : 500;
      resp.body = absl::StrCat(out.status().message(), "\n");
      return;
    }
    resp.content_type = metrics::kTextContentType;
    resp.body = *std::move(out);
  });
  web.Post(
      "/api/v1/read", "/api/v1/read", [&db, &rt](const http::Request& req, http::Response& resp) {
        absl::StatusOr<storage::remote::ReadReply> r = storage::remote::HandleRead(
            req.body(), [&db](int64_t mint, int64_t maxt) { return db.ChunkQuerier(mint, maxt); },
            rt.Current()->global.external_labels);
        if (!r.ok()) {
          resp.status = absl::IsInvalidArgument(r.status()) ? 400 : 500;
          resp.body = absl::StrCat(r.status().message(), "\n");
          return;
        }
        resp.content_type = r->content_type;
        if (!r->content_encoding.empty())
          resp.headers.emplace_back("Content-Encoding", r->content_encoding);
        resp.body = std::move(r->body);
      });
  web.Post("/api/v1/write", "/api/v1/write",
           [&flags, &db](const http::Request& req, http::Response& resp) {
             if (!flags.enable_remote_write_receiver) {
               resp.status = 404;
               resp.body =
                   "remote write receiver needs to be enabled with "
                   "--web.enable-remote-write-receiver\n";
               return;
             }
             std::unique_ptr<storage::Appender> app = db.Appender();
             const absl::Status st = storage::remote::ApplyWriteRequest(req.body(), *app);
             resp.status = storage::remote::WriteStatusCode(st);
             if (!st.ok()) {
               if (resp.status >= 500) log::Error("Error appending remote write", {{"err", st}});
               resp.body = absl::StrCat(st.message(), "\n");
             }
           });
  web.Get("/api/v1/status/config", "/api/v1/status/config",
          [&rt](const http::Request&, http::Response& resp) {
            ApiSuccess({{"yaml", config::Marshal(*rt.Current())}}, resp);
          });
  web.Get("/api/v1/targets", "/api/v1/targets",
          [&rt, &web, host = Hostname()](const http::Request& req, http::Response& resp) {
            argus::web::TargetsQuery q;
            if (std::string state = req.Param("state"); !state.empty()) q.state = state;
            q.pools = req.Params("scrapePool");
            ApiSuccess(argus::web::TargetsData(
                           rt.scrape().ActiveTargets(), rt.scrape().DroppedTargets(), q,
                           // Prometheus's default external URL: host:port.
                           {absl::StrCat(host, ":", web.port()), absl::StrCat(web.port())}),
                       resp);
          });
}

// What /api/v1/metadata and /api/v1/targets/metadata show: each active target's public labels
// and the metadata its scrapes keep (only `metric`'s when not empty).
std::vector<http::api::TargetMetadata> TargetMetadataOf(const scrape::Manager& scrape,
                                                        absl::string_view metric) {
  std::vector<http::api::TargetMetadata> out;
  for (const scrape::Scraper::TargetStatus& t : scrape.ActiveTargets()) {
    http::api::TargetMetadata& tm = out.emplace_back();
    tm.target = t.spec.labels;
    const auto add = [&tm](scrape::MetricMetadata m) {
      tm.metadata.push_back({std::move(m.metric), std::string(textparse::MetricTypeName(m.type)),
                             std::move(m.help), std::move(m.unit)});
    };
    if (metric.empty()) {
      for (scrape::MetricMetadata& m : t.metadata->List()) add(std::move(m));
    } else if (std::optional<scrape::MetricMetadata> m = t.metadata->Get(metric)) {
      add(*std::move(m));
    }
  }
  return out;
}

// /-/reload and /-/quit, refused unless --web.enable-lifecycle.
void AddLifecycleEndpoints(http::Server& web, const ServerFlags& flags, ConfigRuntime& rt) {
  const auto lifecycle = [&flags](http::Response& resp) {
    if (flags.enable_lifecycle) return true;
    resp.status = 403;
    resp.body = "Lifecycle API is not enabled.\n";
    return false;
  };
  web.Post("/-/reload", "/-/reload", [lifecycle, &rt](const http::Request&, http::Response& resp) {
    if (!lifecycle(resp)) return;
    if (absl::Status st = rt.Reload(); !st.ok()) {
      resp.status = 500;
      resp.body = absl::StrCat("failed to reload config: ", st.message(), "\n");
    }
  });
  web.Post("/-/quit", "/-/quit", [lifecycle](const http::Request&, http::Response& resp) {
    if (!lifecycle(resp)) return;
    resp.body = "Requesting termination... Goodbye!\n";
    kill(getpid(), SIGTERM);  // WaitForTermination takes it from here
  });
}

int RunServer(const ServerFlags& flags, std::map<std::string, std::string> flag_values) {
  log::Info("Starting Argus Server", {{"version", GetBuildInfo().version}});
  metrics::Registry registry;
  metrics::RegisterProcessCollector(registry);
  const absl::Time start_time = absl::Now();
  absl::StatusOr<tsdb::DbOptions> opts = TsdbOptions(flags, &registry);
  if (!opts.ok()) {
    log::Error("Invalid storage flags", {{"err", opts.status()}});
    return 2;
  }
  absl::StatusOr<promql::EngineOptions> engine_opts = EngineOptions(flags);
  if (!engine_opts.ok()) {
    log::Error("Invalid query flags", {{"err", engine_opts.status()}});
    return 2;
  }
  objstore::BucketMetrics bucket_metrics(registry);
  absl::StatusOr<std::unique_ptr<objstore::Bucket>> bucket =
      OpenBucket(flags.shipping, bucket_metrics);
  if (!bucket.ok()) {
    log::Error("invalid object storage configuration", {{"err", bucket.status()}});
    return 1;
  }
  // Before the TSDB opens, so that a bad file fails fast.
  absl::StatusOr<config::Config> config = config::LoadFile(flags.config_file);
  if (!config.ok()) {
    log::Error("Error loading config", {{"file", flags.config_file}, {"err", config.status()}});
    return 1;
  }
  if (*bucket != nullptr) {
    if (absl::Status st = CheckShippable(flags, *opts, *config); !st.ok()) {
      log::Error("Cannot ship blocks", {{"err", st}});
      return 1;
    }
  }
  log::Info("Starting TSDB ...", {{"path", flags.tsdb_path}});
  absl::StatusOr<std::unique_ptr<tsdb::DB>> db = tsdb::DB::Open(flags.tsdb_path, *opts);
  if (!db.ok()) {
    log::Error("Opening storage failed", {{"err", db.status()}});
    return 1;
  }
  log::Info("TSDB started");
  tsdb::DB* storage = db->get();
  auto rt = std::make_unique<ConfigRuntime>(
      flags.config_file, *std::move(config), [storage] { return storage->Appender(); }, registry);
  log::Info("Completed loading of configuration file", {{"filename", flags.config_file}});
  // As Prometheus: subqueries without a step use the running configuration's
  // evaluation_interval.
  engine_opts->no_step_subquery_interval_ms = [cfg = rt.get()] {
    return cfg->Current()->global.evaluation_interval_ms;
  };
  promql::Engine engine(*engine_opts);
  http::Server web(registry);
  web.AddStandardEndpoints("Argus Server", [] { return true; });
  AddStatusEndpoints(web, std::move(flag_values));
  AddDataEndpoints(web, flags, *storage, *rt);
  http::api::ApiDeps api;
  api.queryable = storage;
  api.engine = &engine;
  api.target_metadata = [runtime = rt.get()](absl::string_view metric) {
    return TargetMetadataOf(runtime->scrape(), metric);
  };
  api.runtime_info = [runtime = rt.get(), storage, start_time,
                      retention = RetentionString(opts->retention_ms, opts->retention_bytes)] {
    return RuntimeInfoNow(*runtime, *storage, start_time, retention);
  };
  api.tsdb_status = [storage]() -> absl::StatusOr<http::api::TsdbStatus> {
    return TsdbStatusOf(*storage);
  };
  http::api::RegisterApi(web, std::move(api));
  AddLifecycleEndpoints(web, flags, *rt);
  if (absl::Status s = web.Start(flags.listen_address); !s.ok()) {
    log::Error("Error starting web server", {{"err", s}});
    rt.reset();
    (*db)->Close().IgnoreError();
    return 1;
  }
  // The integrated sidecar role's StoreAPI: this server's TSDB with its external labels.
  auto tsdb_source = std::make_shared<storeapi::TsdbSource>(storage);
  storeapi::SingleStore store(
      {storeapi::ComponentType::kSidecar, "tsdb", false,
       [runtime = rt.get()] { return runtime->Current()->global.external_labels; },
       [tsdb_source] { return tsdb_source->MinTime(); }},
      tsdb_source);
  std::unique_ptr<storeapi::GrpcServer> grpc;
  if (!flags.grpc.address.empty()) {
    absl::StatusOr<std::unique_ptr<storeapi::GrpcServer>> started =
        StartGrpc(flags.grpc, &store, &registry);
    if (!started.ok()) {
      log::Error("Error starting gRPC server", {{"err", started.status()}});
      web.Shutdown();
      rt.reset();
      (*db)->Close().IgnoreError();
      return 1;
    }
    grpc = *std::move(started);
    grpc->SetServing(true);
  }
  std::unique_ptr<ShippingLoop> shipping;
  if (*bucket != nullptr) {
    // The integrated sidecar role: this server's own blocks, with its current external labels.
    shipping = std::make_unique<ShippingLoop>(
        *std::move(bucket), flags.tsdb_path, "sidecar", flags.shipping.upload_compacted,
        [runtime = rt.get()] { return runtime->Current()->global.external_labels; }, registry);
  }
  log::Info("Server is ready to receive web requests.",
            {{"address", flags.listen_address}, {"port", web.port()}});
  int sig = WaitForTermination([&rt] { rt->Reload().IgnoreError(); });
  log::Warn("Received termination signal, exiting gracefully...", {{"signal", sig}});
  if (grpc != nullptr) grpc->Shutdown();
  web.Shutdown();
  shipping.reset();
  rt.reset();  // stops discovery and scraping; no staleness markers on shutdown
  if (absl::Status st = (*db)->Close(); !st.ok()) {
    log::Error("Error stopping storage", {{"err", st}});
  }
  log::Info("See you next time!");
  return 0;
}

}  // namespace

Command AddServerCommand(CLI::App& root) {
  auto flags = std::make_shared<ServerFlags>();
  CLI::App* sub = root.add_subcommand(
      "server", "Scrape targets, store samples in the local TSDB and serve the Prometheus API");
  sub->add_option("--config.file", flags->config_file, "Prometheus configuration file path")
      ->capture_default_str();
  sub->add_option("--web.listen-address", flags->listen_address,
                  "Address to listen on for UI, API, and telemetry")
      ->capture_default_str();
  sub->add_option("--storage.tsdb.path", flags->tsdb_path, "Base path for metrics storage")
      ->capture_default_str();
  sub->add_option("--storage.tsdb.retention.time", flags->retention_time,
                  "How long to retain samples in storage (default 15d when no retention size is "
                  "set; 0 disables)");
  sub->add_option("--storage.tsdb.retention.size", flags->retention_size,
                  "Maximum number of bytes that can be stored for blocks, e.g. 512MB (0B disables)")
      ->capture_default_str();
  sub->add_option("--storage.tsdb.min-block-duration", flags->min_block_duration,
                  "Minimum duration of a data block before being persisted")
      ->capture_default_str();
  sub->add_option("--storage.tsdb.max-block-duration", flags->max_block_duration,
                  "Maximum duration compacted blocks may span (default: 10% of the retention "
                  "time, at most 31d); equal to the minimum disables compaction");
  sub->add_option("--storage.tsdb.wal-compression", flags->wal_compression,
                  "Compress the tsdb WAL (true/false)")
      ->capture_default_str();
  sub->add_flag("--web.enable-remote-write-receiver", flags->enable_remote_write_receiver,
                "Enable API endpoint accepting remote write requests");
  sub->add_flag("--web.enable-lifecycle", flags->enable_lifecycle,
                "Enable shutdown and reload via HTTP request");
  sub->add_option("--query.lookback-delta", flags->query_lookback_delta,
                  "The maximum lookback duration for retrieving metrics during expression "
                  "evaluations and federation")
      ->capture_default_str();
  sub->add_option("--query.timeout", flags->query_timeout,
                  "Maximum time a query may take before being aborted")
      ->capture_default_str();
  sub->add_option("--query.max-concurrency", flags->query_max_concurrency,
                  "Maximum number of queries executed concurrently")
      ->capture_default_str();
  sub->add_option("--query.max-samples", flags->query_max_samples,
                  "Maximum number of samples a single query can load into memory. Note that "
                  "queries will fail if they try to load more samples than this into memory, so "
                  "this also limits the number of samples a query can return")
      ->capture_default_str();
  AddShippingFlags(sub, &flags->shipping);
  AddGrpcFlags(sub, &flags->grpc);
  return {sub, [flags, sub] { return RunServer(*flags, FlagValues(*sub)); }};
}

}  // namespace argus::cmd
