// Per-request limits of a StoreAPI call: --store.limits.request-series,
// --store.limits.request-samples and the store gateway's per-query memory budget. One budget
// per call; sources charge it as they select.
#pragma once

#include <atomic>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "tsdb/querier/chunk_series.h"

namespace argus::storeapi {

struct Limits {
  uint64_t series = 0;   // series a call may return; 0 = unlimited
  uint64_t samples = 0;  // samples a call may touch (estimated from chunks); 0 = unlimited
  uint64_t bytes = 0;    // bytes a call may hold at once (fetched data); 0 = unlimited
};

// Thread-safe: sources may select in parallel.
class QueryBudget {
 public:
  explicit QueryBudget(Limits limits) : limits_(limits) {}

  // Each returns ResourceExhausted with a message naming the limit and the flag that sets it
  // once the running total passes the limit; the total still counts what was asked.
  absl::Status AddSeries(uint64_t n);
  absl::Status AddSamples(uint64_t n);
  // Bytes now held for the call; Release gives them back (e.g. a cache entry handed over).
  absl::Status Reserve(uint64_t bytes);
  void Release(uint64_t bytes);

  uint64_t series() const { return series_.load(); }
  uint64_t samples() const { return samples_.load(); }
  uint64_t bytes_held() const { return bytes_.load(); }
  uint64_t peak_bytes() const { return peak_.load(); }

 private:
  const Limits limits_;
  std::atomic<uint64_t> series_{0}, samples_{0}, bytes_{0}, peak_{0};
};

// Samples an XOR chunk holds (its first two bytes, big-endian); 0 for a malformed chunk.
uint64_t ChunkSamples(absl::string_view xor_chunk);

// Charges `budget` for one series as selected (series, samples, chunk bytes) and drops its
// chunks when `skip_chunks`. Errors: ResourceExhausted.
absl::Status ChargeSeries(tsdb::ChunkSeries* series, bool skip_chunks, QueryBudget* budget);
// Charges `budget` for `series` as selected (series, samples, chunk bytes) and drops their
// chunks when `skip_chunks`. Errors: ResourceExhausted.
absl::Status ChargeSelected(std::vector<tsdb::ChunkSeries>* series, bool skip_chunks,
                            QueryBudget* budget);

}  // namespace argus::storeapi
