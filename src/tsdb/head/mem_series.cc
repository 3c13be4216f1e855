#include "tsdb/head/mem_series.h"

#include <algorithm>

namespace argus::tsdb::head {

static_assert(sizeof(MemSeries) == 128, "an append touches the first of two cache lines");

namespace {

// Prometheus's computeChunkEndTime: once a chunk holds a quarter of its target, pick the end
// that spreads the remaining samples of the range evenly over whole chunks.
int64_t ChunkEndTime(int64_t start, int64_t cur, int64_t max) {
  const int64_t n = (max - start) / ((cur - start + 1) * 4);
  if (n <= 1) return max;
  return start + (max - start) / n;
}

}  // namespace

labels::Labels MemSeries::Labels() const {
  std::vector<labels::Label> out;
  out.reserve(labels_.size());
  for (const auto& [n, v] : labels_) out.push_back({*n, *v});
  return labels::Labels::FromSorted(std::move(out));
}

uint64_t MemSeries::LabelsHash() const {
  labels::LabelsHasher h;
  for (const auto& [n, v] : labels_) h.Add(*n, *v);
  return h.Finish();
}

absl::string_view MemSeries::Get(absl::string_view name) const {
  for (const auto& [n, v] : labels_) {
    if (*n == name) return *v;
  }
  return {};
}

bool MemSeries::Append(int64_t t, double v, int64_t chunk_range, chunks::HeadChunks& store) {
  const int n = head_.num_samples();
  if (n == 0) {
    CutHeadChunk(t, chunk_range, store);
  } else {
    const int64_t last_t = head_.last_t();
    if (t <= last_t) return false;
    if (n == kSamplesPerChunk / 4) next_at_ = ChunkEndTime(head_min_t_, last_t, next_at_);
    if (t >= next_at_ || n >= kSamplesPerChunk * 2) CutHeadChunk(t, chunk_range, store);
  }
  head_.Append(t, v);
  return true;
}

void MemSeries::CutHeadChunk(int64_t t, int64_t chunk_range, chunks::HeadChunks& store) {
  if (head_.num_samples() > 0) {
    closed_.push_back(store.Write(ref_, head_min_t_, head_.last_t(), head_.bytes()));
  }
  // Each chunk starts small and grows as it fills: at any moment a head's open chunks are on
  // average half full, and sizing them for the whole chunk up front would double their memory.
  head_ = chunkenc::XorAppender();
  head_.Reserve(kOpenChunkBytes);
  head_min_t_ = t;
  next_at_ = RangeEnd(t, chunk_range);
}

int64_t MemSeries::min_time(const chunks::HeadChunks& store) const {
  if (!closed_.empty()) return store.TimeRange(closed_.front()).first;
  return head_.num_samples() > 0 ? head_min_t_ : std::numeric_limits<int64_t>::min();
}

void MemSeries::Chunks(int64_t mint, int64_t maxt, const chunks::HeadChunks& store,
                       ChunkSeries* out) const {
  for (uint64_t ref : closed_) {
    const auto [min_time, max_time] = store.TimeRange(ref);
    if (max_time < mint || min_time > maxt) continue;
    std::shared_ptr<const void> owner;
    out->chunks.push_back({min_time, max_time, store.Read(ref, &owner)});
    // One owner per file: consecutive chunks of a series usually share it.
    if (out->keepalive.empty() || out->keepalive.back() != owner) {
      out->keepalive.push_back(std::move(owner));
    }
  }
  if (head_.num_samples() > 0 && head_.last_t() >= mint && head_min_t_ <= maxt) {
    auto copy = std::make_shared<const std::string>(head_.CopyBytes());
    out->chunks.push_back({head_min_t_, head_.last_t(), *copy});
    out->keepalive.push_back(std::move(copy));
  }
}

void MemSeries::TruncateBefore(int64_t mint, const chunks::HeadChunks& store) {
  size_t drop = 0;
  while (drop < closed_.size() && store.TimeRange(closed_[drop]).second < mint) ++drop;
  closed_.erase(closed_.begin(), closed_.begin() + drop);
  if (closed_.empty() && head_.num_samples() > 0 && head_.last_t() < mint) {
    head_ = chunkenc::XorAppender();
  }
}

}  // namespace argus::tsdb::head
