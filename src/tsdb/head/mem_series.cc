#include "tsdb/head/mem_series.h"

namespace argus::tsdb::head {
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

absl::string_view MemSeries::Get(absl::string_view name) const {
  for (const auto& [n, v] : labels_) {
    if (*n == name) return *v;
  }
  return {};
}

bool MemSeries::Append(int64_t t, double v, int64_t chunk_range, chunks::HeadChunks& store) {
  if (!empty() && t <= last_t_) return false;
  if (!head_.has_value()) {
    CutHeadChunk(t, chunk_range, store);
  } else {
    const int n = head_->num_samples();
    if (n == kSamplesPerChunk / 4) next_at_ = ChunkEndTime(head_min_t_, last_t_, next_at_);
    if (t >= next_at_ || n >= kSamplesPerChunk * 2) CutHeadChunk(t, chunk_range, store);
  }
  head_->Append(t, v);
  last_t_ = t;
  last_v_ = v;
  return true;
}

void MemSeries::CutHeadChunk(int64_t t, int64_t chunk_range, chunks::HeadChunks& store) {
  size_t reserve = kOpenChunkBytes;
  if (head_.has_value()) {
    closed_.push_back(store.Write(ref_, head_min_t_, last_t_, head_->bytes()));
    // The next chunk will likely be as big as this one. Sizes rounded to 64 bytes keep the
    // buffers in few size classes, so that a million series cutting chunks in lock-step
    // reuse each other's freed buffers instead of fragmenting the heap.
    reserve = (head_->bytes().size() + 16 + 63) / 64 * 64;
  }
  head_.emplace();
  head_->Reserve(reserve);
  head_min_t_ = t;
  next_at_ = RangeEnd(t, chunk_range);
}

int64_t MemSeries::min_time(const chunks::HeadChunks& store) const {
  if (!closed_.empty()) return store.TimeRange(closed_.front()).first;
  return head_.has_value() ? head_min_t_ : std::numeric_limits<int64_t>::min();
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
  if (head_.has_value() && last_t_ >= mint && head_min_t_ <= maxt) {
    auto copy = std::make_shared<const std::string>(head_->bytes());
    out->chunks.push_back({head_min_t_, last_t_, *copy});
    out->keepalive.push_back(std::move(copy));
  }
}

void MemSeries::TruncateBefore(int64_t mint, const chunks::HeadChunks& store) {
  size_t drop = 0;
  while (drop < closed_.size() && store.TimeRange(closed_[drop]).second < mint) ++drop;
  closed_.erase(closed_.begin(), closed_.begin() + drop);
  if (closed_.empty() && head_.has_value() && last_t_ < mint) head_.reset();
}

}  // namespace argus::tsdb::head
