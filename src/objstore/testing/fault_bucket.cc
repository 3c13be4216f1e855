#include "objstore/testing/fault_bucket.h"

#include <atomic>

#include "absl/strings/str_cat.h"
#include "base/status.h"

namespace argus::objstore::testing {

void FaultBucket::SetRule(Rule rule) {
  std::lock_guard<std::mutex> l(mu_);
  rule_ = std::move(rule);
}

std::vector<std::string> FaultBucket::Calls() const {
  std::lock_guard<std::mutex> l(mu_);
  return calls_;
}

void FaultBucket::ClearCalls() {
  std::lock_guard<std::mutex> l(mu_);
  calls_.clear();
}

absl::Status FaultBucket::Check(absl::string_view op, absl::string_view name) {
  std::lock_guard<std::mutex> l(mu_);
  calls_.push_back(absl::StrCat(op, " ", name));
  return rule_ ? rule_(op, name) : absl::OkStatus();
}

absl::Status FaultBucket::Upload(absl::string_view name, UploadSource& src) {
  RETURN_IF_ERROR(Check("upload", name));
  return inner_.Upload(name, src);
}

absl::Status FaultBucket::GetRange(absl::string_view name, int64_t offset, int64_t length,
                                   const ByteSink& sink) {
  RETURN_IF_ERROR(Check("get_range", name));
  return inner_.GetRange(name, offset, length, sink);
}

absl::StatusOr<bool> FaultBucket::Exists(absl::string_view name) {
  RETURN_IF_ERROR(Check("exists", name));
  return inner_.Exists(name);
}

absl::StatusOr<ObjectAttributes> FaultBucket::Attributes(absl::string_view name) {
  RETURN_IF_ERROR(Check("attributes", name));
  return inner_.Attributes(name);
}

absl::Status FaultBucket::Iter(absl::string_view dir, bool recursive, const NameSink& sink) {
  RETURN_IF_ERROR(Check("iter", dir));
  return inner_.Iter(dir, recursive, sink);
}

absl::Status FaultBucket::Delete(absl::string_view name) {
  RETURN_IF_ERROR(Check("delete", name));
  return inner_.Delete(name);
}

FaultBucket::Rule FailNth(std::string op, int n) {
  auto seen = std::make_shared<std::atomic<int>>(0);
  return [op = std::move(op), n, seen](absl::string_view o, absl::string_view name) {
    if (o != op || ++*seen != n) return absl::OkStatus();
    return absl::UnavailableError(absl::StrCat("injected: ", o, " ", name));
  };
}

}  // namespace argus::objstore::testing
