// The three instrument kinds of Argus's self-instrumentation. Each is a lock-free atomic cell:
// once a caller holds a reference (resolved once from a family), updating it costs one atomic
// operation and no lock or map lookup. All methods are thread-safe.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace argus::metrics {

// A monotonically increasing value.
class Counter {
 public:
  void Inc() { value_.fetch_add(1.0, std::memory_order_relaxed); }
  // REQUIRES: v >= 0 (a counter never goes down; negative values are ignored).
  void Add(double v) {
    if (v > 0) value_.fetch_add(v, std::memory_order_relaxed);
  }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// A value that goes up and down.
class Gauge {
 public:
  void Set(double v) { value_.store(v, std::memory_order_relaxed); }
  void Add(double v) { value_.fetch_add(v, std::memory_order_relaxed); }
  void Inc() { Add(1); }
  void Dec() { Add(-1); }
  double Value() const { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0};
};

// A cumulative histogram with fixed upper bounds (the +Inf bucket is implicit).
class Histogram {
 public:
  // `bounds` must be sorted ascending; the family checks that.
  explicit Histogram(const std::vector<double>* bounds);

  void Observe(double v);

  struct Snapshot {
    std::vector<uint64_t> cumulative;  // one per bound, then +Inf (== count)
    double sum = 0;
  };
  // Bucket counts are read one by one while writers may run, so a snapshot can lag an
  // observation in flight; the cumulative counts are always non-decreasing and the +Inf
  // bucket equals the count written.
  Snapshot Read() const;

 private:
  const std::vector<double>* bounds_;                // owned by the family
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // bounds_->size() + 1 cells
  std::atomic<double> sum_{0};
};

// Default buckets of the Prometheus client libraries, in seconds.
const std::vector<double>& DefaultBuckets();
// `count` bounds start, start*factor, start*factor^2, ...
std::vector<double> ExponentialBuckets(double start, double factor, int count);

}  // namespace argus::metrics
