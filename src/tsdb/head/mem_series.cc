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

bool MemSeries::Append(int64_t t, double v, int64_t chunk_range) {
  if (!empty() && t <= last_t_) return false;
  if (head_ == nullptr) {
    CutHeadChunk(t, chunk_range);
  } else {
    const int n = head_->num_samples();
    if (n == kSamplesPerChunk / 4) next_at_ = ChunkEndTime(head_min_t_, last_t_, next_at_);
    if (t >= next_at_ || n >= kSamplesPerChunk * 2) CutHeadChunk(t, chunk_range);
  }
  head_->Append(t, v);
  last_t_ = t;
  last_v_ = v;
  return true;
}

void MemSeries::CutHeadChunk(int64_t t, int64_t chunk_range) {
  // Growing a chunk by doubling leaves freed buffers behind that a million series growing in
  // lock-step cannot reuse; sizing the next chunk like the last one (or 128 bytes, as
  // Prometheus does for a new chunk) avoids most reallocations.
  size_t reserve = 128;
  if (head_ != nullptr) {
    reserve = head_->bytes().size() + 16;
    closed_.push_back({head_min_t_, last_t_, std::make_shared<const std::string>(head_->bytes())});
  }
  head_ = std::make_unique<chunkenc::XorAppender>();
  head_->Reserve(reserve);
  head_min_t_ = t;
  next_at_ = RangeEnd(t, chunk_range);
}

int64_t MemSeries::min_time() const {
  if (!closed_.empty()) return closed_.front().min_time;
  return head_ != nullptr ? head_min_t_ : std::numeric_limits<int64_t>::min();
}

void MemSeries::Chunks(int64_t mint, int64_t maxt, ChunkSeries* out) const {
  for (const Closed& c : closed_) {
    if (c.max_time < mint || c.min_time > maxt) continue;
    out->chunks.push_back({c.min_time, c.max_time, *c.data});
    out->keepalive.push_back(c.data);
  }
  if (head_ != nullptr && last_t_ >= mint && head_min_t_ <= maxt) {
    auto copy = std::make_shared<const std::string>(head_->bytes());
    out->chunks.push_back({head_min_t_, last_t_, *copy});
    out->keepalive.push_back(std::move(copy));
  }
}

void MemSeries::TruncateBefore(int64_t mint) {
  size_t drop = 0;
  while (drop < closed_.size() && closed_[drop].max_time < mint) ++drop;
  closed_.erase(closed_.begin(), closed_.begin() + drop);
  if (closed_.empty() && head_ != nullptr && last_t_ < mint) head_.reset();
}

}  // namespace argus::tsdb::head
