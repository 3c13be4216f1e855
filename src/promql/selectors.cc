// Instant and range vector selectors (engine.go's vectorSelectorSingle and matrixIterSlice):
// an instant selector takes, at each step, the latest sample in [t - lookback, t] unless it
// is a stale marker; a range selector the points in [t - range, t] without stale markers.
#include <algorithm>

#include "base/status.h"
#include "model/value.h"
#include "promql/evaluator.h"

namespace argus::promql::engine_internal {
namespace {

// Series are checked for timeout and cancellation every this many.
constexpr int kCheckEvery = 256;

// The latest sample of a series at or before each of increasing reference times, as long as
// it is no older than the lookback delta.
class LatestSample {
 public:
  LatestSample(SampleCursor& c, int64_t lookback_ms) : c_(c), lookback_ms_(lookback_ms) {}

  // The sample for reference time `ref`, or nullptr (none, too old, or a stale marker).
  const FPoint* At(int64_t ref) {
    const int64_t oldest = ref - lookback_ms_;
    if (c_.valid() && c_.t() < oldest) {
      has_prev_ = false;  // everything before the cursor is too old
      c_.SeekTo(oldest);
    }
    while (c_.valid() && c_.t() <= ref) {
      prev_ = {c_.t(), c_.v()};
      has_prev_ = true;
      c_.Next();
    }
    if (!has_prev_ || prev_.t < oldest || model::IsStaleNaN(prev_.v)) return nullptr;
    return &prev_;
  }

 private:
  SampleCursor& c_;
  int64_t lookback_ms_;
  FPoint prev_;
  bool has_prev_ = false;
};

}  // namespace

absl::Status RangeWindows::Gather(const QueryState& q, SampleCursor& c, int64_t start, int64_t end,
                                  int64_t interval, int64_t range_ms, int64_t offset_ms) {
  points_.clear();
  steps_.clear();
  size_t lo = 0;
  for (int64_t ts = start; ts <= end; ts += interval) {
    const int64_t maxt = ts - offset_ms;
    const int64_t mint = maxt - range_ms;
    while (lo < points_.size() && points_[lo].t < mint) ++lo;
    if (lo == points_.size()) c.SeekTo(mint);  // no earlier point is in a later window
    while (c.valid() && c.t() <= maxt) {
      if (c.t() >= mint && !model::IsStaleNaN(c.v())) points_.push_back({c.t(), c.v()});
      c.Next();
    }
    const size_t n = points_.size() - lo;
    if (n == 0) continue;
    if (q.current_samples + static_cast<int64_t>(n) > q.max_samples) return TooManySamples();
    steps_.push_back({ts, lo, points_.size()});
  }
  return absl::OkStatus();
}

absl::StatusOr<Matrix> Evaluator::EvalVectorSelector(const parser::VectorSelector& vs) {
  ASSIGN_OR_RETURN(SeriesSource src, SeriesSource::Select(q_, vs));
  Matrix out;
  int n = 0;
  while (src.Next()) {
    if (++n % kCheckEvery == 0) RETURN_IF_ERROR(q_.CheckDone());
    LatestSample latest(src.cursor(), q_.lookback_ms);
    Series s;
    for (int64_t ts = start_; ts <= end_; ts += interval_) {
      const FPoint* p = latest.At(ts - vs.offset_ms);
      if (p == nullptr) continue;
      if (q_.current_samples >= q_.max_samples) return TooManySamples();
      ++q_.current_samples;
      if (s.points.empty()) s.points.reserve(NumSteps());
      s.points.push_back({ts, p->v});
    }
    RETURN_IF_ERROR(src.cursor().status());
    if (!s.points.empty()) {
      s.metric = src.labels();
      out.push_back(std::move(s));
    }
  }
  RETURN_IF_ERROR(src.status());
  return out;
}

absl::StatusOr<Matrix> Evaluator::EvalMatrixSelector(const parser::MatrixSelector& ms) {
  if (start_ != end_) {
    return absl::InternalError("cannot do range evaluation of matrix selector");
  }
  const auto& vs = parser::As<parser::VectorSelector>(*ms.vector_selector);
  ASSIGN_OR_RETURN(SeriesSource src, SeriesSource::Select(q_, vs));
  Matrix out;
  RangeWindows windows;
  while (src.Next()) {
    RETURN_IF_ERROR(q_.CheckDone());
    RETURN_IF_ERROR(windows.Gather(q_, src.cursor(), start_, start_, 1, ms.range_ms, vs.offset_ms));
    RETURN_IF_ERROR(src.cursor().status());
    if (windows.steps().empty()) continue;
    const std::span<const FPoint> pts = windows.points();
    RETURN_IF_ERROR(q_.AddSamples(static_cast<int64_t>(pts.size())));  // the output's
    out.push_back(Series{src.labels(), std::vector<FPoint>(pts.begin(), pts.end())});
  }
  RETURN_IF_ERROR(src.status());
  return out;
}

// timestamp(<vector selector>): the timestamps of the samples themselves (the generic path
// would only see the step times). With @ every step reads the sample at the @ time; as in
// v2.42 the selector's offset is then ignored.
absl::StatusOr<Matrix> Evaluator::EvalTimestampOfSelector(parser::VectorSelector& vs) {
  ASSIGN_OR_RETURN(SeriesSource src, SeriesSource::Select(q_, vs));
  const bool at = vs.at != parser::AtModifier::kNone;
  Matrix out;
  int n = 0;
  while (src.Next()) {
    if (++n % kCheckEvery == 0) RETURN_IF_ERROR(q_.CheckDone());
    LatestSample latest(src.cursor(), q_.lookback_ms);
    Series s;
    for (int64_t ts = start_; ts <= end_; ts += interval_) {
      const FPoint* p = latest.At(at ? vs.at_ms : ts - vs.offset_ms);
      if (p == nullptr) continue;
      RETURN_IF_ERROR(q_.AddSamples(1));
      s.points.push_back({ts, static_cast<double>(p->t) / 1000});
    }
    RETURN_IF_ERROR(src.cursor().status());
    if (!s.points.empty()) {
      s.metric = DropMetricName(src.labels());
      out.push_back(std::move(s));
    }
  }
  RETURN_IF_ERROR(src.status());
  return MergeSameLabels(std::move(out));
}

}  // namespace argus::promql::engine_internal
