// A Bucket wrapper for tests that records every call and fails the ones a rule picks, to
// drive retry and crash-consistency paths deterministically (LevelDB's fault-injection Env,
// for buckets).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "objstore/bucket.h"

namespace argus::objstore::testing {

// Thread-safe.
class FaultBucket : public Bucket {
 public:
  // Given the operation ("upload", "get_range", "exists", "attributes", "iter", "delete") and
  // the object name, the error to return instead of calling the inner bucket, or OK to pass.
  using Rule = std::function<absl::Status(absl::string_view op, absl::string_view name)>;

  // `inner` must outlive this wrapper.
  explicit FaultBucket(Bucket& inner) : inner_(inner) {}

  void SetRule(Rule rule);
  // "op name" for every call so far, in order (failed ones too).
  std::vector<std::string> Calls() const;
  void ClearCalls();

  std::string Name() const override { return inner_.Name(); }
  absl::Status Upload(absl::string_view name, UploadSource& src) override;
  absl::Status GetRange(absl::string_view name, int64_t offset, int64_t length,
                        const ByteSink& sink) override;
  absl::StatusOr<bool> Exists(absl::string_view name) override;
  absl::StatusOr<ObjectAttributes> Attributes(absl::string_view name) override;
  absl::Status Iter(absl::string_view dir, bool recursive, const NameSink& sink) override;
  absl::Status Delete(absl::string_view name) override;

 private:
  absl::Status Check(absl::string_view op, absl::string_view name);

  Bucket& inner_;
  mutable std::mutex mu_;
  Rule rule_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> calls_ ABSL_GUARDED_BY(mu_);
};

// A rule that fails the `n`th (1-based) call of `op` with Unavailable, and passes all others.
FaultBucket::Rule FailNth(std::string op, int n);

}  // namespace argus::objstore::testing
