#include "promql/evaluator.h"

#include <algorithm>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "base/status.h"
#include "promql/preprocess.h"

namespace argus::promql::engine_internal {

using parser::As;
using parser::NodeKind;

absl::Status QueryState::CheckDone() const {
  if (cancelled != nullptr && *cancelled && (*cancelled)()) {
    return absl::CancelledError("query was canceled in expression evaluation");
  }
  if (absl::Now() > deadline) {
    return absl::DeadlineExceededError("query timed out in expression evaluation");
  }
  return absl::OkStatus();
}

absl::Status QueryState::AddSamples(int64_t n) {
  current_samples += n;
  if (current_samples > max_samples) return TooManySamples();
  return absl::OkStatus();
}

absl::Status TooManySamples() {
  return absl::ResourceExhaustedError(
      "query processing would load too many samples into memory in query execution");
}

absl::Status EvalError(std::string message) {
  return absl::FailedPreconditionError(std::move(message));
}

absl::Status SameLabelsetError() {
  return EvalError("vector cannot contain metrics with the same labelset");
}

// --- SampleCursor -------------------------------------------------------------------------

SampleCursor::SampleCursor(std::unique_ptr<storage::SampleIterator> it) : it_(std::move(it)) {
  Next();
}

SampleCursor::SampleCursor(std::span<const FPoint> points) : points_(points) { Next(); }

void SampleCursor::Refill() {
  if (it_ != nullptr) {
    bpos_ = 0;
    blen_ = it_->NextBatch(bts_, bvs_, kBatch);
    valid_ = blen_ > 0;
    if (valid_) {
      cur_ = {bts_[0], bvs_[0]};
      bpos_ = 1;
    }
    return;
  }
  valid_ = pos_ < points_.size();
  if (valid_) cur_ = points_[pos_++];
}

void SampleCursor::SeekTo(int64_t t) {
  if (!valid_ || cur_.t >= t) return;
  if (it_ != nullptr) {
    bpos_ = std::lower_bound(bts_ + bpos_, bts_ + blen_, t) - bts_;
    if (bpos_ < blen_) {
      Next();
      return;
    }
    // Every buffered sample is before t; the iterator is at the last of them.
    bpos_ = blen_ = 0;
    valid_ = it_->Seek(t);
    if (valid_) cur_ = {it_->t(), it_->v()};
    return;
  }
  auto it = std::lower_bound(points_.begin() + pos_, points_.end(), t,
                             [](const FPoint& p, int64_t ts) { return p.t < ts; });
  pos_ = it - points_.begin();
  Next();
}

absl::Status SampleCursor::status() const {
  return it_ != nullptr ? it_->status() : absl::OkStatus();
}

// --- SeriesSource -------------------------------------------------------------------------

absl::StatusOr<SeriesSource> SeriesSource::Select(QueryState& q, const parser::VectorSelector& vs) {
  storage::SelectHints hints;
  if (auto it = q.select_hints.find(&vs); it != q.select_hints.end()) hints = it->second;
  SeriesSource src;
  src.set_ = q.querier->Select(/*sorted=*/true, hints, vs.matchers);
  return src;
}

SeriesSource SeriesSource::FromMatrix(const Matrix& m) {
  SeriesSource src;
  src.matrix_ = &m;
  return src;
}

bool SeriesSource::Next() {
  cursor_.reset();  // its iterator may refer to the current series
  if (set_ != nullptr) {
    if (!set_->Next()) return false;
    cursor_ = std::make_unique<SampleCursor>(set_->At().Iterator());
    return true;
  }
  if (next_ >= matrix_->size()) return false;
  cursor_ = std::make_unique<SampleCursor>(std::span<const FPoint>((*matrix_)[next_].points));
  ++next_;
  return true;
}

const labels::Labels& SeriesSource::labels() const {
  return set_ != nullptr ? set_->At().labels() : (*matrix_)[next_ - 1].metric;
}

absl::Status SeriesSource::status() const {
  if (set_ == nullptr) return absl::OkStatus();
  return Annotate(set_->status(), "expanding series");
}

// --- OutputCollector ----------------------------------------------------------------------

int OutputCollector::SeriesFor(const labels::Labels& metric) {
  const uint64_t h = metric.Hash();
  if (auto it = by_hash_.find(h); it != by_hash_.end()) return it->second;
  return SeriesFor(labels::Labels(metric), h);
}

int OutputCollector::SeriesFor(labels::Labels&& metric, uint64_t hash) {
  auto [it, inserted] = by_hash_.try_emplace(hash, static_cast<int>(out_.size()));
  if (inserted) out_.push_back(Out{Series{std::move(metric), {}}});
  return it->second;
}

bool OutputCollector::Add(int idx, int64_t t, double v) {
  Out& o = out_[idx];
  if (o.has_samples && o.last_t == t) return false;
  if (!o.has_samples) {
    o.has_samples = true;
    order_.push_back(idx);
  }
  o.series.points.push_back({t, v});
  o.last_t = t;
  ++total_;
  return true;
}

Matrix OutputCollector::Take() {
  Matrix m;
  m.reserve(order_.size());
  for (int idx : order_) m.push_back(std::move(out_[idx].series));
  out_.clear();
  order_.clear();
  by_hash_.clear();
  total_ = 0;
  return m;
}

// --- Evaluator ----------------------------------------------------------------------------

absl::StatusOr<Value> Evaluator::Eval(parser::Expr& e) {
  if (e.Type() == parser::ValueType::kString) {
    RETURN_IF_ERROR(q_.CheckDone());
    return String{start_, As<parser::StringLiteral>(parser::Unwrap(e)).value};
  }
  ASSIGN_OR_RETURN(Matrix m, EvalMatrix(e));
  return Value(std::move(m));
}

absl::StatusOr<Matrix> Evaluator::EvalMatrix(parser::Expr& e) {
  RETURN_IF_ERROR(q_.CheckDone());
  switch (e.kind) {
    case NodeKind::kAggregate:
      return EvalAggregate(As<parser::AggregateExpr>(e));
    case NodeKind::kBinary:
      return EvalBinary(As<parser::BinaryExpr>(e));
    case NodeKind::kCall:
      return EvalCall(As<parser::Call>(e));
    case NodeKind::kMatrixSelector:
      return EvalMatrixSelector(As<parser::MatrixSelector>(e));
    case NodeKind::kSubquery:
      return EvalSubquery(As<parser::SubqueryExpr>(e));
    case NodeKind::kNumberLiteral:
      return EvalNumber(As<parser::NumberLiteral>(e));
    case NodeKind::kParen:
      return EvalMatrix(*As<parser::ParenExpr>(e).expr);
    case NodeKind::kUnary:
      return EvalUnary(As<parser::UnaryExpr>(e));
    case NodeKind::kStepInvariant:
      return EvalStepInvariant(As<parser::StepInvariantExpr>(e));
    case NodeKind::kVectorSelector:
      return EvalVectorSelector(As<parser::VectorSelector>(e));
    case NodeKind::kStringLiteral:
      break;
  }
  return absl::InternalError("unexpected string expression where a vector or scalar is needed");
}

absl::StatusOr<Matrix> Evaluator::EvalNumber(const parser::NumberLiteral& e) {
  const int64_t n = NumSteps();
  RETURN_IF_ERROR(q_.AddSamples(n));
  Series s;
  s.points.reserve(n);
  for (int64_t ts = start_; ts <= end_; ts += interval_) s.points.push_back({ts, e.value});
  Matrix m;
  m.push_back(std::move(s));
  return m;
}

absl::StatusOr<Matrix> Evaluator::EvalStepInvariant(parser::StepInvariantExpr& e) {
  parser::Expr& inner = *e.expr;
  if (inner.kind == NodeKind::kNumberLiteral) return EvalMatrix(inner);
  Evaluator once(q_, start_, start_, interval_);
  ASSIGN_OR_RETURN(Matrix m, once.EvalMatrix(inner));
  const NodeKind kind = parser::Unwrap(inner).kind;
  // A range's points keep their own timestamps; nothing to replicate.
  if (kind == NodeKind::kMatrixSelector || kind == NodeKind::kSubquery) return m;
  for (Series& s : m) {
    if (s.points.size() != 1) {
      return absl::InternalError("unexpected number of samples in a step-invariant result");
    }
    const double v = s.points[0].v;
    s.points.reserve(NumSteps());
    for (int64_t ts = start_ + interval_; ts <= end_; ts += interval_) {
      s.points.push_back({ts, v});
      RETURN_IF_ERROR(q_.AddSamples(1));
    }
  }
  return m;
}

absl::StatusOr<Matrix> Evaluator::EvalSubquery(parser::SubqueryExpr& e) {
  const int64_t interval = e.step_ms > 0                         ? e.step_ms
                           : q_.no_step_subquery_interval_ms > 0 ? q_.no_step_subquery_interval_ms
                                                                 : 1;
  // The first step after start - offset - range that is a multiple of the interval.
  const int64_t from = start_ - e.offset_ms - e.range_ms;
  int64_t start = interval * (from / interval);
  if (start < from) start += interval;
  // Offsets for @ are relative to the start of the evaluation.
  if (start != start_) SetOffsetForAtModifier(start, *e.expr);
  Evaluator inner(q_, start, end_ - e.offset_ms, interval);
  return inner.EvalMatrix(*e.expr);
}

absl::StatusOr<Matrix> Evaluator::EvalUnary(parser::UnaryExpr& e) {
  ASSIGN_OR_RETURN(Matrix m, EvalMatrix(*e.expr));
  if (e.op != parser::Op::kSub) return m;
  absl::flat_hash_set<uint64_t> seen;
  seen.reserve(m.size());
  for (Series& s : m) {
    s.metric = DropMetricName(s.metric);
    for (FPoint& p : s.points) p.v = -p.v;
    if (!seen.insert(s.metric.Hash()).second) {
      return SameLabelsetError();
    }
  }
  return m;
}

absl::StatusOr<Matrix> Evaluator::MergeSameLabels(Matrix m) {
  absl::flat_hash_set<uint64_t> seen;
  seen.reserve(m.size());
  bool shared = false;
  for (const Series& s : m) shared = shared || !seen.insert(s.metric.Hash()).second;
  if (!shared) return m;
  OutputCollector out;
  std::vector<int> idx;
  std::vector<StepCursor> cursors;
  for (const Series& s : m) {
    idx.push_back(out.SeriesFor(s.metric));
    cursors.emplace_back(&s.points);
  }
  for (int64_t ts = start_; ts <= end_; ts += interval_) {
    for (size_t i = 0; i < m.size(); ++i) {
      if (cursors[i].At(ts) && !out.Add(idx[i], ts, cursors[i].value())) {
        return SameLabelsetError();
      }
    }
  }
  return out.Take();
}

absl::Status Evaluator::BeginStep(StepAccounting& acc, int64_t gathered) {
  RETURN_IF_ERROR(q_.CheckDone());
  q_.current_samples = acc.temp;
  return q_.AddSamples(gathered);
}

absl::Status Evaluator::EndStep(StepAccounting& acc, int64_t produced) {
  acc.temp += produced;
  return q_.AddSamples(produced);
}

void Evaluator::Finish(const StepAccounting& acc, int64_t output_samples) {
  q_.current_samples = acc.original + output_samples;
}

}  // namespace argus::promql::engine_internal
