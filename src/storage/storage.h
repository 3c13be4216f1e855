// The storage seam (Prometheus's storage package): what scrape, rules, PromQL and the StoreAPI
// see of any store of series, the local TSDB or a remote one.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "model/labels/labels.h"
#include "model/labels/matcher.h"

namespace argus::storage {

// A series reference handed out by an Appender; 0 means "unknown, look the series up by labels".
using SeriesRef = uint64_t;

// Adds samples in a batch that becomes visible atomically on Commit. Not thread-safe: one
// appender per goroutine-equivalent (a scrape loop holds one per scrape).
class Appender {
 public:
  virtual ~Appender() = default;
  // Adds sample (t, v) to the series `lset` (or `ref`, when non-zero and returned by an earlier
  // Append of the same storage). Returns the series ref to pass next time.
  // `lset` may be empty when `ref` is given: the caller then relies on the ref alone.
  // Errors (the sample is rejected, the batch stays usable): NotFound when `ref` is unknown
  // (no longer) and `lset` is empty; InvalidArgument for an empty label set without a ref;
  // OutOfRange "out of bounds" for a timestamp too old for the head; FailedPrecondition "out of
  // order sample" / "duplicate sample for timestamp".
  virtual absl::StatusOr<SeriesRef> Append(SeriesRef ref, const labels::Labels& lset, int64_t t,
                                           double v) = 0;
  // A hint: about `n` samples will be appended to this batch (room is made up front).
  virtual void ExpectSamples(size_t /*n*/) {}
  // Makes the batch durable (write-ahead logged) and visible. On error nothing of it is
  // visible.
  virtual absl::Status Commit() = 0;
  // Discards the batch.
  virtual absl::Status Rollback() = 0;
};

// Samples of one series in time order. Not thread-safe.
class SampleIterator {
 public:
  virtual ~SampleIterator() = default;
  // Advances; false at the end or on error (see status()).
  virtual bool Next() = 0;
  // Advances to the first sample with timestamp >= t; staying put when already there.
  virtual bool Seek(int64_t t) = 0;
  virtual int64_t t() const = 0;
  virtual double v() const = 0;
  virtual absl::Status status() const = 0;
  // Advances up to `max` times, writing each sample reached to ts[i], vs[i]; returns how many
  // (fewer than `max` only at the end or on error, see status()). Afterwards the iterator is
  // at the last sample written, as if Next() had been called that many times.
  virtual size_t NextBatch(int64_t* ts, double* vs, size_t max) {
    size_t n = 0;
    while (n < max && Next()) {
      ts[n] = t();
      vs[n] = v();
      ++n;
    }
    return n;
  }
};

class Series {
 public:
  virtual ~Series() = default;
  virtual const labels::Labels& labels() const = 0;
  // A fresh iterator over the series' samples. The Series must outlive it.
  virtual std::unique_ptr<SampleIterator> Iterator() const = 0;
};

// A stream of series, sorted by labels when asked for. Not thread-safe.
class SeriesSet {
 public:
  virtual ~SeriesSet() = default;
  virtual bool Next() = 0;
  // REQUIRES: the last Next() returned true. Valid until the next Next().
  virtual const Series& At() const = 0;
  virtual absl::Status status() const = 0;
};

struct SelectHints {
  int64_t start = std::numeric_limits<int64_t>::min();  // inclusive, ms
  int64_t end = std::numeric_limits<int64_t>::max();    // inclusive, ms
  // The function or aggregation the selected series feed ("rate", "sum", ...; "" when none or
  // behind a binary operation), as Prometheus's hints.Func: the querier's deduplication
  // treats counters read by rate/increase/irate/resets differently.
  std::string func;
};

// Reads a fixed time range of a storage. Thread-safe; must outlive what it returns.
class Querier {
 public:
  virtual ~Querier() = default;
  // Series matching every matcher with at least one sample in the range. Errors surface
  // through the set's status().
  virtual std::unique_ptr<SeriesSet> Select(bool sorted, const SelectHints& hints,
                                            const std::vector<labels::Matcher>& matchers) = 0;
  // Sorted unique values of `name` among series matching `matchers` (all series when empty).
  virtual absl::StatusOr<std::vector<std::string>> LabelValues(
      const std::string& name, const std::vector<labels::Matcher>& matchers) = 0;
  // Sorted unique label names among series matching `matchers`.
  virtual absl::StatusOr<std::vector<std::string>> LabelNames(
      const std::vector<labels::Matcher>& matchers) = 0;
  // What went wrong without failing the calls so far (a remote store that did not answer,
  // under a partial-response policy), for the API's "warnings". Thread-safe.
  virtual std::vector<std::string> Warnings() const { return {}; }
};

// A set of series that can be queried over a time range.
class Queryable {
 public:
  virtual ~Queryable() = default;
  // Both ends inclusive, ms.
  virtual absl::StatusOr<std::unique_ptr<Querier>> NewQuerier(int64_t mint, int64_t maxt) = 0;
};

}  // namespace argus::storage
