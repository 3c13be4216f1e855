// histogram_quantile over classic histograms (`le` bucket series), and histogram_count,
// histogram_sum, histogram_fraction, which read native histograms only (functions.go and
// quantile.go of v2.42). Argus stores float samples only, so the latter return nothing, as
// Prometheus does for float samples.
#include <algorithm>
#include <cmath>
#include <limits>

#include "model/textparse/internal/strconv.h"
#include "promql/functions/internal.h"

namespace argus::promql::functions_internal {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr absl::string_view kBucketLabel = "le";

// Go's sort.Search: the smallest i in [0, n) with pred(i), or n; pred false then true.
template <typename Pred>
size_t Search(size_t n, Pred pred) {
  size_t i = 0, j = n;
  while (i < j) {
    const size_t h = (i + j) / 2;
    if (!pred(h)) {
      i = h + 1;
    } else {
      j = h;
    }
  }
  return i;
}

// Prometheus's bucketQuantile: sorts the buckets, merges equal bounds, makes the counts
// monotonic, and interpolates linearly inside the bucket holding rank q * count (from 0 in the
// lowest bucket when its bound is positive). NaN without a +Inf bucket, with fewer than two
// buckets or no observations; the second highest bound when the rank falls in +Inf.
double BucketQuantile(double q, std::vector<Bucket>& buckets) {
  if (std::isnan(q)) return kNaN;
  if (q < 0) return -std::numeric_limits<double>::infinity();
  if (q > 1) return std::numeric_limits<double>::infinity();
  std::sort(buckets.begin(), buckets.end(), [](const Bucket& a, const Bucket& b) {
    return (std::isnan(a.upper_bound) && !std::isnan(b.upper_bound)) ||
           a.upper_bound < b.upper_bound;
  });
  if (!(std::isinf(buckets.back().upper_bound) && buckets.back().upper_bound > 0)) return kNaN;

  size_t n = 0;  // coalesce equal bounds
  for (size_t i = 1; i < buckets.size(); ++i) {
    if (buckets[i].upper_bound == buckets[n].upper_bound) {
      buckets[n].count += buckets[i].count;
    } else {
      buckets[++n] = buckets[i];
    }
  }
  buckets.resize(n + 1);
  double max = buckets[0].count;  // the envelope: no count below an earlier one
  for (size_t i = 1; i < buckets.size(); ++i) {
    if (buckets[i].count > max) {
      max = buckets[i].count;
    } else if (buckets[i].count < max) {
      buckets[i].count = max;
    }
  }

  if (buckets.size() < 2) return kNaN;
  const double observations = buckets.back().count;
  if (observations == 0) return kNaN;
  double rank = q * observations;
  const size_t b = Search(buckets.size() - 1, [&](size_t i) { return buckets[i].count >= rank; });
  if (b == buckets.size() - 1) return buckets[buckets.size() - 2].upper_bound;
  if (b == 0 && buckets[0].upper_bound <= 0) return buckets[0].upper_bound;
  double start = 0;
  const double end = buckets[b].upper_bound;
  double count = buckets[b].count;
  if (b > 0) {
    start = buckets[b - 1].upper_bound;
    count -= buckets[b - 1].count;
    rank -= buckets[b - 1].count;
  }
  return start + (end - start) * (rank / count);
}

// histogram_quantile(q, buckets): one sample per histogram, i.e. per label set but `le`
// (__name__ included); series whose `le` is missing or not a number are ignored.
void HistogramQuantile(std::span<const Value* const> vals, std::span<const parser::ExprPtr>,
                       EvalNodeHelper& enh, absl::Status&) {
  const double q = ScalarArg(vals, 0);
  FunctionState& st = State(enh);
  for (FunctionState::BucketGroup& g : st.groups) g.buckets.clear();
  for (const Sample& s : VectorArg(vals, 1)) {
    auto upper_bound = textparse::internal::ParseFloat(s.metric.Get(kBucketLabel));
    if (!upper_bound.ok()) continue;
    labels::LabelsHasher hasher;
    for (const labels::Label& l : s.metric) {
      if (l.name != kBucketLabel) hasher.Add(l.name, l.value);
    }
    auto [it, inserted] = st.group_index.try_emplace(hasher.Finish(), st.groups.size());
    if (inserted)
      st.groups.push_back({LabelsWithout(s.metric, {labels::kMetricName, kBucketLabel}), {}});
    st.groups[it->second].buckets.push_back({*upper_bound, s.v});
  }
  for (FunctionState::BucketGroup& g : st.groups) {
    if (!g.buckets.empty()) AppendSample(enh, g.metric, BucketQuantile(q, g.buckets));
  }
}

// histogram_count, histogram_sum, histogram_fraction: float samples have no native histogram.
void NativeHistogramOnly(std::span<const Value* const>, std::span<const parser::ExprPtr>,
                         EvalNodeHelper&, absl::Status&) {}

constexpr NamedFunction kFunctions[] = {
    {"histogram_quantile", HistogramQuantile},
    {"histogram_count", NativeHistogramOnly},
    {"histogram_sum", NativeHistogramOnly},
    {"histogram_fraction", NativeHistogramOnly},
};

}  // namespace

std::span<const NamedFunction> HistogramFunctions() { return kFunctions; }

}  // namespace argus::promql::functions_internal
