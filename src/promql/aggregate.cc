// Aggregations (engine.go's aggregation): each input series' group is found once; each step
// folds the samples present into their groups with Prometheus's float behaviour.
#include <algorithm>
#include <cmath>
#include <limits>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "base/go_strconv.h"
#include "base/status.h"
#include "promql/evaluator.h"
#include "promql/functions/quantile.h"

namespace argus::promql::engine_internal {
namespace {

using parser::Op;

// Input series are checked for timeout and cancellation every this many.
constexpr size_t kCheckEvery = 256;

bool Contains(const std::vector<std::string>& names, absl::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// The labels of the group `metric` falls into.
labels::Labels GroupLabels(const labels::Labels& metric, const std::vector<std::string>& grouping,
                           bool without) {
  std::vector<labels::Label> out;
  for (const labels::Label& l : metric) {
    const bool listed = Contains(grouping, l.name);
    if (without ? (!listed && l.name != labels::kMetricName) : listed) out.push_back(l);
  }
  return labels::Labels::FromSorted(std::move(out));
}

bool ValidLabelName(absl::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                    (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

// An element of topk's and bottomk's heaps: a value and its input series.
struct Entry {
  double v;
  int series;
};

// Go's container/heap over `h` with the ordering `less` (vectorByValueHeap's for topk, its
// reverse for bottomk), so that ties and NaNs come out in Prometheus's order.
template <typename Less>
void HeapUp(std::vector<Entry>& h, size_t j, Less less) {
  while (j > 0) {
    const size_t i = (j - 1) / 2;
    if (!less(h[j], h[i])) break;
    std::swap(h[i], h[j]);
    j = i;
  }
}

template <typename Less>
void HeapDown(std::vector<Entry>& h, size_t i, size_t n, Less less) {
  while (true) {
    const size_t j1 = 2 * i + 1;
    if (j1 >= n) break;
    size_t j = j1;
    if (j1 + 1 < n && less(h[j1 + 1], h[j1])) j = j1 + 1;
    if (!less(h[j], h[i])) break;
    std::swap(h[i], h[j]);
    i = j;
  }
}

template <typename Less>
void HeapPush(std::vector<Entry>& h, Entry e, Less less) {
  h.push_back(e);
  HeapUp(h, h.size() - 1, less);
}

template <typename Less>
void HeapPop(std::vector<Entry>& h, Less less) {
  const size_t n = h.size() - 1;
  std::swap(h[0], h[n]);
  HeapDown(h, 0, n, less);
  h.pop_back();
}

// sort.Sort(sort.Reverse(heap)): Go sorts up to 12 elements by insertion; beyond that the
// order of equal values is unspecified, so a stable sort with NaNs last stands in.
template <typename Less>
void SortReverse(std::vector<Entry>& h, Less less) {
  auto rless = [&](const Entry& a, const Entry& b) { return less(b, a); };
  if (h.size() <= 12) {
    for (size_t i = 1; i < h.size(); ++i) {
      for (size_t j = i; j > 0 && rless(h[j], h[j - 1]); --j) std::swap(h[j], h[j - 1]);
    }
    return;
  }
  std::stable_sort(h.begin(), h.end(), [&](const Entry& a, const Entry& b) {
    if (std::isnan(a.v) || std::isnan(b.v)) return !std::isnan(a.v) && std::isnan(b.v);
    return rless(a, b);
  });
}

bool TopLess(const Entry& a, const Entry& b) { return std::isnan(a.v) || a.v < b.v; }
bool BottomLess(const Entry& a, const Entry& b) { return std::isnan(a.v) || a.v > b.v; }

// The running value of the aggregations with a fixed-size state (all but topk, bottomk and
// quantile) of one group at one step.
struct Running {
  double value = 0;
  double mean = 0;
  int64_t count = 0;  // 0: no sample yet
};

// Starts `r` with its first sample.
void InitRunning(Op op, Running& r, double v) {
  r.value = v;
  r.mean = v;
  r.count = 1;
  if (op == Op::kStddev || op == Op::kStdvar) r.value = 0;
  if (op == Op::kGroup) r.value = 1;
}

// Folds sample `v` into `r`.
void AccumulateRunning(Op op, Running& r, double v) {
  switch (op) {
    case Op::kSum:
      r.value += v;
      break;
    case Op::kAvg:
      ++r.count;
      if (std::isinf(r.mean)) {
        // An infinite mean stays as it is unless the new value is NaN or the opposite infinity.
        if (std::isinf(v) && (r.mean > 0) == (v > 0)) break;
        if (!std::isinf(v) && !std::isnan(v)) break;
      }
      r.mean += v / static_cast<double>(r.count) - r.mean / static_cast<double>(r.count);
      break;
    case Op::kMax:
      if (r.value < v || std::isnan(r.value)) r.value = v;
      break;
    case Op::kMin:
      if (r.value > v || std::isnan(r.value)) r.value = v;
      break;
    case Op::kCount:
      ++r.count;
      break;
    case Op::kStddev:
    case Op::kStdvar: {
      ++r.count;
      const double delta = v - r.mean;
      r.mean += delta / static_cast<double>(r.count);
      r.value += delta * (v - r.mean);
      break;
    }
    default:
      break;
  }
}

double RunningResult(Op op, const Running& r) {
  switch (op) {
    case Op::kAvg:
      return r.mean;
    case Op::kCount:
      return static_cast<double>(r.count);
    case Op::kStdvar:
      return r.value / static_cast<double>(r.count);
    case Op::kStddev:
      return std::sqrt(r.value / static_cast<double>(r.count));
    default:
      return r.value;
  }
}

// The running aggregate of one group at one step.
struct Group {
  int64_t stamp = -1;  // the step it was started at
  Running running;
  std::vector<Entry> heap;     // topk, bottomk
  std::vector<double> values;  // quantile
};

// Starts group `g` with its first sample.
void InitGroup(Op op, Group& g, double v, int series) {
  InitRunning(op, g.running, v);
  if (op == Op::kTopk || op == Op::kBottomk) g.heap.assign(1, Entry{v, series});
  if (op == Op::kQuantile) g.values.assign(1, v);
}

// Folds sample `v` of input series `series` into `g`.
void Accumulate(Op op, Group& g, double v, int series, int64_t k) {
  switch (op) {
    case Op::kTopk:
    case Op::kBottomk: {
      auto less = op == Op::kTopk ? TopLess : BottomLess;
      std::vector<Entry>& h = g.heap;
      const bool better = op == Op::kTopk ? h[0].v < v : h[0].v > v;
      if (static_cast<int64_t>(h.size()) < k || better || std::isnan(h[0].v)) {
        if (static_cast<int64_t>(h.size()) == k) {
          if (k == 1) {
            h[0] = Entry{v, series};
            break;
          }
          HeapPop(h, less);
        }
        HeapPush(h, Entry{v, series}, less);
      }
      break;
    }
    case Op::kQuantile:
      g.values.push_back(v);
      break;
    default:
      AccumulateRunning(op, g.running, v);
  }
}

// The group's result (not for topk/bottomk, which output their heaps).
double GroupResult(Op op, Group& g, double q) {
  return op == Op::kQuantile ? Quantile(q, g.values) : RunningResult(op, g.running);
}

// Most group x step cells the series-major aggregation holds (24 MiB).
constexpr int64_t kMaxRunningCells = int64_t{1} << 20;

// The value of scalar `param` at each step (NaN where it has none).
std::vector<double> ParamPerStep(const Matrix& param, int64_t start, int64_t interval,
                                 int64_t steps) {
  std::vector<double> out(steps, std::numeric_limits<double>::quiet_NaN());
  if (param.empty()) return out;
  for (const FPoint& p : param[0].points) {
    const int64_t k = (p.t - start) / interval;
    if (k >= 0 && k < steps) out[k] = p.v;
  }
  return out;
}

}  // namespace

absl::StatusOr<Matrix> Evaluator::EvalAggregate(parser::AggregateExpr& e) {
  std::vector<std::string> grouping = e.grouping;
  std::sort(grouping.begin(), grouping.end());
  StepAccounting acc{q_.current_samples, 0};
  Matrix param;
  if (e.param != nullptr) {
    parser::Expr& p = parser::Unwrap(*e.param);
    if (p.kind == parser::NodeKind::kStringLiteral) {
      ASSIGN_OR_RETURN(Matrix input, EvalMatrix(*e.expr));
      acc.temp = q_.current_samples;
      return EvalCountValues(e, parser::As<parser::StringLiteral>(p).value, std::move(input));
    }
    ASSIGN_OR_RETURN(param, EvalMatrix(*e.param));
  }
  ASSIGN_OR_RETURN(Matrix input, EvalMatrix(*e.expr));
  acc.temp = q_.current_samples;
  const int64_t steps = NumSteps();
  const std::vector<double> params = ParamPerStep(param, start_, interval_, steps);

  // Each input series' group, and each group's labels.
  absl::flat_hash_map<uint64_t, int> group_ids;
  std::vector<int> group_of(input.size());
  std::vector<labels::Labels> group_labels;
  for (size_t i = 0; i < input.size(); ++i) {
    labels::Labels l = GroupLabels(input[i].metric, grouping, e.without);
    auto [it, inserted] = group_ids.try_emplace(l.Hash(), static_cast<int>(group_labels.size()));
    if (inserted) group_labels.push_back(std::move(l));
    group_of[i] = it->second;
  }
  if (e.op != Op::kTopk && e.op != Op::kBottomk && e.op != Op::kQuantile &&
      static_cast<int64_t>(group_labels.size()) * steps <= kMaxRunningCells) {
    return AggregateBySeries(e.op, input, group_of, std::move(group_labels), acc);
  }
  std::vector<Group> groups(group_labels.size());
  std::vector<int> group_out(groups.size(), -1), series_out(input.size(), -1);
  std::vector<StepCursor> cursors;
  for (const Series& s : input) cursors.emplace_back(&s.points);
  std::vector<int> order;
  OutputCollector out;
  const bool by_series = e.op == Op::kTopk || e.op == Op::kBottomk;

  int64_t step = 0;
  for (int64_t ts = start_; ts <= end_; ts += interval_, ++step) {
    int64_t k = 0;
    if (by_series) {
      const double f = params[step];
      if (!(f <= 9223372036854774784.0 && f >= -9223372036854775808.0)) {
        return EvalError(absl::StrCat("Scalar value ", GoFormatG(f), " overflows int64"));
      }
      k = static_cast<int64_t>(f);
    }
    order.clear();
    int64_t gathered = 0;
    if (!by_series || k >= 1) {
      for (size_t i = 0; i < input.size(); ++i) {
        if (!cursors[i].At(ts)) continue;
        ++gathered;
        const double v = cursors[i].value();
        Group& g = groups[group_of[i]];
        if (g.stamp != step) {
          g.stamp = step;
          order.push_back(group_of[i]);
          InitGroup(e.op, g, v, static_cast<int>(i));
        } else {
          Accumulate(e.op, g, v, static_cast<int>(i), k);
        }
      }
    }
    RETURN_IF_ERROR(BeginStep(acc, gathered));
    int64_t produced = 0;
    bool ok = true;
    for (int gi : order) {
      Group& g = groups[gi];
      if (by_series) {
        if (g.heap.size() > 1) SortReverse(g.heap, e.op == Op::kTopk ? TopLess : BottomLess);
        for (const Entry& en : g.heap) {
          int& o = series_out[en.series];
          if (o < 0) o = out.SeriesFor(input[en.series].metric);
          ok = out.Add(o, ts, en.v) && ok;
          ++produced;
        }
        continue;
      }
      if (group_out[gi] < 0) group_out[gi] = out.SeriesFor(group_labels[gi]);
      ok = out.Add(group_out[gi], ts, GroupResult(e.op, g, params[step])) && ok;
      ++produced;
    }
    if (!ok) return SameLabelsetError();
    RETURN_IF_ERROR(EndStep(acc, produced));
  }
  Finish(acc, out.total_samples());
  return out.Take();
}

absl::StatusOr<Matrix> Evaluator::AggregateBySeries(Op op, const Matrix& input,
                                                    const std::vector<int>& group_of,
                                                    std::vector<labels::Labels> group_labels,
                                                    StepAccounting acc) {
  const int64_t steps = NumSteps();
  const size_t ngroups = group_labels.size();
  // cells[g * steps + k]: group g at step k; each series folds into its group's row in order,
  // so every cell sees its samples in input order as the step-by-step loop would.
  std::vector<Running> cells(ngroups * steps);
  std::vector<int64_t> gathered(steps, 0), produced(steps, 0);
  // A group's output series comes where the step-by-step loop would first add to it: at its
  // first step with a sample, after the groups whose first series there comes earlier.
  std::vector<std::pair<int64_t, size_t>> first(ngroups, {steps, 0});
  for (size_t i = 0; i < input.size(); ++i) {
    if (i % kCheckEvery == 0) RETURN_IF_ERROR(q_.CheckDone());
    const int g = group_of[i];
    Running* row = &cells[g * steps];
    int64_t k = 0, ts = start_;
    for (const FPoint& p : input[i].points) {
      while (ts < p.t && k < steps) ts += interval_, ++k;
      if (k >= steps) break;
      if (ts != p.t) continue;  // not on a step: never part of a step's vector
      ++gathered[k];
      Running& r = row[k];
      if (r.count == 0) {
        InitRunning(op, r, p.v);
        ++produced[k];
        if (k < first[g].first) first[g] = {k, i};
      } else {
        AccumulateRunning(op, r, p.v);
      }
    }
  }
  for (int64_t k = 0; k < steps; ++k) {
    RETURN_IF_ERROR(BeginStep(acc, gathered[k]));
    RETURN_IF_ERROR(EndStep(acc, produced[k]));
  }
  std::vector<int> order;
  for (size_t g = 0; g < ngroups; ++g) {
    if (first[g].first < steps) order.push_back(static_cast<int>(g));
  }
  std::sort(order.begin(), order.end(), [&](int a, int b) { return first[a] < first[b]; });
  Matrix out;
  out.reserve(order.size());
  int64_t total = 0;
  for (int g : order) {
    Series s{std::move(group_labels[g]), {}};
    const Running* row = &cells[g * steps];
    for (int64_t k = first[g].first; k < steps; ++k) {
      if (row[k].count != 0)
        s.points.push_back({start_ + k * interval_, RunningResult(op, row[k])});
    }
    total += static_cast<int64_t>(s.points.size());
    out.push_back(std::move(s));
  }
  Finish(acc, total);
  return out;
}

absl::StatusOr<Matrix> Evaluator::EvalCountValues(const parser::AggregateExpr& e,
                                                  const std::string& label, Matrix input) {
  if (!ValidLabelName(label)) {
    return EvalError(absl::StrCat("invalid label name ", GoQuote(label)));
  }
  std::vector<std::string> grouping = e.grouping;
  if (!e.without) grouping.push_back(label);
  StepAccounting acc{q_.current_samples, q_.current_samples};
  std::vector<StepCursor> cursors;
  for (const Series& s : input) cursors.emplace_back(&s.points);
  absl::flat_hash_map<uint64_t, int> step_groups;
  std::vector<std::pair<labels::Labels, int64_t>> counts;  // in order of appearance
  OutputCollector out;
  for (int64_t ts = start_; ts <= end_; ts += interval_) {
    step_groups.clear();
    counts.clear();
    int64_t gathered = 0;
    for (size_t i = 0; i < input.size(); ++i) {
      if (!cursors[i].At(ts)) continue;
      ++gathered;
      std::vector<labels::Label> with_value;
      for (const labels::Label& l : input[i].metric) {
        if (l.name != label) with_value.push_back(l);
      }
      with_value.push_back({label, GoFormatF(cursors[i].value())});
      labels::Labels g =
          GroupLabels(labels::Labels::FromUnsorted(std::move(with_value)), grouping, e.without);
      auto [it, inserted] = step_groups.try_emplace(g.Hash(), static_cast<int>(counts.size()));
      if (inserted) {
        counts.emplace_back(std::move(g), 1);
      } else {
        ++counts[it->second].second;
      }
    }
    RETURN_IF_ERROR(BeginStep(acc, gathered));
    for (auto& [metric, n] : counts) {
      if (!out.Add(out.SeriesFor(metric), ts, static_cast<double>(n))) return SameLabelsetError();
    }
    RETURN_IF_ERROR(EndStep(acc, static_cast<int64_t>(counts.size())));
  }
  Finish(acc, out.total_samples());
  return out.Take();
}

}  // namespace argus::promql::engine_internal
