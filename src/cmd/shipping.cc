#include "cmd/shipping.h"

#include "base/logging.h"
#include "base/status.h"
#include "objstore/factory.h"

namespace argus::cmd {

void AddObjstoreFlags(CLI::App* app, ShippingFlags* flags) {
  app->add_option("--objstore.config-file", flags->objstore_config_file,
                  "Path to YAML file that contains object store configuration. See format "
                  "details: https://thanos.io/tip/thanos/storage.md/#configuration");
  app->add_option("--objstore.config", flags->objstore_config,
                  "Alternative to 'objstore.config-file' flag (mutually exclusive). Content of "
                  "YAML file that contains object store configuration.");
}

void AddShippingFlags(CLI::App* app, ShippingFlags* flags) {
  AddObjstoreFlags(app, flags);
  app->add_flag("--shipper.upload-compacted", flags->upload_compacted,
                "If true shipper will try to upload compacted blocks as well.");
}

absl::StatusOr<std::unique_ptr<objstore::Bucket>> OpenBucket(const ShippingFlags& flags,
                                                             objstore::BucketMetrics& metrics) {
  ASSIGN_OR_RETURN(std::string text,
                   objstore::ConfigFromFlags(flags.objstore_config_file, flags.objstore_config));
  if (text.empty()) return nullptr;
  ASSIGN_OR_RETURN(objstore::BucketConfig config,
                   objstore::ParseBucketConfig(text, flags.objstore_config_file.empty()
                                                         ? "--objstore.config"
                                                         : flags.objstore_config_file));
  return objstore::NewBucket(config, &metrics);
}

ShippingLoop::ShippingLoop(std::unique_ptr<objstore::Bucket> bucket, const std::string& tsdb_dir,
                           const std::string& source, bool upload_compacted,
                           std::function<labels::Labels()> labels, metrics::Registry& registry,
                           absl::Duration interval)
    : bucket_(std::move(bucket)) {
  shipper::ShipperOptions opts;
  opts.dir = tsdb_dir;
  opts.external_labels = std::move(labels);
  opts.source = source;
  opts.upload_compacted = upload_compacted;
  opts.registry = &registry;
  shipper_ = std::make_unique<shipper::Shipper>(*bucket_, std::move(opts));
  log::Info("Starting shipper", {{"bucket", bucket_->Name()}, {"dir", tsdb_dir}});
  thread_ = std::thread([this, interval] { Run(interval); });
}

void ShippingLoop::Run(absl::Duration interval) {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stop_) {
    lock.unlock();
    absl::StatusOr<int> n = shipper_->Sync();
    if (!n.ok()) {
      log::Warn("shipper: sync failed; retrying at the next cycle", {{"err", n.status()}});
    } else if (*n > 0) {
      log::Info("shipper: uploaded blocks", {{"uploaded", *n}});
    }
    lock.lock();
    cv_.wait_for(lock, absl::ToChronoMilliseconds(interval), [this] { return stop_; });
  }
}

ShippingLoop::~ShippingLoop() {
  {
    std::lock_guard<std::mutex> l(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace argus::cmd
