// Binary operators (engine.go's scalarBinop, VectorscalarBinop, VectorBinop, VectorAnd/Or/
// Unless): the matching signature of every series is computed once, then each step matches
// the series present at it through arrays indexed by signature.
#include <cmath>
#include <limits>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "base/status.h"
#include "promql/evaluator.h"

namespace argus::promql::engine_internal {
namespace {

using parser::Cardinality;
using parser::Op;

bool ShouldDropMetricName(Op op) {
  switch (op) {
    case Op::kAdd:
    case Op::kSub:
    case Op::kMul:
    case Op::kDiv:
    case Op::kPow:
    case Op::kMod:
      return true;
    default:
      return false;
  }
}

// The value of an arithmetic operator; for a comparison, `lhs` (kept when `keep`).
double ElemBinop(Op op, double lhs, double rhs, bool& keep) {
  keep = true;
  switch (op) {
    case Op::kAdd:
      return lhs + rhs;
    case Op::kSub:
      return lhs - rhs;
    case Op::kMul:
      return lhs * rhs;
    case Op::kDiv:
      return lhs / rhs;
    case Op::kPow:
      return std::pow(lhs, rhs);
    case Op::kMod:
      return std::fmod(lhs, rhs);
    case Op::kAtan2:
      return std::atan2(lhs, rhs);
    case Op::kEql:
      keep = lhs == rhs;
      return lhs;
    case Op::kNeq:
      keep = lhs != rhs;
      return lhs;
    case Op::kGtr:
      keep = lhs > rhs;
      return lhs;
    case Op::kLss:
      keep = lhs < rhs;
      return lhs;
    case Op::kGte:
      keep = lhs >= rhs;
      return lhs;
    case Op::kLte:
      keep = lhs <= rhs;
      return lhs;
    default:
      keep = false;
      return std::numeric_limits<double>::quiet_NaN();
  }
}

double ScalarBinop(Op op, double lhs, double rhs) {
  bool keep = true;
  const double v = ElemBinop(op, lhs, rhs, keep);
  return parser::IsComparisonOp(op) ? (keep ? 1 : 0) : v;
}

bool Contains(const std::vector<std::string>& names, absl::string_view name) {
  for (const std::string& n : names) {
    if (n == name) return true;
  }
  return false;
}

// Whether `name` takes part in the match signature.
bool InSignature(absl::string_view name, const parser::VectorMatching& m) {
  if (m.on) return Contains(m.matching_labels, name);
  return name != labels::kMetricName && !Contains(m.matching_labels, name);
}

uint64_t Signature(const labels::Labels& l, const parser::VectorMatching& m) {
  labels::LabelsHasher h;
  for (const labels::Label& label : l) {
    if (InSignature(label.name, m)) h.Add(label.name, label.value);
  }
  return h.Finish();
}

// The labels of `l` in the match signature (Labels.MatchLabels).
labels::Labels MatchLabels(const labels::Labels& l, const parser::VectorMatching& m) {
  std::vector<labels::Label> out;
  for (const labels::Label& label : l) {
    if (InSignature(label.name, m)) out.push_back(label);
  }
  return labels::Labels::FromSorted(std::move(out));
}

// The labels of a result of `many` (the side iterated) matched with `one` (resultMetric).
labels::Labels ResultMetric(const labels::Labels& many, const labels::Labels& one,
                            const parser::BinaryExpr& e) {
  const parser::VectorMatching& m = *e.matching;
  std::vector<labels::Label> out;
  for (const labels::Label& label : many) {
    if (ShouldDropMetricName(e.op) && label.name == labels::kMetricName) continue;
    if (m.card == Cardinality::kOneToOne && (m.on ? !Contains(m.matching_labels, label.name)
                                                  : Contains(m.matching_labels, label.name))) {
      continue;
    }
    if (Contains(m.include, label.name)) continue;  // taken from the "one" side below
    out.push_back(label);
  }
  for (const std::string& name : m.include) {
    absl::string_view v = one.Get(name);
    if (!v.empty()) out.push_back({name, std::string(v)});
  }
  labels::Labels result = labels::Labels::FromUnsorted(std::move(out));
  return e.return_bool ? DropMetricName(result) : result;
}

// Dense ids for the match signatures of both sides.
struct Signatures {
  std::vector<int> lhs, rhs;
  int count = 0;
};

Signatures ComputeSignatures(const Matrix& lhs, const Matrix& rhs,
                             const parser::VectorMatching& m) {
  Signatures s;
  absl::flat_hash_map<uint64_t, int> ids;
  auto id = [&](const labels::Labels& l) {
    auto [it, inserted] = ids.try_emplace(Signature(l, m), s.count);
    if (inserted) ++s.count;
    return it->second;
  };
  for (const Series& series : lhs) s.lhs.push_back(id(series.metric));
  for (const Series& series : rhs) s.rhs.push_back(id(series.metric));
  return s;
}

// The series of `m` present at each step, in order: Present(ts) refills `idx` and `val`.
class StepVector {
 public:
  explicit StepVector(const Matrix& m) {
    for (const Series& s : m) cursors_.emplace_back(&s.points);
  }
  void Gather(int64_t ts) {
    idx.clear();
    val.clear();
    for (size_t i = 0; i < cursors_.size(); ++i) {
      if (!cursors_[i].At(ts)) continue;
      idx.push_back(static_cast<int>(i));
      val.push_back(cursors_[i].value());
    }
  }
  std::vector<int> idx;
  std::vector<double> val;

 private:
  std::vector<StepCursor> cursors_;
};

}  // namespace

absl::StatusOr<Matrix> Evaluator::EvalBinary(parser::BinaryExpr& e) {
  const bool lhs_scalar = e.lhs->Type() == parser::ValueType::kScalar;
  const bool rhs_scalar = e.rhs->Type() == parser::ValueType::kScalar;
  const int64_t original = q_.current_samples;
  ASSIGN_OR_RETURN(Matrix lhs, EvalMatrix(*e.lhs));
  ASSIGN_OR_RETURN(Matrix rhs, EvalMatrix(*e.rhs));
  if (!lhs_scalar && !rhs_scalar) {
    if (parser::IsSetOp(e.op)) return EvalSetOp(e, std::move(lhs), std::move(rhs));
    return EvalVectorBinary(e, std::move(lhs), std::move(rhs));
  }

  // One side is a scalar: a value at every step.
  const int64_t steps = NumSteps();
  std::vector<double> scalar(steps, std::numeric_limits<double>::quiet_NaN());
  std::vector<bool> has_scalar(steps, false);
  for (const FPoint& p : (lhs_scalar ? lhs : rhs).at(0).points) {
    const int64_t k = (p.t - start_) / interval_;
    if (k >= 0 && k < steps) {
      scalar[k] = p.v;
      has_scalar[k] = true;
    }
  }
  if (lhs_scalar && rhs_scalar) {
    Series s;
    for (const FPoint& p : rhs.at(0).points) {
      const int64_t k = (p.t - start_) / interval_;
      if (k >= 0 && k < steps && has_scalar[k]) {
        s.points.push_back({p.t, ScalarBinop(e.op, scalar[k], p.v)});
      }
    }
    q_.current_samples = original;
    RETURN_IF_ERROR(q_.AddSamples(static_cast<int64_t>(s.points.size())));
    Matrix m;
    m.push_back(std::move(s));
    return m;
  }

  // Vector and scalar (engine.go's VectorscalarBinop), series by series.
  const bool swap = lhs_scalar;
  Matrix vec = swap ? std::move(rhs) : std::move(lhs);
  const bool drop_name = ShouldDropMetricName(e.op) || e.return_bool;
  const bool comparison = parser::IsComparisonOp(e.op);
  Matrix out;
  int64_t total = 0;
  for (Series& s : vec) {
    std::vector<FPoint> points;
    for (const FPoint& p : s.points) {
      const int64_t k = (p.t - start_) / interval_;
      if (k < 0 || k >= steps || !has_scalar[k]) continue;
      double lv = p.v, rv = scalar[k];
      if (swap) std::swap(lv, rv);
      bool keep = true;
      double value = ElemBinop(e.op, lv, rv, keep);
      if (comparison && swap) value = rv;  // a comparison keeps the vector's value
      if (e.return_bool) {
        value = keep ? 1 : 0;
        keep = true;
      }
      if (keep) points.push_back({p.t, value});
    }
    if (points.empty()) continue;
    total += static_cast<int64_t>(points.size());
    out.push_back(
        Series{drop_name ? DropMetricName(s.metric) : std::move(s.metric), std::move(points)});
  }
  q_.current_samples = original;
  RETURN_IF_ERROR(q_.AddSamples(total));
  return MergeSameLabels(std::move(out));
}

absl::StatusOr<Matrix> Evaluator::EvalVectorBinary(const parser::BinaryExpr& e, Matrix lhs,
                                                   Matrix rhs) {
  const parser::VectorMatching& m = *e.matching;
  const int64_t original = q_.current_samples;
  Signatures sigs = ComputeSignatures(lhs, rhs, m);
  // Iterate the "many" side, look up the "one" side.
  const bool one_to_many = m.card == Cardinality::kOneToMany;
  const Matrix& many = one_to_many ? rhs : lhs;
  const Matrix& one = one_to_many ? lhs : rhs;
  const std::vector<int>& many_sig = one_to_many ? sigs.rhs : sigs.lhs;
  const std::vector<int>& one_sig = one_to_many ? sigs.lhs : sigs.rhs;
  const char* one_side = one_to_many ? "left" : "right";

  StepVector many_step(many), one_step(one);
  std::vector<int64_t> one_stamp(sigs.count, -1), matched_stamp(sigs.count, -1);
  std::vector<int> one_at(sigs.count), one_pos(sigs.count);
  // The output series of a "many" series with its last "one" partner.
  struct Partner {
    int one = -1;
    int out = -1;
  };
  std::vector<Partner> partner(many.size());
  std::vector<int> writer_sig;  // per output series: the signature that wrote it at this step
  OutputCollector out;

  int64_t step = 0;
  for (int64_t ts = start_; ts <= end_; ts += interval_, ++step) {
    RETURN_IF_ERROR(q_.CheckDone());
    many_step.Gather(ts);
    one_step.Gather(ts);
    if (many_step.idx.empty() || one_step.idx.empty()) continue;
    for (size_t k = 0; k < one_step.idx.size(); ++k) {
      const int j = one_step.idx[k];
      const int sig = one_sig[j];
      if (one_stamp[sig] == step) {
        const labels::Labels& dup = one[one_at[sig]].metric;
        return EvalError(absl::StrCat(
            "found duplicate series for the match group ", MatchLabels(one[j].metric, m).ToString(),
            " on the ", one_side, " hand-side of the operation: [", one[j].metric.ToString(), ", ",
            dup.ToString(), "];many-to-many matching not allowed: matching labels must be unique ",
            "on one side"));
      }
      one_stamp[sig] = step;
      one_at[sig] = j;
      one_pos[sig] = static_cast<int>(k);
    }
    bool collision = false;
    for (size_t k = 0; k < many_step.idx.size(); ++k) {
      const int i = many_step.idx[k];
      const int sig = many_sig[i];
      if (one_stamp[sig] != step) continue;
      const int j = one_at[sig];
      double vl = many_step.val[k], vr = one_step.val[one_pos[sig]];
      if (one_to_many) std::swap(vl, vr);
      bool keep = true;
      double value = ElemBinop(e.op, vl, vr, keep);
      if (e.return_bool) {
        value = keep ? 1 : 0;
      } else if (!keep) {
        continue;
      }
      if (m.card == Cardinality::kOneToOne) {
        if (matched_stamp[sig] == step) {
          return EvalError(
              "multiple matches for labels: many-to-one matching must be explicit "
              "(group_left/group_right)");
        }
        matched_stamp[sig] = step;
      }
      Partner& p = partner[i];
      if (p.one != j) {
        p.one = j;
        p.out = out.SeriesFor(ResultMetric(many[i].metric, one[j].metric, e));
        if (static_cast<size_t>(p.out) >= writer_sig.size()) writer_sig.resize(p.out + 1, -1);
      }
      if (!out.Add(p.out, ts, value)) {
        if (m.card != Cardinality::kOneToOne && writer_sig[p.out] == sig) {
          return EvalError(
              "multiple matches for labels: grouping labels must ensure unique matches");
        }
        collision = true;
      }
      writer_sig[p.out] = sig;
    }
    if (collision) return SameLabelsetError();
  }
  q_.current_samples = original;
  RETURN_IF_ERROR(q_.AddSamples(out.total_samples()));
  return out.Take();
}

absl::StatusOr<Matrix> Evaluator::EvalSetOp(const parser::BinaryExpr& e, Matrix lhs, Matrix rhs) {
  const int64_t original = q_.current_samples;
  Signatures sigs = ComputeSignatures(lhs, rhs, *e.matching);
  StepVector l(lhs), r(rhs);
  OutputCollector out;
  std::vector<int> lhs_out, rhs_out;
  for (const Series& s : lhs) lhs_out.push_back(out.SeriesFor(s.metric));
  for (const Series& s : rhs) rhs_out.push_back(out.SeriesFor(s.metric));
  std::vector<int64_t> stamp(sigs.count, -1);
  int64_t step = 0;
  for (int64_t ts = start_; ts <= end_; ts += interval_, ++step) {
    RETURN_IF_ERROR(q_.CheckDone());
    l.Gather(ts);
    r.Gather(ts);
    bool ok = true;
    auto emit_lhs = [&](size_t k) { ok = out.Add(lhs_out[l.idx[k]], ts, l.val[k]) && ok; };
    auto emit_rhs = [&](size_t k) { ok = out.Add(rhs_out[r.idx[k]], ts, r.val[k]) && ok; };
    const bool any_empty = l.idx.empty() || r.idx.empty();
    switch (e.op) {
      case Op::kLand:
        if (any_empty) break;
        for (int j : r.idx) stamp[sigs.rhs[j]] = step;
        for (size_t k = 0; k < l.idx.size(); ++k) {
          if (stamp[sigs.lhs[l.idx[k]]] == step) emit_lhs(k);
        }
        break;
      case Op::kLor:
        for (size_t k = 0; k < l.idx.size(); ++k) {
          stamp[sigs.lhs[l.idx[k]]] = step;
          emit_lhs(k);
        }
        for (size_t k = 0; k < r.idx.size(); ++k) {
          if (stamp[sigs.rhs[r.idx[k]]] != step) emit_rhs(k);
        }
        break;
      default:  // unless
        if (!any_empty) {
          for (int j : r.idx) stamp[sigs.rhs[j]] = step;
        }
        for (size_t k = 0; k < l.idx.size(); ++k) {
          if (any_empty || stamp[sigs.lhs[l.idx[k]]] != step) emit_lhs(k);
        }
        break;
    }
    if (!ok) return SameLabelsetError();
  }
  q_.current_samples = original;
  RETURN_IF_ERROR(q_.AddSamples(out.total_samples()));
  return out.Take();
}

}  // namespace argus::promql::engine_internal
