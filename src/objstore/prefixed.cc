#include "objstore/prefixed.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "base/status.h"

namespace argus::objstore {
namespace {

class PrefixedBucket : public Bucket {
 public:
  PrefixedBucket(std::unique_ptr<Bucket> inner, std::string prefix)
      : inner_(std::move(inner)), prefix_(std::move(prefix)) {}

  std::string Name() const override { return inner_->Name(); }
  absl::Status Upload(absl::string_view name, UploadSource& src) override {
    return inner_->Upload(Full(name), src);
  }
  absl::Status GetRange(absl::string_view name, int64_t offset, int64_t length,
                        const ByteSink& sink) override {
    return inner_->GetRange(Full(name), offset, length, sink);
  }
  absl::StatusOr<bool> Exists(absl::string_view name) override {
    return inner_->Exists(Full(name));
  }
  absl::StatusOr<ObjectAttributes> Attributes(absl::string_view name) override {
    return inner_->Attributes(Full(name));
  }
  absl::Status Iter(absl::string_view dir, bool recursive, const NameSink& sink) override {
    const std::string full = dir.empty() ? prefix_ : Full(dir);
    return inner_->Iter(full, recursive, [this, &sink](const std::string& name) {
      return sink(std::string(absl::StripPrefix(name, absl::StrCat(prefix_, "/"))));
    });
  }
  absl::Status Delete(absl::string_view name) override { return inner_->Delete(Full(name)); }

 private:
  // The name below. An empty `name` stays empty so CheckKey refuses it below.
  std::string Full(absl::string_view name) const {
    return name.empty() ? std::string() : absl::StrCat(prefix_, "/", name);
  }

  std::unique_ptr<Bucket> inner_;
  const std::string prefix_;
};

}  // namespace

std::unique_ptr<Bucket> WithPrefix(std::unique_ptr<Bucket> bucket, absl::string_view prefix) {
  prefix = absl::StripSuffix(absl::StripPrefix(prefix, "/"), "/");
  if (prefix.empty()) return bucket;
  return std::make_unique<PrefixedBucket>(std::move(bucket), std::string(prefix));
}

}  // namespace argus::objstore
