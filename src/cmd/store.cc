// `argus store`: Thanos's store gateway. Serves the blocks of a bucket over the StoreAPI
// without downloading them: a small index-header per block on local disk, postings, series
// and chunks fetched with ranged reads, postings and series cached in an LRU of
// --index-cache-size bytes, every query within a memory budget. Block metas are synced at
// start (readiness comes after the first sync) and every --sync-block-duration.
#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

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
#include "http/server.h"
#include "metrics/process_collector.h"
#include "metrics/registry.h"
#include "store/bucket_store.h"

namespace argus::cmd {
namespace {

struct StoreFlags {
  ShippingFlags objstore;
  GrpcFlags grpc{.address = "0.0.0.0:10901"};
  std::string http_address = "0.0.0.0:10902";
  std::string data_dir = "./data";
  std::string sync_block_duration = "15m";
  std::string index_cache_size = "250MB";
  std::string query_memory_budget = "1GB";
  std::string min_time = "0000-01-01T00:00:00Z";
  std::string max_time = "9999-12-31T23:59:59Z";
  std::string ignore_deletion_marks_delay = "24h";
  int series_max_concurrency = 20;
  int block_sync_concurrency = 20;
};

// The flags that need parsing, parsed. Errors: InvalidArgument naming the flag.
struct Parsed {
  store::BucketStoreOptions store;
  int64_t sync_every_ms = 0;
  uint64_t query_budget = 0;
};

absl::StatusOr<Parsed> Parse(const StoreFlags& f) {
  Parsed p;
  absl::StatusOr<int64_t> every = ParsePromDuration(f.sync_block_duration);
  if (!every.ok()) return Annotate(every.status(), "--sync-block-duration");
  p.sync_every_ms = *every;
  absl::StatusOr<int64_t> cache = ParseBytes(f.index_cache_size);
  if (!cache.ok()) return Annotate(cache.status(), "--index-cache-size");
  absl::StatusOr<int64_t> budget = ParseBytes(f.query_memory_budget);
  if (!budget.ok()) return Annotate(budget.status(), "--store.grpc.query-memory-budget");
  p.query_budget = *budget;
  absl::StatusOr<TimeOrDuration> min = TimeOrDuration::Parse(f.min_time);
  if (!min.ok()) return Annotate(min.status(), "--min-time");
  absl::StatusOr<TimeOrDuration> max = TimeOrDuration::Parse(f.max_time);
  if (!max.ok()) return Annotate(max.status(), "--max-time");
  absl::StatusOr<int64_t> delay = ParsePromDuration(f.ignore_deletion_marks_delay);
  if (!delay.ok()) return Annotate(delay.status(), "--ignore-deletion-marks-delay");
  if (f.series_max_concurrency < 1) {
    return absl::InvalidArgumentError("--store.grpc.series-max-concurrency must be at least 1");
  }
  if (f.block_sync_concurrency < 1) {
    return absl::InvalidArgumentError("--block-sync-concurrency must be at least 1");
  }
  p.store.data_dir = f.data_dir;
  // Relative times are taken once, at start.
  const absl::Time now = absl::Now();
  p.store.min_time = min->UnixMillis(now);
  p.store.max_time = max->UnixMillis(now);
  p.store.ignore_deletion_marks_delay = absl::Milliseconds(*delay);
  p.store.index_cache_bytes = *cache;
  p.store.sync_parallelism = f.block_sync_concurrency;
  return p;
}

int RunStore(const StoreFlags& f, std::map<std::string, std::string> flag_values) {
  log::Info("Starting Argus Store", {{"version", GetBuildInfo().version}});
  absl::StatusOr<Parsed> parsed = Parse(f);
  if (!parsed.ok()) {
    log::Error("Invalid flag", {{"err", parsed.status()}});
    return 2;
  }
  metrics::Registry registry;
  metrics::RegisterProcessCollector(registry);
  objstore::BucketMetrics bucket_metrics(registry);
  absl::StatusOr<std::unique_ptr<objstore::Bucket>> bucket = OpenBucket(f.objstore, bucket_metrics);
  if (!bucket.ok() || *bucket == nullptr) {
    log::Error("invalid object storage configuration",
               {{"err", bucket.ok() ? absl::InvalidArgumentError(
                                          "--objstore.config-file or --objstore.config is required")
                                    : bucket.status()}});
    return 1;
  }
  store::BucketStore bs(Env::Default(), **bucket, parsed->store, registry);
  std::atomic<bool> ready{false};
  http::Server web(registry);
  web.AddStandardEndpoints("Argus Store", [&ready] { return ready.load(); });
  AddStatusEndpoints(web, std::move(flag_values));
  if (absl::Status s = web.Start(f.http_address); !s.ok()) {
    log::Error("Error starting web server", {{"err", s}});
    return 1;
  }
  absl::StatusOr<std::unique_ptr<storeapi::GrpcServer>> grpc =
      StartGrpc(f.grpc, &bs, &registry, parsed->query_budget, f.series_max_concurrency);
  if (!grpc.ok()) {
    log::Error("Error starting gRPC server", {{"err", grpc.status()}});
    web.Shutdown();
    return 1;
  }
  // The initial sync, then one every --sync-block-duration, on their own thread.
  std::mutex mu;
  std::condition_variable cv;
  bool stop = false;
  std::thread syncer([&] {
    for (bool first = true;; first = false) {
      const absl::Time began = absl::Now();
      if (absl::Status s = bs.Sync(); !s.ok()) {
        log::Warn("syncing blocks failed", {{"err", s}});
      } else if (first) {
        log::Info("initial synchronization done",
                  {{"duration", absl::FormatDuration(absl::Now() - began)}});
      }
      if (first) {
        // Ready after the first sync even when it failed: the next one retries, and a
        // querier sees no blocks rather than a store that never becomes ready.
        ready = true;
        (*grpc)->SetServing(true);
      }
      std::unique_lock<std::mutex> l(mu);
      if (cv.wait_for(l, std::chrono::milliseconds(parsed->sync_every_ms), [&] { return stop; })) {
        return;
      }
    }
  });
  const int sig = WaitForTermination(nullptr);
  log::Info("Received termination signal, exiting", {{"signal", sig}});
  {
    std::lock_guard<std::mutex> l(mu);
    stop = true;
  }
  cv.notify_all();
  syncer.join();
  (*grpc)->Shutdown();
  web.Shutdown();
  return 0;
}

}  // namespace

Command AddStoreCommand(CLI::App& root) {
  auto f = std::make_shared<StoreFlags>();
  CLI::App* sub = root.add_subcommand(
      "store", "Store node giving access to blocks in a bucket provider (Thanos store gateway)");
  AddObjstoreFlags(sub, &f->objstore);
  AddGrpcFlags(sub, &f->grpc);
  sub->add_option("--http-address", f->http_address, "Listen host:port for HTTP endpoints.")
      ->capture_default_str();
  sub->add_option("--data-dir", f->data_dir,
                  "Local data directory used for caching purposes (index-header, in-mem cache "
                  "items and meta.jsons).")
      ->capture_default_str();
  sub->add_option("--sync-block-duration", f->sync_block_duration,
                  "Repeat interval for syncing the blocks between local and remote view.")
      ->capture_default_str();
  sub->add_option("--index-cache-size", f->index_cache_size,
                  "Maximum size of items held in the in-memory index cache.")
      ->capture_default_str();
  sub->add_option("--store.grpc.query-memory-budget", f->query_memory_budget,
                  "Maximum bytes a single Series call may hold (fetched postings, series and "
                  "chunks); a call that needs more fails with ResourceExhausted.")
      ->capture_default_str();
  sub->add_option("--store.grpc.series-max-concurrency", f->series_max_concurrency,
                  "Maximum number of concurrent Series calls.")
      ->capture_default_str();
  sub->add_option("--block-sync-concurrency", f->block_sync_concurrency,
                  "Number of goroutines to use when constructing index-cache.json blocks from "
                  "object storage. Must be equal or greater than 1.")
      ->capture_default_str();
  sub->add_option("--min-time", f->min_time,
                  "Start of time range limit to serve. Thanos Store will serve only metrics, "
                  "which happened later than this value. Option can be a constant time in "
                  "RFC3339 format or time duration relative to current time, such as -1d or "
                  "2h45m. Valid duration units are ms, s, m, h, d, w, y.")
      ->capture_default_str();
  sub->add_option("--max-time", f->max_time,
                  "End of time range limit to serve. Thanos Store will serve only blocks, which "
                  "happened earlier than this value. Option can be a constant time in RFC3339 "
                  "format or time duration relative to current time, such as -1d or 2h45m. "
                  "Valid duration units are ms, s, m, h, d, w, y.")
      ->capture_default_str();
  sub->add_option("--ignore-deletion-marks-delay", f->ignore_deletion_marks_delay,
                  "Duration after which the blocks marked for deletion will be filtered out "
                  "while fetching blocks.")
      ->capture_default_str();
  return {sub, [f, sub] { return RunStore(*f, FlagValues(*sub)); }};
}

}  // namespace argus::cmd
