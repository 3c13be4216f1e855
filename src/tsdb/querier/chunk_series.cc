#include "tsdb/querier/chunk_series.h"

#include <algorithm>

#include "base/status.h"
#include "tsdb/chunkenc/xor.h"

namespace argus::tsdb {
namespace {

// Non-overlapping chunks: decode one after the other.
class SequentialIterator : public storage::SampleIterator {
 public:
  SequentialIterator(const ChunkSeries& s, int64_t mint, int64_t maxt)
      : s_(s), mint_(mint), maxt_(maxt) {}

  bool Next() override {
    has_value_ = Advance();
    return has_value_;
  }

  bool Seek(int64_t t) override {
    if (done_) return false;
    if (has_value_ && it_.t() >= t) return true;
    mint_ = std::max(mint_, t);
    if (started_ && s_.chunks[next_ - 1].max_time < mint_) started_ = false;
    return Next();
  }

  int64_t t() const override { return it_.t(); }
  double v() const override { return it_.v(); }
  absl::Status status() const override { return status_; }

  // Whole runs of a chunk at a time, then the samples outside [mint, maxt] dropped.
  size_t NextBatch(int64_t* ts, double* vs, size_t max) override {
    size_t n = 0;
    while (n < max) {
      if (!started_ && !OpenNext()) break;
      const size_t got = it_.NextBatch(ts + n, vs + n, max - n);
      if (got == 0) {
        if (absl::Status st = it_.status(); !st.ok()) {
          status_ = st;
          break;
        }
        started_ = false;
        continue;
      }
      size_t first = 0;
      while (first < got && ts[n + first] < mint_) ++first;
      size_t end = first;
      while (end < got && ts[n + end] <= maxt_) ++end;
      if (first > 0) {
        std::copy(ts + n + first, ts + n + end, ts + n);
        std::copy(vs + n + first, vs + n + end, vs + n);
      }
      n += end - first;
      if (end < got) {
        Stop();  // past maxt
        break;
      }
    }
    // As after Next(): on the last sample returned while there may be more.
    has_value_ = n == max && !done_;
    return n;
  }

 private:
  bool Advance() {
    while (true) {
      if (!started_) {
        if (!OpenNext()) return false;
      }
      if (!it_.Next()) {
        if (absl::Status st = it_.status(); !st.ok()) {
          status_ = st;
          return false;
        }
        started_ = false;
        continue;
      }
      if (it_.t() < mint_) continue;
      if (it_.t() > maxt_) return Stop();
      return true;
    }
  }

  bool OpenNext() {
    while (next_ < s_.chunks.size() && s_.chunks[next_].max_time < mint_) ++next_;
    if (next_ >= s_.chunks.size() || s_.chunks[next_].min_time > maxt_) return Stop();
    it_ = chunkenc::XorIterator(s_.chunks[next_++].data);
    started_ = true;
    return true;
  }
  bool Stop() {
    done_ = true;
    next_ = s_.chunks.size();
    started_ = false;
    return false;
  }

  const ChunkSeries& s_;
  int64_t mint_, maxt_;
  size_t next_ = 0;
  bool started_ = false;
  bool done_ = false;
  bool has_value_ = false;
  chunkenc::XorIterator it_;
  absl::Status status_;
};

// Overlapping chunks: decode everything in range, sort, keep the first sample of a timestamp.
class MergedIterator : public storage::SampleIterator {
 public:
  MergedIterator(const ChunkSeries& s, int64_t mint, int64_t maxt) {
    for (const ChunkView& c : s.chunks) {
      if (c.max_time < mint || c.min_time > maxt) continue;
      chunkenc::XorIterator it(c.data);
      while (it.Next()) {
        if (it.t() < mint || it.t() > maxt) continue;
        samples_.emplace_back(it.t(), it.v());
      }
      if (absl::Status st = it.status(); !st.ok()) {
        status_ = st;
        samples_.clear();
        return;
      }
    }
    std::stable_sort(samples_.begin(), samples_.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    samples_.erase(std::unique(samples_.begin(), samples_.end(),
                               [](const auto& a, const auto& b) { return a.first == b.first; }),
                   samples_.end());
  }
  bool Next() override { return ++pos_ < samples_.size(); }
  bool Seek(int64_t t) override {
    if (pos_ < samples_.size() && pos_ != kBefore && samples_[pos_].first >= t) return true;
    const size_t from = pos_ == kBefore ? 0 : pos_;
    pos_ = std::lower_bound(samples_.begin() + std::min(from, samples_.size()), samples_.end(), t,
                            [](const auto& s, int64_t x) { return s.first < x; }) -
           samples_.begin();
    return pos_ < samples_.size();
  }
  int64_t t() const override { return samples_[pos_].first; }
  double v() const override { return samples_[pos_].second; }
  absl::Status status() const override { return status_; }
  size_t NextBatch(int64_t* ts, double* vs, size_t max) override {
    size_t n = 0;
    for (size_t i = pos_ + 1; n < max && i < samples_.size(); ++i, ++n) {
      ts[n] = samples_[i].first;
      vs[n] = samples_[i].second;
    }
    pos_ += n;
    if (n < max) pos_ = samples_.size();
    return n;
  }

 private:
  static constexpr size_t kBefore = static_cast<size_t>(-1);
  std::vector<std::pair<int64_t, double>> samples_;
  size_t pos_ = kBefore;
  absl::Status status_;
};

}  // namespace

absl::Status RemoveDeleted(const std::vector<tombstones::Interval>& deleted, ChunkSeries* series) {
  if (deleted.empty()) return absl::OkStatus();
  std::vector<ChunkView> kept;
  for (const ChunkView& c : series->chunks) {
    const bool touched = std::any_of(deleted.begin(), deleted.end(), [&c](const auto& iv) {
      return iv.min_time <= c.max_time && iv.max_time >= c.min_time;
    });
    if (!touched) {
      kept.push_back(c);
      continue;
    }
    chunkenc::XorAppender app;
    int64_t mint = 0, maxt = 0;
    chunkenc::XorIterator it(c.data);
    while (it.Next()) {
      if (tombstones::IsDeleted(deleted, it.t())) continue;
      if (app.num_samples() == 0) mint = it.t();
      maxt = it.t();
      app.Append(it.t(), it.v());
    }
    RETURN_IF_ERROR(it.status());
    if (app.num_samples() == 0) continue;
    auto bytes = std::make_shared<const std::string>(std::string(app.bytes()));
    kept.push_back({mint, maxt, *bytes});
    series->keepalive.push_back(std::move(bytes));
  }
  series->chunks = std::move(kept);
  return absl::OkStatus();
}

std::unique_ptr<storage::SampleIterator> NewChunkSeriesIterator(const ChunkSeries& series,
                                                                int64_t mint, int64_t maxt) {
  for (size_t i = 1; i < series.chunks.size(); ++i) {
    if (series.chunks[i].min_time <= series.chunks[i - 1].max_time) {
      return std::make_unique<MergedIterator>(series, mint, maxt);
    }
  }
  return std::make_unique<SequentialIterator>(series, mint, maxt);
}

}  // namespace argus::tsdb
