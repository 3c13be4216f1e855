// Private to promql: the evaluator behind Engine (engine.go's evaluator). Every expression is
// evaluated over all steps of [start, end] at once into a Matrix (a scalar is one series with
// no labels), children first, so selectors and range functions run series-at-a-time.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "model/labels/labels.h"
#include "promql/functions/functions.h"
#include "promql/parser/ast.h"
#include "promql/value.h"
#include "storage/storage.h"

namespace argus::promql::engine_internal {

// What all evaluators of one query share: the storage, the limits and the sample count.
struct QueryState {
  storage::Querier* querier = nullptr;
  int64_t lookback_ms = 0;
  int64_t no_step_subquery_interval_ms = 0;
  int64_t max_samples = 0;
  absl::Time deadline = absl::InfiniteFuture();
  const std::function<bool()>* cancelled = nullptr;
  // The storage range each selector reads (preprocess.h's SelectorRanges).
  absl::flat_hash_map<const parser::VectorSelector*, storage::SelectHints> select_hints;

  // Samples held in memory right now (engine.go's currentSamples).
  int64_t current_samples = 0;

  // Cancelled / DeadlineExceeded with Prometheus's messages once the query must stop.
  absl::Status CheckDone() const;
  // Counts `n` more samples; ResourceExhausted when that exceeds max_samples.
  absl::Status AddSamples(int64_t n);
};

// ResourceExhausted "query processing would load too many samples into memory in query
// execution".
absl::Status TooManySamples();
// FailedPrecondition: an evaluation error (Prometheus's ev.errorf).
absl::Status EvalError(std::string message);

// EvalError "vector cannot contain metrics with the same labelset".
absl::Status SameLabelsetError();

class SampleCursor;

// The points of one series in the windows [ts - range - offset, ts - offset] of an evaluation's
// steps, without stale markers (engine.go's matrixIterSlice): each point read once, each step's
// window an index range into them. Reuse one for the series of a node: its buffers stay.
class RangeWindows {
 public:
  // Reads the points of `c` for the steps start, start + interval, ..., end. A step's window
  // counts against max_samples as Prometheus counts it while the step is evaluated: its points
  // plus q.current_samples must not exceed the limit, else TooManySamples.
  absl::Status Gather(const QueryState& q, SampleCursor& c, int64_t start, int64_t end,
                      int64_t interval, int64_t range_ms, int64_t offset_ms);
  std::span<const FPoint> points() const { return points_; }
  // The steps whose window holds points, in time order.
  std::span<const StepWindow> steps() const { return steps_; }

 private:
  std::vector<FPoint> points_;
  std::vector<StepWindow> steps_;
};

// A forward cursor over the samples of one series: a storage iterator or evaluated points.
class SampleCursor {
 public:
  explicit SampleCursor(std::unique_ptr<storage::SampleIterator> it);
  explicit SampleCursor(std::span<const FPoint> points);

  bool valid() const { return valid_; }
  int64_t t() const { return cur_.t; }
  double v() const { return cur_.v; }
  void Next() {
    if (bpos_ < blen_) {
      cur_ = {bts_[bpos_], bvs_[bpos_]};
      ++bpos_;
      return;
    }
    Refill();
  }
  // Moves to the first sample at or after `t` (stays when already there).
  void SeekTo(int64_t t);
  // The storage iterator's error, once invalid.
  absl::Status status() const;

 private:
  // Samples read from the storage iterator at a time.
  static constexpr size_t kBatch = 128;
  // Next() once the batch is used up: reads the next batch (or the next point).
  void Refill();

  std::unique_ptr<storage::SampleIterator> it_;
  std::span<const FPoint> points_;
  size_t pos_ = 0;
  bool valid_ = false;
  FPoint cur_;
  // The storage samples after cur_ not yet consumed: bts_/bvs_[bpos_, blen_).
  size_t bpos_ = 0, blen_ = 0;
  int64_t bts_[kBatch];
  double bvs_[kBatch];
};

// The series a selector reads (from storage, streamed) or a subquery produced (in memory).
class SeriesSource {
 public:
  static absl::StatusOr<SeriesSource> Select(QueryState& q, const parser::VectorSelector& vs);
  static SeriesSource FromMatrix(const Matrix& m);

  // Advances to the next series; false at the end (see status()).
  bool Next();
  const labels::Labels& labels() const;
  SampleCursor& cursor() { return *cursor_; }
  // The storage's error, once Next() returned false.
  absl::Status status() const;

 private:
  SeriesSource() = default;
  std::unique_ptr<storage::SeriesSet> set_;
  const Matrix* matrix_ = nullptr;
  size_t next_ = 0;
  std::unique_ptr<SampleCursor> cursor_;
};

// Collects the output series of a node over the steps: samples are added by output series,
// a series is created on first use, and a second sample for one series at one step is a
// label-set collision.
class OutputCollector {
 public:
  // The index of the output series labelled `metric`.
  int SeriesFor(const labels::Labels& metric);
  int SeriesFor(labels::Labels&& metric, uint64_t hash);
  // Adds (t, v) to series `idx`; false when it already has a sample at t.
  bool Add(int idx, int64_t t, double v);
  int64_t total_samples() const { return total_; }
  // The series with samples, in the order they received their first sample.
  Matrix Take();

 private:
  struct Out {
    Series series;
    int64_t last_t = 0;
    bool has_samples = false;
  };
  std::vector<Out> out_;
  std::vector<int> order_;
  absl::flat_hash_map<uint64_t, int> by_hash_;
  int64_t total_ = 0;
};

// Walks one series' points at the steps of an evaluation: at(ts) is true when the series has
// a point at ts (steps must be asked in increasing order).
class StepCursor {
 public:
  explicit StepCursor(const std::vector<FPoint>* points) : points_(points) {}
  bool At(int64_t ts) {
    while (pos_ < points_->size() && (*points_)[pos_].t < ts) ++pos_;
    return pos_ < points_->size() && (*points_)[pos_].t == ts;
  }
  double value() const { return (*points_)[pos_].v; }

 private:
  const std::vector<FPoint>* points_;
  size_t pos_ = 0;
};

class Evaluator {
 public:
  // An instant evaluation is start == end (interval then unused, kept 1).
  Evaluator(QueryState& q, int64_t start, int64_t end, int64_t interval)
      : q_(q), start_(start), end_(end), interval_(interval > 0 ? interval : 1) {}

  // Evaluates `e` at every step: a String for a string literal, else a Matrix.
  absl::StatusOr<Value> Eval(parser::Expr& e);
  // Eval for expressions that evaluate to a Matrix (all but string literals).
  absl::StatusOr<Matrix> EvalMatrix(parser::Expr& e);

 private:
  int64_t NumSteps() const { return end_ < start_ ? 0 : (end_ - start_) / interval_ + 1; }
  absl::StatusOr<Matrix> EvalStepInvariant(parser::StepInvariantExpr& e);
  absl::StatusOr<Matrix> EvalUnary(parser::UnaryExpr& e);
  absl::StatusOr<Matrix> EvalNumber(const parser::NumberLiteral& e);
  absl::StatusOr<Matrix> EvalSubquery(parser::SubqueryExpr& e);
  // selectors.cc
  absl::StatusOr<Matrix> EvalVectorSelector(const parser::VectorSelector& vs);
  absl::StatusOr<Matrix> EvalMatrixSelector(const parser::MatrixSelector& ms);
  absl::StatusOr<Matrix> EvalTimestampOfSelector(parser::VectorSelector& vs);
  // calls.cc
  absl::StatusOr<Matrix> EvalCall(parser::Call& e);
  absl::StatusOr<Matrix> EvalRangeCall(parser::Call& e, size_t matrix_arg);
  absl::StatusOr<Matrix> EvalVectorCall(parser::Call& e);
  // binary.cc
  absl::StatusOr<Matrix> EvalBinary(parser::BinaryExpr& e);
  absl::StatusOr<Matrix> EvalVectorBinary(const parser::BinaryExpr& e, Matrix lhs, Matrix rhs);
  absl::StatusOr<Matrix> EvalSetOp(const parser::BinaryExpr& e, Matrix lhs, Matrix rhs);
  // aggregate.cc
  absl::StatusOr<Matrix> EvalAggregate(parser::AggregateExpr& e);
  absl::StatusOr<Matrix> EvalCountValues(const parser::AggregateExpr& e, const std::string& label,
                                         Matrix input);

  // `m` with series of equal labels merged step by step, as rangeEval merges its per-step
  // results; two samples for one label set at one step are a collision.
  absl::StatusOr<Matrix> MergeSameLabels(Matrix m);

  // Per-step bookkeeping of engine.go's rangeEval: the samples of the inputs gathered at a
  // step and of the outputs so far count against max_samples.
  struct StepAccounting {
    int64_t original = 0;  // before the children were evaluated
    int64_t temp = 0;      // after, plus the outputs so far
  };
  // Starts a step: resets the count to the children's plus the outputs so far, then adds the
  // `gathered` input samples.
  absl::Status BeginStep(StepAccounting& acc, int64_t gathered);
  // Ends a step that produced `produced` samples.
  absl::Status EndStep(StepAccounting& acc, int64_t produced);
  // After the last step: only the output stays in memory.
  void Finish(const StepAccounting& acc, int64_t output_samples);

  // EvalAggregate for the aggregations with a fixed-size state per group and step, series by
  // series into a group x step table rather than step by step.
  absl::StatusOr<Matrix> AggregateBySeries(parser::Op op, const Matrix& input,
                                           const std::vector<int>& group_of,
                                           std::vector<labels::Labels> group_labels,
                                           StepAccounting acc);

  QueryState& q_;
  int64_t start_, end_, interval_;
};

}  // namespace argus::promql::engine_internal
