#include "objstore/instrumented.h"

#include "absl/time/clock.h"

namespace argus::objstore {

BucketMetrics::BucketMetrics(metrics::Registry& registry)
    : ops_(registry.AddCounterVec("objstore_bucket_operations_total",
                                  "Total number of all attempted operations against a bucket.",
                                  {"bucket", "operation"})),
      failures_(registry.AddCounterVec(
          "objstore_bucket_operation_failures_total",
          "Total number of operations against a bucket that failed, but were not expected to "
          "fail in certain way from caller perspective. Those errors have to be investigated.",
          {"bucket", "operation"})),
      duration_(registry.AddHistogramVec(
          "objstore_bucket_operation_duration_seconds",
          "Duration of successful operations against the remote bucket", {"bucket", "operation"},
          {0.001, 0.01, 0.1, 0.3, 0.6, 1, 3, 6, 9, 20, 30, 60, 90, 120})),
      last_upload_(registry.AddGaugeVec("objstore_bucket_last_successful_upload_time",
                                        "Second timestamp of the last successful upload to the "
                                        "bucket.",
                                        {"bucket"})) {}

class InstrumentedBucket : public Bucket {
 public:
  InstrumentedBucket(std::unique_ptr<Bucket> inner, BucketMetrics& m)
      : inner_(std::move(inner)), m_(m), name_(inner_->Name()) {}

  std::string Name() const override { return name_; }

  absl::Status Upload(absl::string_view name, UploadSource& src) override {
    absl::Status st = Track("upload", false, [&] { return inner_->Upload(name, src); });
    if (st.ok()) m_.last_upload_.WithLabelValues({name_}).Set(absl::ToUnixSeconds(absl::Now()));
    return st;
  }
  absl::Status GetRange(absl::string_view name, int64_t offset, int64_t length,
                        const ByteSink& sink) override {
    const char* op = offset == 0 && length < 0 ? "get" : "get_range";
    return Track(op, true, [&] { return inner_->GetRange(name, offset, length, sink); });
  }
  absl::StatusOr<bool> Exists(absl::string_view name) override {
    absl::StatusOr<bool> out;
    Track("exists", true, [&] {
      out = inner_->Exists(name);
      return out.status();
    }).IgnoreError();
    return out;
  }
  absl::StatusOr<ObjectAttributes> Attributes(absl::string_view name) override {
    absl::StatusOr<ObjectAttributes> out;
    Track("attributes", true, [&] {
      out = inner_->Attributes(name);
      return out.status();
    }).IgnoreError();
    return out;
  }
  absl::Status Iter(absl::string_view dir, bool recursive, const NameSink& sink) override {
    return Track("iter", false, [&] { return inner_->Iter(dir, recursive, sink); });
  }
  absl::Status Delete(absl::string_view name) override {
    return Track("delete", false, [&] { return inner_->Delete(name); });
  }

 private:
  // Runs `op`, counting it; a NotFound is an expected outcome where `not_found_ok`.
  template <typename F>
  absl::Status Track(const char* op, bool not_found_ok, F&& f) {
    m_.ops_.WithLabelValues({name_, op}).Inc();
    const absl::Time start = absl::Now();
    absl::Status st = f();
    if (st.ok() || (not_found_ok && absl::IsNotFound(st))) {
      m_.duration_.WithLabelValues({name_, op}).Observe(absl::ToDoubleSeconds(absl::Now() - start));
    } else {
      m_.failures_.WithLabelValues({name_, op}).Inc();
    }
    return st;
  }

  std::unique_ptr<Bucket> inner_;
  BucketMetrics& m_;
  const std::string name_;
};

std::unique_ptr<Bucket> Instrument(std::unique_ptr<Bucket> bucket, BucketMetrics& metrics) {
  return std::make_unique<InstrumentedBucket>(std::move(bucket), metrics);
}

}  // namespace argus::objstore
