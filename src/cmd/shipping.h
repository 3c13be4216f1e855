// Block shipping as `argus server` (the integrated sidecar role) and `argus sidecar` run it:
// the --objstore.* and --shipper.* flags, the bucket they describe, and a thread that runs the
// shipper every 30 s.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "CLI/CLI.hpp"
#include "absl/status/statusor.h"
#include "metrics/registry.h"
#include "model/labels/labels.h"
#include "objstore/bucket.h"
#include "objstore/instrumented.h"
#include "shipper/shipper.h"

namespace argus::cmd {

struct ShippingFlags {
  std::string objstore_config_file;
  std::string objstore_config;
  bool upload_compacted = false;
};

// Declares --objstore.config-file and --objstore.config on `app`.
void AddObjstoreFlags(CLI::App* app, ShippingFlags* flags);
// AddObjstoreFlags and --shipper.upload-compacted.
void AddShippingFlags(CLI::App* app, ShippingFlags* flags);

// The bucket the flags configure, instrumented with `metrics` (which must outlive it), or
// nullptr when neither --objstore.config-file nor --objstore.config is set. Errors: a bad
// configuration or unusable credentials (InvalidArgument naming the problem), an unreadable
// file.
absl::StatusOr<std::unique_ptr<objstore::Bucket>> OpenBucket(const ShippingFlags& flags,
                                                             objstore::BucketMetrics& metrics);

// Runs the shipper over a TSDB directory on its own thread: once at start, then every
// `interval`, until destroyed (the destructor waits for a sync in progress to end).
class ShippingLoop {
 public:
  // `labels` gives the current external labels at each sync; `source` is the thanos.source of
  // the uploaded metas ("sidecar").
  ShippingLoop(std::unique_ptr<objstore::Bucket> bucket, const std::string& tsdb_dir,
               const std::string& source, bool upload_compacted,
               std::function<labels::Labels()> labels, metrics::Registry& registry,
               absl::Duration interval = absl::Seconds(30));
  ~ShippingLoop();

 private:
  void Run(absl::Duration interval);

  std::unique_ptr<objstore::Bucket> bucket_;
  std::unique_ptr<shipper::Shipper> shipper_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace argus::cmd
