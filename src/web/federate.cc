#include "web/federate.h"

#include <algorithm>
#include <map>
#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status.h"
#include "metrics/text_format.h"
#include "model/labels/selector.h"
#include "model/value.h"

namespace argus::web {

absl::StatusOr<std::string> Federate(storage::Queryable& storage,
                                     const std::vector<std::string>& selectors, int64_t now_ms,
                                     const labels::Labels& external) {
  std::vector<std::vector<labels::Matcher>> sets;
  for (const std::string& s : selectors) {
    absl::StatusOr<std::vector<labels::Matcher>> m = labels::ParseSelector(s);
    if (!m.ok()) return absl::InvalidArgumentError(m.status().message());
    sets.push_back(*std::move(m));
  }
  const int64_t mint = now_ms - kLookbackDeltaMs;
  ASSIGN_OR_RETURN(std::unique_ptr<storage::Querier> q, storage.NewQuerier(mint, now_ms));
  // Latest sample per series; a series matched by several selectors counts once.
  std::map<labels::Labels, std::pair<int64_t, double>> latest;
  for (const auto& matchers : sets) {
    std::unique_ptr<storage::SeriesSet> set = q->Select(true, {mint, now_ms}, matchers);
    while (set->Next()) {
      const storage::Series& s = set->At();
      std::unique_ptr<storage::SampleIterator> it = s.Iterator();
      bool any = false;
      int64_t t = 0;
      double v = 0;
      while (it->Next()) {
        any = true;
        t = it->t();
        v = it->v();
      }
      RETURN_IF_ERROR(it->status());
      if (any && !model::IsStaleNaN(v)) latest.emplace(s.labels(), std::make_pair(t, v));
    }
    RETURN_IF_ERROR(set->status());
  }
  // v2.42 adds instance="" to series without an instance when no external label sets one.
  std::vector<labels::Label> ext(external.begin(), external.end());
  if (!external.Has("instance")) ext.push_back({"instance", ""});
  std::sort(ext.begin(), ext.end(), [](const auto& a, const auto& b) { return a.name < b.name; });

  // The map orders by labels, i.e. by __name__ first: families come out grouped and sorted.
  std::string out;
  absl::string_view family;
  bool first = true;
  for (const auto& [lset, sample] : latest) {
    const absl::string_view name = lset.Get(labels::kMetricName);
    if (name.empty()) continue;
    if (first || name != family) {
      absl::StrAppend(&out, "# TYPE ", name, " untyped\n");
      family = name;
      first = false;
    }
    absl::StrAppend(&out, name, "{");
    bool sep = false;
    auto add = [&](absl::string_view n, absl::string_view v) {
      if (sep) out.push_back(',');
      sep = true;
      absl::StrAppend(&out, n, "=\"");
      metrics::AppendEscaped(out, v, /*escape_quotes=*/true);
      out.push_back('"');
    };
    for (const labels::Label& l : lset) {
      if (l.name != labels::kMetricName) add(l.name, l.value);
    }
    for (const labels::Label& l : ext) {
      if (!lset.Has(l.name)) add(l.name, l.value);
    }
    absl::StrAppend(&out, "} ", metrics::FormatValue(sample.second), " ", sample.first, "\n");
  }
  return out;
}

}  // namespace argus::web
