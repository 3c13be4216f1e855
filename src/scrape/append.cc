#include "scrape/append.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "metrics/registry.h"
#include "model/textparse/textparse.h"
#include "model/value.h"
#include "scrape/sample_labels.h"

namespace argus::scrape {
namespace {

// Refusals that skip the sample but keep the scrape (the TSDB appender's codes for out of
// order, duplicate and out of bounds).
bool IsSkippable(const absl::Status& st) {
  return absl::IsFailedPrecondition(st) || absl::IsOutOfRange(st);
}

absl::Status CheckLabels(const labels::Labels& lset, const AppendOptions& opts) {
  const absl::string_view name = lset.Get(labels::kMetricName);
  if (name.empty()) return absl::InvalidArgumentError("missing metric name (__name__ label)");
  bool valid = metrics::IsValidMetricName(name);
  for (const labels::Label& l : lset) valid = valid && metrics::IsValidLabelName(l.name);
  if (!valid) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid metric name or label names: ", lset.ToString()));
  }
  const std::string met(name.substr(0, 50));
  if (opts.label_limit > 0 && lset.size() > opts.label_limit) {
    return absl::InvalidArgumentError(
        absl::StrFormat("label_limit exceeded (metric: %s, number of labels: %d, limit: %d)", met,
                        lset.size(), opts.label_limit));
  }
  for (const labels::Label& l : lset) {
    if (opts.label_name_length_limit > 0 && l.name.size() > opts.label_name_length_limit) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "label_name_length_limit exceeded (metric: %s, label name: %s, length: %d, limit: %d)",
          met, l.name.substr(0, 50), l.name.size(), opts.label_name_length_limit));
    }
    if (opts.label_value_length_limit > 0 && l.value.size() > opts.label_value_length_limit) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "label_value_length_limit exceeded (metric: %s, label name: %s, value: \"%s\", "
          "length: %d, limit: %d)",
          met, l.name.substr(0, 50), l.value.substr(0, 50), l.value.size(),
          opts.label_value_length_limit));
    }
  }
  return absl::OkStatus();
}

// The exposed labels of the parser's current sample; duplicate names fail the scrape, as the
// TSDB appender does in Prometheus.
absl::StatusOr<labels::Labels> ExposedLabels(const textparse::Parser& p) {
  std::vector<labels::Label> ls = p.Metric();
  for (size_t i = 1; i < ls.size(); ++i) {
    if (ls[i].name == ls[i - 1].name) {
      return absl::InvalidArgumentError(
          absl::StrCat("label name \"", ls[i].name, "\" is not unique: invalid sample"));
    }
  }
  return labels::Labels::FromSorted(std::move(ls));
}

}  // namespace

absl::Status AppendScrape(absl::string_view body, absl::string_view content_type, int64_t t_ms,
                          const AppendOptions& opts, ScrapeCache& cache, storage::Appender& app,
                          AppendCounts* counts) {
  *counts = {};
  std::unique_ptr<textparse::Parser> p = textparse::NewParser(body, content_type);
  absl::Status err;
  bool over_limit = false;
  uint64_t appended = 0;  // against sample_limit
  while (err.ok()) {
    absl::StatusOr<textparse::Entry> e = p->Next();
    if (!e.ok()) {
      err = e.status();
      break;
    }
    if (*e == textparse::Entry::kEOF) break;
    if (*e != textparse::Entry::kSeries) continue;
    ++counts->total;
    const textparse::Sample s = p->Series();
    const std::optional<int64_t> ts = opts.honor_timestamps ? s.timestamp_ms : std::nullopt;
    const int64_t t = ts.value_or(t_ms);
    if (cache.IsDropped(s.series)) continue;
    ScrapeCache::Entry* ce = cache.Get(s.series);
    ScrapeCache::LabelsPtr lset;
    uint64_t hash = 0;
    if (ce != nullptr) {
      lset = ce->lset;
      hash = ce->hash;
    } else {
      absl::StatusOr<labels::Labels> exposed = ExposedLabels(*p);
      if (!exposed.ok()) {
        err = exposed.status();
        break;
      }
      hash = exposed->Hash();
      std::optional<labels::Labels> mutated = opts.mutate(*exposed);
      if (!mutated.has_value() || mutated->empty()) {
        cache.AddDropped(s.series);
        continue;
      }
      if (err = CheckLabels(*mutated, opts); !err.ok()) break;
      lset = std::make_shared<const labels::Labels>(*std::move(mutated));
    }
    if (opts.sample_limit > 0 && !model::IsStaleNaN(s.value) && ++appended > opts.sample_limit) {
      over_limit = true;  // keep counting to the end of the body
      ++counts->added;
      continue;
    }
    absl::StatusOr<storage::SeriesRef> ref =
        app.Append(ce != nullptr ? ce->ref : 0, *lset, t, s.value);
    ++counts->added;
    if (!ref.ok()) {
      if (!IsSkippable(ref.status())) err = ref.status();
      // As v2.42: a new series is tracked for staleness even when its sample was refused.
      if (err.ok() && ce == nullptr && !ts.has_value()) cache.TrackStaleness(hash, lset);
      continue;
    }
    if (!ts.has_value()) cache.TrackStaleness(hash, lset);
    if (ce == nullptr) {
      cache.Add(s.series, *ref, lset, hash);
      if (!over_limit) ++counts->series_added;
    }
  }
  if (err.ok() && over_limit) err = absl::ResourceExhaustedError("sample limit exceeded");
  if (!err.ok()) {
    cache.DiscardIter();
    return err;
  }
  cache.ForEachStale([&](const labels::Labels& gone) {
    absl::StatusOr<storage::SeriesRef> ref = app.Append(0, gone, t_ms, model::StaleNaN());
    if (!ref.ok() && !absl::IsFailedPrecondition(ref.status())) err = ref.status();
    return err.ok();
  });
  if (err.ok()) cache.IterDone(!body.empty());
  return err;
}

namespace {

constexpr absl::string_view kReportNames[] = {
    "up", "scrape_duration_seconds", "scrape_samples_scraped",
    "scrape_samples_post_metric_relabeling", "scrape_series_added"};

// Report series are cached under their name plus "\xff", which no scraped series text has.
absl::Status AddReportSample(const labels::Labels& target, absl::string_view name, int64_t t,
                             double v, ScrapeCache& cache, storage::Appender& app) {
  const std::string key = absl::StrCat(name, "\xff");
  ScrapeCache::Entry* ce = cache.Get(key);
  ScrapeCache::LabelsPtr lset =
      ce != nullptr ? ce->lset
                    : std::make_shared<const labels::Labels>(MergeTargetLabels(
                          labels::Labels({{labels::kMetricName, std::string(name)}}), target,
                          /*honor_labels=*/false));
  absl::StatusOr<storage::SeriesRef> ref = app.Append(ce != nullptr ? ce->ref : 0, *lset, t, v);
  if (ref.ok()) {
    if (ce == nullptr) {
      const uint64_t hash = lset->Hash();
      cache.Add(key, *ref, std::move(lset), hash);
    }
    return absl::OkStatus();
  }
  return absl::IsFailedPrecondition(ref.status()) ? absl::OkStatus() : ref.status();
}

}  // namespace

absl::Status ReportScrape(const labels::Labels& target, int64_t t_ms, absl::Duration duration,
                          const AppendCounts& counts, const absl::Status& scrape_error,
                          ScrapeCache& cache, storage::Appender& app) {
  const double values[] = {scrape_error.ok() ? 1.0 : 0.0, absl::ToDoubleSeconds(duration),
                           static_cast<double>(counts.total), static_cast<double>(counts.added),
                           static_cast<double>(counts.series_added)};
  for (size_t i = 0; i < std::size(kReportNames); ++i) {
    if (absl::Status st = AddReportSample(target, kReportNames[i], t_ms, values[i], cache, app);
        !st.ok()) {
      return st;
    }
  }
  return absl::OkStatus();
}

absl::Status ReportStale(const labels::Labels& target, int64_t t_ms, ScrapeCache& cache,
                         storage::Appender& app) {
  for (absl::string_view name : kReportNames) {
    if (absl::Status st = AddReportSample(target, name, t_ms, model::StaleNaN(), cache, app);
        !st.ok()) {
      return st;
    }
  }
  return absl::OkStatus();
}

}  // namespace argus::scrape
