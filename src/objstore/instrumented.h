// Bucket metrics as Thanos's objstore names them: every operation counted, timed and, when it
// fails for a reason other than an expected not-found, counted as a failure.
#pragma once

#include <memory>

#include "metrics/registry.h"
#include "objstore/bucket.h"

namespace argus::objstore {

// The metric families, registered once per registry and shared by its buckets:
// objstore_bucket_operations_total{bucket,operation},
// objstore_bucket_operation_failures_total{bucket,operation},
// objstore_bucket_operation_duration_seconds{bucket,operation} and
// objstore_bucket_last_successful_upload_time{bucket}. Operations: upload, get, get_range,
// exists, attributes, iter, delete.
class BucketMetrics {
 public:
  explicit BucketMetrics(metrics::Registry& registry);

 private:
  friend class InstrumentedBucket;
  metrics::CounterVec& ops_;
  metrics::CounterVec& failures_;
  metrics::HistogramVec& duration_;
  metrics::GaugeVec& last_upload_;
};

// Wraps `bucket`; `metrics` must outlive the result. Behaves exactly as `bucket`.
std::unique_ptr<Bucket> Instrument(std::unique_ptr<Bucket> bucket, BucketMetrics& metrics);

}  // namespace argus::objstore
