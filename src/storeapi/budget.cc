#include "storeapi/budget.h"

#include "absl/strings/str_cat.h"
#include "base/status.h"

namespace argus::storeapi {
namespace {

// Adds `n` to `total`; an error when a non-zero `limit` is passed.
absl::Status Charge(std::atomic<uint64_t>& total, uint64_t n, uint64_t limit,
                    absl::string_view what, absl::string_view flag) {
  const uint64_t now = total.fetch_add(n) + n;
  if (limit != 0 && now > limit) {
    return absl::ResourceExhaustedError(
        absl::StrCat("exceeded ", what, " limit: ", now, " > ", limit, " (", flag, ")"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status QueryBudget::AddSeries(uint64_t n) {
  return Charge(series_, n, limits_.series, "series", "--store.limits.request-series");
}

absl::Status QueryBudget::AddSamples(uint64_t n) {
  return Charge(samples_, n, limits_.samples, "samples", "--store.limits.request-samples");
}

absl::Status QueryBudget::Reserve(uint64_t bytes) {
  absl::Status s = Charge(bytes_, bytes, limits_.bytes, "per-query memory (bytes)",
                          "--store.grpc.query-memory-budget");
  uint64_t now = bytes_.load(), peak = peak_.load();
  while (now > peak && !peak_.compare_exchange_weak(peak, now)) {
  }
  return s;
}

void QueryBudget::Release(uint64_t bytes) { bytes_.fetch_sub(bytes); }

uint64_t ChunkSamples(absl::string_view xor_chunk) {
  if (xor_chunk.size() < 2) return 0;
  return (static_cast<uint64_t>(static_cast<uint8_t>(xor_chunk[0])) << 8) |
         static_cast<uint8_t>(xor_chunk[1]);
}

absl::Status ChargeSeries(tsdb::ChunkSeries* series, bool skip_chunks, QueryBudget* budget) {
  RETURN_IF_ERROR(budget->AddSeries(1));
  uint64_t samples = 0, bytes = 0;
  for (const tsdb::ChunkView& c : series->chunks) {
    samples += ChunkSamples(c.data);
    bytes += c.data.size();
  }
  RETURN_IF_ERROR(budget->AddSamples(samples));
  if (!skip_chunks) return budget->Reserve(bytes);
  series->chunks.clear();
  series->keepalive.clear();
  return absl::OkStatus();
}

absl::Status ChargeSelected(std::vector<tsdb::ChunkSeries>* series, bool skip_chunks,
                            QueryBudget* budget) {
  for (tsdb::ChunkSeries& s : *series) RETURN_IF_ERROR(ChargeSeries(&s, skip_chunks, budget));
  return absl::OkStatus();
}

}  // namespace argus::storeapi
