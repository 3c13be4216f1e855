#include "scrape/append.h"

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/status.h"
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

// The stored labels of the parser's current sample (exposed labels, target labels, metric
// relabeling, checks), or nullopt when relabeling drops it; `hash` gets the exposed labels'
// hash (the staleness key).
absl::StatusOr<std::optional<labels::Labels>> StoredLabels(const textparse::Parser& p,
                                                           const AppendOptions& opts,
                                                           uint64_t* hash) {
  ASSIGN_OR_RETURN(labels::Labels exposed, ExposedLabels(p));
  *hash = exposed.Hash();
  std::optional<labels::Labels> mutated = opts.mutate(exposed);
  if (!mutated.has_value() || mutated->empty()) return std::nullopt;
  RETURN_IF_ERROR(CheckLabels(*mutated, opts));
  return mutated;
}

// Records the metadata of a # TYPE, # HELP or # UNIT entry.
void RecordMetadata(const textparse::Parser& p, textparse::Entry e, MetadataStore& md) {
  switch (e) {
    case textparse::Entry::kType:
      md.SetType(p.Type().metric, p.Type().type);
      break;
    case textparse::Entry::kHelp:
      md.SetHelp(p.Help().metric, p.Help().text);
      break;
    case textparse::Entry::kUnit:
      md.SetUnit(p.Unit().metric, p.Unit().text);
      break;
    default:
      break;
  }
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
    if (*e != textparse::Entry::kSeries) {
      RecordMetadata(*p, *e, cache.metadata());
      continue;
    }
    ++counts->total;
    const textparse::Sample s = p->Series();
    const std::optional<int64_t> ts = opts.honor_timestamps ? s.timestamp_ms : std::nullopt;
    const int64_t t = ts.value_or(t_ms);
    ScrapeCache::Entry* ce = cache.Get(s.series);
    uint64_t hash = ce != nullptr ? ce->hash : 0;
    labels::Labels lset;  // computed for new series only: known ones append by ref
    if (ce == nullptr) {
      if (cache.IsDropped(s.series)) continue;
      absl::StatusOr<std::optional<labels::Labels>> l = StoredLabels(*p, opts, &hash);
      if (!l.ok()) {
        err = l.status();
        break;
      }
      if (!l->has_value()) {
        cache.AddDropped(s.series);
        continue;
      }
      lset = **std::move(l);
    }
    if (opts.sample_limit > 0 && !model::IsStaleNaN(s.value) && ++appended > opts.sample_limit) {
      over_limit = true;  // keep counting to the end of the body
      ++counts->added;
      continue;
    }
    absl::StatusOr<storage::SeriesRef> ref =
        app.Append(ce != nullptr ? ce->ref : 0, lset, t, s.value);
    if (ce != nullptr && absl::IsNotFound(ref.status())) {
      // The storage dropped the series since: append it by its labels again.
      absl::StatusOr<std::optional<labels::Labels>> l = StoredLabels(*p, opts, &hash);
      if (!l.ok() || !l->has_value()) {
        err = l.ok() ? absl::InternalError("relabeling changed for a cached series") : l.status();
        break;
      }
      ref = app.Append(0, **l, t, s.value);
      if (ref.ok()) ce->ref = *ref;
    }
    ++counts->added;
    if (!ref.ok()) {
      if (!IsSkippable(ref.status())) err = ref.status();
      // As v2.42: a new series is tracked for staleness even when its sample was refused.
      if (err.ok() && ce == nullptr && !ts.has_value()) cache.TrackStaleness(hash, std::move(lset));
      continue;
    }
    if (ce == nullptr) {
      ce = cache.Add(s.series, *ref, hash);
      if (!over_limit) ++counts->series_added;
    }
    if (!ts.has_value() && ce != nullptr) cache.TrackStaleness(ce);
  }
  if (err.ok() && over_limit) err = absl::ResourceExhaustedError("sample limit exceeded");
  if (!err.ok()) {
    cache.DiscardIter();
    return err;
  }
  cache.ForEachStale([&](storage::SeriesRef ref, const labels::Labels* gone) {
    absl::StatusOr<storage::SeriesRef> r =
        app.Append(ref, gone != nullptr ? *gone : labels::Labels(), t_ms, model::StaleNaN());
    // NotFound: the storage dropped the series already; nothing to mark.
    if (!r.ok() && !absl::IsFailedPrecondition(r.status()) && !absl::IsNotFound(r.status())) {
      err = r.status();
    }
    return err.ok();
  });
  if (err.ok()) cache.IterDone(!body.empty());
  return err;
}

namespace {

constexpr absl::string_view kReportNames[] = {
    "up", "scrape_duration_seconds", "scrape_samples_scraped",
    "scrape_samples_post_metric_relabeling", "scrape_series_added"};

// One synthetic sample, by the ref the cache has for `name`, else by its labels.
absl::Status AddReportSample(const labels::Labels& target, absl::string_view name, int64_t t,
                             double v, ScrapeCache& cache, storage::Appender& app) {
  ScrapeCache::Entry* ce = cache.GetReport(name);
  absl::StatusOr<storage::SeriesRef> ref =
      ce != nullptr ? app.Append(ce->ref, labels::Labels(), t, v) : absl::NotFoundError("");
  if (absl::IsNotFound(ref.status())) {
    const labels::Labels lset =
        MergeTargetLabels(labels::Labels({{labels::kMetricName, std::string(name)}}), target,
                          /*honor_labels=*/false);
    ref = app.Append(0, lset, t, v);
    if (ref.ok()) cache.AddReport(name, *ref, lset.Hash());
  }
  if (ref.ok()) return absl::OkStatus();
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
