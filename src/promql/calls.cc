// Function calls: functions of a range vector run series-at-a-time over all steps with a
// sliding window; the others step by step on the vectors of their evaluated arguments
// (engine.go's Call case and rangeEval).
#include <cmath>
#include <limits>
#include <optional>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "base/status.h"
#include "promql/evaluator.h"
#include "promql/functions/absent.h"
#include "promql/functions/functions.h"
#include "promql/parser/functions.h"

namespace argus::promql::engine_internal {
namespace {

using parser::As;
using parser::NodeKind;

absl::StatusOr<FunctionCall> CallFor(const parser::Call& e) {
  FunctionCall call = LookupFunctionCall(e.func->name);
  if (call == nullptr) {
    return absl::UnimplementedError(
        absl::StrCat("function \"", e.func->name, "\" is not implemented"));
  }
  return call;
}

bool ContainsSameLabelset(const Matrix& m) {
  absl::flat_hash_set<uint64_t> seen;
  seen.reserve(m.size());
  for (const Series& s : m) {
    if (!seen.insert(s.metric.Hash()).second) return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<Matrix> Evaluator::EvalCall(parser::Call& e) {
  if (e.func->name == "timestamp") {
    parser::Expr& arg = parser::Unwrap(*e.args[0]);
    if (arg.kind == NodeKind::kVectorSelector) {
      return EvalTimestampOfSelector(As<parser::VectorSelector>(arg));
    }
  }
  for (size_t i = 0; i < e.args.size(); ++i) {
    const NodeKind kind = parser::Unwrap(*e.args[i]).kind;
    if (kind == NodeKind::kMatrixSelector || kind == NodeKind::kSubquery) {
      return EvalRangeCall(e, i);
    }
  }
  return EvalVectorCall(e);
}

absl::StatusOr<Matrix> Evaluator::EvalRangeCall(parser::Call& e, size_t matrix_arg) {
  const RangeKernel kernel = LookupRangeKernel(e.func->name);
  FunctionCall call = nullptr;
  if (kernel == nullptr) {
    ASSIGN_OR_RETURN(call, CallFor(e));
  }
  const size_t n = e.args.size();
  // The other arguments: scalars (one value per step) and strings (read from the tree).
  std::vector<Matrix> others(n);
  std::vector<Value> vals(n, Value(Vector{}));
  for (size_t i = 0; i < n; ++i) {
    if (i == matrix_arg || e.args[i]->Type() == parser::ValueType::kString) continue;
    ASSIGN_OR_RETURN(others[i], EvalMatrix(*e.args[i]));
    vals[i] = Vector{Sample{}};
  }

  parser::Expr& arg = parser::Unwrap(*e.args[matrix_arg]);
  int64_t range_ms = 0;
  int64_t offset_ms = 0;
  Matrix subquery_result;
  int64_t subquery_samples = 0;
  std::optional<SeriesSource> src;
  if (arg.kind == NodeKind::kMatrixSelector) {
    const auto& ms = As<parser::MatrixSelector>(arg);
    const auto& vs = As<parser::VectorSelector>(*ms.vector_selector);
    range_ms = ms.range_ms;
    offset_ms = vs.offset_ms;
    ASSIGN_OR_RETURN(src, SeriesSource::Select(q_, vs));
  } else {
    auto& sq = As<parser::SubqueryExpr>(arg);
    ASSIGN_OR_RETURN(subquery_result, EvalSubquery(sq));
    for (const Series& s : subquery_result) subquery_samples += s.points.size();
    range_ms = sq.range_ms;
    if (sq.at != parser::AtModifier::kNone) {
      // The result's points are at absolute times; read them as if at the first step.
      sq.offset_ms = sq.original_offset_ms + (start_ - sq.at_ms);
    }
    offset_ms = sq.offset_ms;
    src = SeriesSource::FromMatrix(subquery_result);
  }

  vals[matrix_arg] = Matrix{Series{}};
  Series& in = std::get<Matrix>(vals[matrix_arg])[0];
  std::vector<const Value*> ptrs;
  for (const Value& v : vals) ptrs.push_back(&v);
  std::vector<StepCursor> other_cursors;
  const bool keep_name = e.func->name == "last_over_time";
  EvalNodeHelper enh;
  enh.label_range_results = false;
  absl::Status error;
  RangeWindows windows;

  Matrix out;
  while (src->Next()) {
    RETURN_IF_ERROR(q_.CheckDone());
    RETURN_IF_ERROR(
        windows.Gather(q_, src->cursor(), start_, end_, interval_, range_ms, offset_ms));
    RETURN_IF_ERROR(src->cursor().status());
    Series os;
    if (kernel != nullptr) {
      kernel(windows.points(), windows.steps(), range_ms, offset_ms, &os.points);
    } else {
      in.metric = src->labels();
      other_cursors.clear();
      for (const Matrix& m : others) {
        other_cursors.emplace_back(m.empty() ? nullptr : &m[0].points);
      }
      for (const StepWindow& w : windows.steps()) {
        for (size_t j = 0; j < n; ++j) {
          if (j == matrix_arg || others[j].empty()) continue;
          std::get<Vector>(vals[j])[0].v = other_cursors[j].At(w.ts)
                                               ? other_cursors[j].value()
                                               : std::numeric_limits<double>::quiet_NaN();
        }
        in.points.assign(windows.points().begin() + w.lo, windows.points().begin() + w.hi);
        enh.ts = w.ts;
        enh.out.clear();
        call(ptrs, e.args, enh, error);
        RETURN_IF_ERROR(error);
        if (!enh.out.empty()) {
          if (os.points.empty()) os.points.reserve(windows.steps().size());
          os.points.push_back({w.ts, enh.out[0].v});
        }
      }
    }
    if (!os.points.empty()) {
      RETURN_IF_ERROR(q_.AddSamples(static_cast<int64_t>(os.points.size())));
      os.metric = keep_name ? src->labels() : DropMetricName(src->labels());
      out.push_back(std::move(os));
    }
  }
  RETURN_IF_ERROR(src->status());
  q_.current_samples -= subquery_samples;

  if (e.func->name == "absent_over_time") {
    // The steps at which no series had a sample in its window.
    absl::flat_hash_set<int64_t> found;
    for (const Series& s : out) {
      for (const FPoint& p : s.points) found.insert(p.t);
    }
    Series absent;
    for (int64_t ts = start_; ts <= end_; ts += interval_) {
      if (!found.contains(ts)) absent.points.push_back({ts, 1});
    }
    Matrix m;
    if (!absent.points.empty()) {
      absent.metric = AbsentLabels(*e.args[0]);
      m.push_back(std::move(absent));
    }
    return m;
  }
  if (ContainsSameLabelset(out)) return SameLabelsetError();
  return out;
}

absl::StatusOr<Matrix> Evaluator::EvalVectorCall(parser::Call& e) {
  ASSIGN_OR_RETURN(FunctionCall call, CallFor(e));
  const size_t n = e.args.size();
  StepAccounting acc{q_.current_samples, 0};
  std::vector<Matrix> mats(n);
  std::vector<bool> evaluated(n, false);
  for (size_t i = 0; i < n; ++i) {
    if (e.args[i]->Type() == parser::ValueType::kString) continue;
    ASSIGN_OR_RETURN(mats[i], EvalMatrix(*e.args[i]));
    evaluated[i] = true;
  }
  acc.temp = q_.current_samples;

  std::vector<Value> vals(n, Value(Vector{}));
  std::vector<const Value*> ptrs;
  for (const Value& v : vals) ptrs.push_back(&v);
  std::vector<std::vector<StepCursor>> cursors(n);
  // Per argument: the series present at the last step; when the same at the next step, the
  // argument vector is reused with new values instead of copying labels again.
  std::vector<std::vector<int>> present(n), next_present(n);
  std::vector<std::vector<double>> values(n);
  for (size_t i = 0; i < n; ++i) {
    for (const Series& s : mats[i]) cursors[i].emplace_back(&s.points);
  }
  EvalNodeHelper enh;
  absl::Status error;
  OutputCollector out;
  for (int64_t ts = start_; ts <= end_; ts += interval_) {
    int64_t gathered = 0;
    for (size_t i = 0; i < n; ++i) {
      if (!evaluated[i]) continue;
      next_present[i].clear();
      values[i].clear();
      for (size_t si = 0; si < mats[i].size(); ++si) {
        if (!cursors[i][si].At(ts)) continue;
        next_present[i].push_back(static_cast<int>(si));
        values[i].push_back(cursors[i][si].value());
      }
      auto& vec = std::get<Vector>(vals[i]);
      if (next_present[i] != present[i] || vec.size() != next_present[i].size()) {
        vec.clear();
        for (int si : next_present[i]) vec.push_back(Sample{mats[i][si].metric, ts, 0});
        present[i].swap(next_present[i]);
      }
      for (size_t k = 0; k < vec.size(); ++k) {
        vec[k].t = ts;
        vec[k].v = values[i][k];
      }
      gathered += static_cast<int64_t>(vec.size());
    }
    RETURN_IF_ERROR(BeginStep(acc, gathered));
    enh.ts = ts;
    enh.out.clear();
    call(ptrs, e.args, enh, error);
    RETURN_IF_ERROR(error);
    for (const Sample& s : enh.out) {
      if (!out.Add(out.SeriesFor(s.metric), ts, s.v)) return SameLabelsetError();
    }
    RETURN_IF_ERROR(EndStep(acc, static_cast<int64_t>(enh.out.size())));
  }
  Finish(acc, out.total_samples());
  return out.Take();
}

}  // namespace argus::promql::engine_internal
