#include "tsdb/head/appender.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "absl/strings/str_cat.h"
#include "base/status.h"
#include "tsdb/head/head_metrics.h"

namespace argus::tsdb::head {

HeadAppender::~HeadAppender() {
  if (!samples_.empty() || !new_series_.empty()) Rollback().IgnoreError();
}

absl::StatusOr<storage::SeriesRef> HeadAppender::Append(storage::SeriesRef ref,
                                                        const labels::Labels& lset, int64_t t,
                                                        double v) {
  if (!started_) {
    min_valid_time_ = head_->MinValidTime();
    started_ = true;
  }
  if (t < min_valid_time_) {
    head_->metrics_->out_of_bound.Inc();
    return absl::OutOfRangeError(absl::StrCat("out of bounds: sample timestamp ", t,
                                              " is before the head's minimum valid time ",
                                              min_valid_time_));
  }
  std::unique_lock<std::mutex> lock;
  MemSeries* m = ref != 0 ? head_->GetByRef(ref, &lock) : nullptr;
  if (m == nullptr) {
    if (lset.empty()) {
      if (ref != 0) return absl::NotFoundError("series not found");
      return absl::InvalidArgumentError("empty labelset: invalid sample");
    }
    bool created;
    m = head_->GetOrCreate(lset, 0, &lock, &created);
    if (created) new_series_.push_back({m->ref(), lset});
  }
  // Compared with the committed samples and with this batch's pending one, if any.
  enum { kOk, kNoop, kOutOfOrder, kDuplicate } verdict = kOk;
  {
    MemSeries::Pending& p = m->pending();
    const Pending* mine = p.appender == id_ ? LastPending(m) : nullptr;
    if (mine != nullptr || !m->empty()) {
      const int64_t last_t = mine != nullptr ? mine->t : m->max_time();
      const double last_v = mine != nullptr ? mine->v : m->last_value();
      if (t < last_t) {
        verdict = kOutOfOrder;
      } else if (t == last_t) {
        verdict = std::memcmp(&v, &last_v, sizeof v) == 0 ? kNoop : kDuplicate;
      }
    }
    if (verdict == kOk) {
      p.appender = id_;
      ++p.pins;
    }
    lock.unlock();
  }
  switch (verdict) {
    case kOk:
      if (indexed_) last_index_[m] = samples_.size();
      samples_.push_back({m, t, v});
      break;
    case kNoop:
      break;
    case kOutOfOrder:
      head_->metrics_->out_of_order.Inc();
      return absl::FailedPreconditionError("out of order sample");
    case kDuplicate:
      head_->metrics_->duplicates.Inc();
      return absl::FailedPreconditionError("duplicate sample for timestamp");
  }
  return m->ref();
}

const HeadAppender::Pending* HeadAppender::LastPending(const MemSeries* m) {
  if (!indexed_) {
    for (size_t i = 0; i < samples_.size(); ++i) last_index_[samples_[i].series] = i;
    indexed_ = true;
  }
  auto it = last_index_.find(m);
  return it == last_index_.end() ? nullptr : &samples_[it->second];
}

void HeadAppender::EncodeNewSeries(std::vector<std::string>* records) {
  {
    absl::MutexLock l(&head_->unlogged_mu_);
    for (auto& s : head_->unlogged_series_) new_series_.push_back(std::move(s));
    head_->unlogged_series_.clear();
  }
  if (new_series_.empty()) return;
  records->emplace_back();
  record::EncodeSeries(new_series_, &records->back());
}

absl::Status HeadAppender::Commit() {
  if (head_->opts_.log) {
    std::vector<std::string> records;
    EncodeNewSeries(&records);
    if (!samples_.empty()) {
      std::vector<record::RefSample> rs;
      rs.reserve(samples_.size());
      for (const Pending& p : samples_) rs.push_back({p.series->ref(), p.t, p.v});
      records.emplace_back();
      record::EncodeSamples(rs, &records.back());
    }
    if (!records.empty()) {
      if (absl::Status st = head_->opts_.log(records); !st.ok()) {
        {
          absl::MutexLock l(&head_->unlogged_mu_);
          for (auto& s : new_series_) head_->unlogged_series_.push_back(std::move(s));
        }
        new_series_.clear();
        Finish(/*apply=*/false);
        return Annotate(st, "write to WAL");
      }
    }
  }
  new_series_.clear();
  Finish(/*apply=*/true);
  return absl::OkStatus();
}

absl::Status HeadAppender::Rollback() {
  absl::Status st;
  if (head_->opts_.log) {
    std::vector<std::string> records;
    EncodeNewSeries(&records);
    if (!records.empty()) st = head_->opts_.log(records);
    if (!st.ok()) {
      absl::MutexLock l(&head_->unlogged_mu_);
      for (auto& s : new_series_) head_->unlogged_series_.push_back(std::move(s));
    }
  }
  new_series_.clear();
  Finish(/*apply=*/false);
  return st;
}

void HeadAppender::Finish(bool apply) {
  int64_t mint = std::numeric_limits<int64_t>::max(), maxt = std::numeric_limits<int64_t>::min();
  size_t appended = 0, ooo = 0;
  {
    std::shared_lock vis(head_->visibility_mu_);
    for (const Pending& p : samples_) {
      std::lock_guard l(head_->SeriesMutex(p.series->ref()));
      // Another appender may have committed newer samples of this series in between.
      if (apply) {
        if (p.series->Append(p.t, p.v, head_->opts_.chunk_range, *head_->chunks_)) {
          ++appended;
          mint = std::min(mint, p.t);
          maxt = std::max(maxt, p.t);
        } else {
          ++ooo;
        }
      }
      MemSeries::Pending& pend = p.series->pending();
      if (pend.appender == id_) pend.appender = 0;
      --pend.pins;
    }
  }
  samples_.clear();
  last_index_.clear();
  indexed_ = false;
  started_ = false;
  if (appended > 0) head_->UpdateTimeBounds(mint, maxt);
  head_->metrics_->samples_appended.Add(static_cast<double>(appended));
  if (ooo > 0) head_->metrics_->out_of_order.Add(static_cast<double>(ooo));
}

}  // namespace argus::tsdb::head
