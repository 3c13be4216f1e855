#include "query/dedup.h"

#include <algorithm>
#include <limits>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_set.h"

namespace argus::query {
namespace {

// The penalty before anything was emitted: sampling intervals are typically seconds.
constexpr int64_t kInitialPenaltyMs = 5000;
constexpr int64_t kNone = std::numeric_limits<int64_t>::min();

// An iterator the penalty merge can tell the value it emitted last, when it switches to it.
class Replica : public storage::SampleIterator {
 public:
  // Called on a switch to this side with the last emitted value.
  virtual void AdjustAt(double last) = 0;
};

// One replica's samples; with `counter`, raised by what earlier switches found missing.
class Leaf final : public Replica {
 public:
  Leaf(std::unique_ptr<storage::SampleIterator> it, bool counter)
      : it_(std::move(it)), counter_(counter) {}
  bool Next() override { return valid_ = it_->Next(); }
  bool Seek(int64_t t) override { return valid_ = it_->Seek(t); }
  int64_t t() const override { return it_->t(); }
  double v() const override { return it_->v() + adjust_; }
  absl::Status status() const override { return it_->status(); }
  void AdjustAt(double last) override {
    // A counter never drops: this replica missed the end of an increase.
    if (counter_ && valid_ && last > v()) adjust_ += last - v();
  }

 private:
  std::unique_ptr<storage::SampleIterator> it_;
  const bool counter_;
  bool valid_ = false;
  double adjust_ = 0;
};

class Penalty final : public Replica {
 public:
  Penalty(std::unique_ptr<Replica> a, std::unique_ptr<Replica> b)
      : a_(std::move(a)), b_(std::move(b)) {
    a_ok_ = a_->Next();
    b_ok_ = b_->Next();
  }

  bool Next() override {
    const bool had = started_ && (use_a_ ? a_ok_ : b_ok_);
    const double last_v = had ? v() : 0;
    const bool was_a = use_a_;
    started_ = true;
    const bool ok = Advance();
    if (ok && had && use_a_ != was_a) AdjustAt(last_v);
    return ok;
  }

  bool Seek(int64_t t) override {
    // Sample by sample, so no switch between replicas is skipped.
    if (started_ && valid_ && this->t() >= t) return true;
    while (Next()) {
      if (this->t() >= t) return true;
    }
    return false;
  }

  int64_t t() const override { return use_a_ ? a_->t() : b_->t(); }
  double v() const override { return use_a_ ? a_->v() : b_->v(); }
  absl::Status status() const override {
    absl::Status s = a_->status();
    return s.ok() ? b_->status() : s;
  }
  void AdjustAt(double last) override {
    if (a_ok_) a_->AdjustAt(last);
    if (b_ok_) b_->AdjustAt(last);
  }

 private:
  bool Advance() {
    if (a_ok_) a_ok_ = a_->Seek(last_t_ + 1 + pen_a_);
    if (b_ok_) b_ok_ = b_->Seek(last_t_ + 1 + pen_b_);
    if (!a_ok_ && !b_ok_) return valid_ = false;
    use_a_ = !b_ok_ || (a_ok_ && a_->t() <= b_->t());
    const int64_t taken = use_a_ ? a_->t() : b_->t();
    const int64_t other_penalty = last_t_ == kNone ? kInitialPenaltyMs : 2 * (taken - last_t_);
    if (use_a_) {
      if (b_ok_) pen_b_ = other_penalty;
      pen_a_ = 0;
    } else {
      if (a_ok_) pen_a_ = other_penalty;
      pen_b_ = 0;
    }
    last_t_ = taken;
    return valid_ = true;
  }

  std::unique_ptr<Replica> a_, b_;
  bool a_ok_ = false, b_ok_ = false;
  bool use_a_ = true;
  bool started_ = false;
  bool valid_ = false;
  int64_t last_t_ = kNone;
  int64_t pen_a_ = 0, pen_b_ = 0;
};

bool ByMinTime(const tsdb::ChunkView& a, const tsdb::ChunkView& b) {
  return a.min_time < b.min_time;
}

// Whether a chunk of `a` overlaps one of `b` in time (both sorted by min_time).
bool Overlap(const std::vector<tsdb::ChunkView>& a, const std::vector<tsdb::ChunkView>& b) {
  size_t i = 0, j = 0;
  int64_t a_end = std::numeric_limits<int64_t>::min(), b_end = a_end;  // furthest max so far
  while (i < a.size() || j < b.size()) {
    if (j == b.size() || (i < a.size() && a[i].min_time <= b[j].min_time)) {
      if (a[i].min_time <= b_end) return true;
      a_end = std::max(a_end, a[i++].max_time);
    } else {
      if (b[j].min_time <= a_end) return true;
      b_end = std::max(b_end, b[j++].max_time);
    }
  }
  return false;
}

// Whether chunks (sorted by min_time) overlap one another.
bool OverlapsItself(const std::vector<tsdb::ChunkView>& chunks) {
  int64_t end = std::numeric_limits<int64_t>::min();
  for (const tsdb::ChunkView& c : chunks) {
    if (c.min_time <= end) return true;
    end = std::max(end, c.max_time);
  }
  return false;
}

}  // namespace

std::vector<std::vector<tsdb::ChunkView>> GroupReplicas(
    const std::vector<std::vector<tsdb::ChunkView>>& parts) {
  using Key = std::tuple<int64_t, int64_t, absl::string_view>;
  const auto key = [](const tsdb::ChunkView& c) { return Key{c.min_time, c.max_time, c.data}; };
  std::vector<std::vector<tsdb::ChunkView>> groups;
  std::vector<absl::flat_hash_set<Key>> held;  // each group's chunks
  for (const std::vector<tsdb::ChunkView>& part : parts) {
    std::vector<tsdb::ChunkView> sorted = part;
    std::sort(sorted.begin(), sorted.end(), ByMinTime);
    bool joined = false;
    for (size_t g = 0; g < groups.size() && !joined; ++g) {
      // What the part adds to the group: its chunks the group does not hold already.
      std::vector<tsdb::ChunkView> fresh;
      for (const tsdb::ChunkView& c : sorted) {
        if (!held[g].contains(key(c))) fresh.push_back(c);
      }
      if (Overlap(groups[g], fresh)) continue;
      for (const tsdb::ChunkView& c : fresh) held[g].insert(key(c));
      groups[g].insert(groups[g].end(), fresh.begin(), fresh.end());
      std::sort(groups[g].begin(), groups[g].end(), ByMinTime);
      joined = true;
    }
    if (joined || sorted.empty()) continue;
    held.emplace_back();
    for (const tsdb::ChunkView& c : sorted) held.back().insert(key(c));
    groups.push_back(std::move(sorted));
  }
  return groups;
}

bool IsCounterFunc(absl::string_view func) {
  return func == "rate" || func == "increase" || func == "irate" || func == "resets";
}

std::vector<std::vector<tsdb::ChunkView>> SplitOverlapping(
    const std::vector<tsdb::ChunkView>& chunks) {
  std::vector<std::vector<tsdb::ChunkView>> chains;
  for (const tsdb::ChunkView& c : chunks) {
    bool placed = false;
    for (std::vector<tsdb::ChunkView>& chain : chains) {
      if (chain.back().max_time < c.min_time) {
        chain.push_back(c);
        placed = true;
        break;
      }
    }
    if (!placed) chains.push_back({c});
  }
  return chains;
}

std::unique_ptr<storage::SampleIterator> NewPenaltyIterator(
    std::vector<std::unique_ptr<storage::SampleIterator>> replicas, bool counter) {
  std::unique_ptr<Replica> it;
  for (std::unique_ptr<storage::SampleIterator>& r : replicas) {
    auto leaf = std::make_unique<Leaf>(std::move(r), counter);
    it = it == nullptr ? std::unique_ptr<Replica>(std::move(leaf))
                       : std::make_unique<Penalty>(std::move(it), std::move(leaf));
  }
  return it;
}

DedupSeries::DedupSeries(tsdb::ChunkSeries series,
                         const std::vector<std::vector<tsdb::ChunkView>>& parts, int64_t mint,
                         int64_t maxt, DedupFunc func, bool counter)
    : series_(std::move(series)), mint_(mint), maxt_(maxt), counter_(counter) {
  if (func != DedupFunc::kPenalty) return;
  if (parts.size() < 2 && !OverlapsItself(series_.chunks)) return;  // one replica
  for (std::vector<tsdb::ChunkView>& group : GroupReplicas(
           parts.empty() ? std::vector<std::vector<tsdb::ChunkView>>{series_.chunks} : parts)) {
    for (std::vector<tsdb::ChunkView>& chain : SplitOverlapping(group)) {
      replicas_.push_back(tsdb::ChunkSeries{series_.labels, std::move(chain), {}});
    }
  }
  if (replicas_.size() < 2) replicas_.clear();
}

std::unique_ptr<storage::SampleIterator> DedupSeries::Iterator() const {
  if (replicas_.empty()) return tsdb::NewChunkSeriesIterator(series_, mint_, maxt_);
  std::vector<std::unique_ptr<storage::SampleIterator>> its;
  its.reserve(replicas_.size());
  for (const tsdb::ChunkSeries& r : replicas_) {
    its.push_back(tsdb::NewChunkSeriesIterator(r, mint_, maxt_));
  }
  return NewPenaltyIterator(std::move(its), counter_);
}

}  // namespace argus::query
