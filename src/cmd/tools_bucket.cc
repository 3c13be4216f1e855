// `argus tools bucket upload-blocks`: uploads the blocks of a local directory to a bucket with
// the given external labels, as `thanos tools bucket upload-blocks` does (the shipper, with
// compacted blocks too; source "bucket.upload"), and records them in thanos.shipper.json.
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status.h"
#include "block/metadata.h"
#include "cmd/command.h"
#include "cmd/shipping.h"
#include "metrics/registry.h"
#include "model/labels/selector.h"
#include "objstore/instrumented.h"
#include "shipper/shipper.h"

namespace argus::cmd {
namespace {

struct UploadFlags {
  ShippingFlags shipping;
  std::string path = "./data";
  std::vector<std::string> labels;
};

// `name="value"` (the value a Go string literal, as Thanos's --label takes it) as a label set.
// Errors: InvalidArgument naming the flag value.
absl::StatusOr<labels::Labels> ParseLabelFlags(const std::vector<std::string>& flags) {
  std::vector<labels::Label> out;
  for (const std::string& f : flags) {
    const size_t eq = f.find('=');
    absl::StatusOr<std::string> value =
        eq == std::string::npos ? absl::InvalidArgumentError("missing '='")
                                : labels::UnquoteGoString(absl::string_view(f).substr(eq + 1));
    if (!value.ok() || eq == 0) {
      return absl::InvalidArgumentError(absl::StrCat("--label: expected name=\"value\", got ", f));
    }
    out.push_back({f.substr(0, eq), *value});
  }
  return labels::Labels::FromUnsorted(std::move(out));
}

int RunUpload(const UploadFlags& f) {
  const auto fail = [](const absl::Status& st) {
    std::cerr << "upload-blocks: " << st.message() << "\n";
    return 1;
  };
  absl::StatusOr<labels::Labels> ext = ParseLabelFlags(f.labels);
  if (!ext.ok()) return fail(ext.status());
  metrics::Registry registry;
  objstore::BucketMetrics bucket_metrics(registry);
  absl::StatusOr<std::unique_ptr<objstore::Bucket>> bucket = OpenBucket(f.shipping, bucket_metrics);
  if (!bucket.ok()) return fail(bucket.status());
  if (*bucket == nullptr) {
    return fail(
        absl::InvalidArgumentError("--objstore.config-file or --objstore.config is required"));
  }
  shipper::ShipperOptions opts;
  opts.dir = f.path;
  opts.external_labels = [ext = *ext] { return ext; };
  opts.source = block::kBucketUploadSource;
  opts.upload_compacted = true;
  opts.registry = &registry;
  absl::StatusOr<int> n = shipper::Shipper(**bucket, std::move(opts)).Sync();
  if (!n.ok()) return fail(n.status());
  std::cout << "uploaded " << *n << " blocks\n";
  return 0;
}

}  // namespace

Command AddBucketTools(CLI::App* tools) {
  auto f = std::make_shared<UploadFlags>();
  CLI::App* bucket = tools->add_subcommand("bucket", "Bucket utility commands");
  bucket->require_subcommand(1);
  CLI::App* upload = bucket->add_subcommand(
      "upload-blocks", "Upload the blocks of a directory to object storage with the given labels");
  upload->add_option("--path", f->path, "Path to the directory containing blocks to upload.")
      ->capture_default_str();
  upload->add_option("--label", f->labels,
                     "External labels to add to the uploaded blocks (repeated): name=\"value\".");
  AddObjstoreFlags(upload, &f->shipping);
  return {upload, [f] { return RunUpload(*f); }};
}

}  // namespace argus::cmd
