#include "storeapi/select.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/parallel.h"
#include "base/status.h"
#include "tsdb/querier/querier.h"

namespace argus::storeapi {
namespace {

bool Overlaps(const SourceRef& src, const Request& req) {
  return src.min_time <= req.max_time && req.min_time <= src.max_time;
}

// The matchers left for a source once its external labels have answered theirs; nullopt when
// an external label rejects the source.
std::optional<std::vector<labels::Matcher>> LocalMatchers(
    const labels::Labels& external, const std::vector<labels::Matcher>& matchers) {
  std::vector<labels::Matcher> local;
  for (const labels::Matcher& m : matchers) {
    if (!external.Has(m.name())) {
      local.push_back(m);
    } else if (!m.Matches(external.Get(m.name()))) {
      return std::nullopt;
    }
  }
  return local;
}

// A failing source: the call's error under ABORT or for an exhausted budget, else a warning.
absl::Status Failed(const SourceRef& src, const absl::Status& s, const Request& req,
                    std::vector<std::string>* warnings) {
  if (req.abort_on_partial || absl::IsResourceExhausted(s)) return Annotate(s, src.name);
  warnings->push_back(absl::StrCat(src.name, ": ", s.message()));
  return absl::OkStatus();
}

bool Dropped(absl::string_view name, const Request& req) {
  return std::find(req.without_replica_labels.begin(), req.without_replica_labels.end(), name) !=
         req.without_replica_labels.end();
}

// The series' labels with `external` added (winning over its own) and the replica labels
// removed.
labels::Labels Answered(const labels::Labels& series, const labels::Labels& external,
                        const Request& req) {
  if (external.empty() && req.without_replica_labels.empty()) return series;
  std::vector<labels::Label> all;
  all.reserve(series.size() + external.size());
  // Both are sorted: merged in order, the external label winning a shared name.
  auto a = series.begin(), b = external.begin();
  while (a != series.end() || b != external.end()) {
    const labels::Label* next;
    if (b == external.end() || (a != series.end() && a->name < b->name)) {
      next = &*a++;
    } else {
      if (a != series.end() && a->name == b->name) ++a;
      next = &*b++;
    }
    if (!Dropped(next->name, req)) all.push_back(*next);
  }
  return labels::Labels::FromSorted(std::move(all));
}

// The sorted, unique `values`, cut to the request's limit.
std::vector<std::string> Finish(std::set<std::string> values, const Request& req) {
  std::vector<std::string> out(values.begin(), values.end());
  if (req.limit > 0 && out.size() > static_cast<size_t>(req.limit)) out.resize(req.limit);
  return out;
}

// One source's part of a Series call.
struct Selection {
  const SourceRef* src;
  SelectParams params;
  absl::StatusOr<std::vector<tsdb::ChunkSeries>> got;
  std::vector<std::string> warnings;  // the source's own
};

// Sources selected at once per call: a store gateway's blocks wait on object storage, not on
// the CPU.
constexpr size_t kParallelSelections = 8;

// Whether `src`'s series can be sent in the order the source reads them, external labels
// added: no replica labels to strip (that re-sorts), and no external label the source's own
// series may carry (an overriding value moves a series).
bool Streamable(const SourceRef& src, const Request& req) {
  if (!req.without_replica_labels.empty()) return false;
  for (const labels::Label& l : src.external) {
    if (src.source->MayHaveLabel(l.name)) return false;
  }
  return true;
}

// Sends series with external labels added in label order, from a source sorted without them.
// Adding labels no series has changes the order of two series only where one's labels are a
// strict prefix of the other's (b = a plus more, some of which sort before an external label):
// and the series extending a series come right after it in the source's order. So series are
// held while they extend the first one held, and the held ones are sorted and sent once a
// series that does not extend it arrives; usually one series is held at a time.
class ExternalOrder {
 public:
  ExternalOrder(const labels::Labels& external, const Request& req,
                const tsdb::ChunkSeriesSink& sink)
      : external_(external), req_(req), sink_(sink) {}

  absl::Status Add(tsdb::ChunkSeries s) {
    if (!held_.empty() && !Extends(s.labels, held_.front().labels)) RETURN_IF_ERROR(Flush());
    held_.push_back(std::move(s));
    return absl::OkStatus();
  }

  // Sends what is held. Errors: the sink's.
  absl::Status Flush() {
    for (tsdb::ChunkSeries& s : held_) s.labels = Answered(s.labels, external_, req_);
    if (held_.size() > 1) {
      std::stable_sort(held_.begin(), held_.end(),
                       [](const auto& a, const auto& b) { return a.labels < b.labels; });
    }
    for (tsdb::ChunkSeries& s : held_) {
      if (full()) break;
      ++sent_;
      if (absl::Status st = sink_(std::move(s)); !st.ok()) {
        sink_failed_ = true;
        return st;
      }
    }
    held_.clear();
    return absl::OkStatus();
  }

  // The request's limit is reached: nothing more is sent.
  bool full() const { return req_.limit > 0 && sent_ >= static_cast<size_t>(req_.limit); }
  bool sink_failed() const { return sink_failed_; }

 private:
  static bool Extends(const labels::Labels& b, const labels::Labels& a) {
    if (b.size() <= a.size()) return false;
    auto x = b.begin();
    for (const labels::Label& l : a) {
      if (x->name != l.name || x->value != l.value) return false;
      ++x;
    }
    return true;
  }

  const labels::Labels& external_;
  const Request& req_;
  const tsdb::ChunkSeriesSink& sink_;
  std::vector<tsdb::ChunkSeries> held_;  // with the source's labels until sent
  size_t sent_ = 0;
  bool sink_failed_ = false;
};

// The one source of a call, streamed through ExternalOrder.
absl::StatusOr<std::vector<std::string>> StreamOne(Selection& job, const Request& req,
                                                   QueryBudget* budget,
                                                   const tsdb::ChunkSeriesSink& sink) {
  ExternalOrder order(job.src->external, req, sink);
  // Stops the source once the limit is reached (not an error: the answer is complete).
  const absl::Status kFull = absl::CancelledError("series limit reached");
  absl::Status s = job.src->source->Stream(job.params, budget, [&](tsdb::ChunkSeries series) {
    if (order.full()) return kFull;
    return order.Add(std::move(series));
  });
  std::vector<std::string> warnings = std::move(job.warnings);
  if (order.sink_failed()) return s;
  if (!s.ok() && !order.full()) RETURN_IF_ERROR(Failed(*job.src, s, req, &warnings));
  RETURN_IF_ERROR(order.Flush());
  return warnings;
}

}  // namespace

absl::StatusOr<std::vector<std::string>> StreamSeries(const Store& store, const Request& req,
                                                      bool skip_chunks, QueryBudget* budget,
                                                      const tsdb::ChunkSeriesSink& sink) {
  const std::vector<SourceRef> sources = store.Sources();
  std::vector<Selection> jobs;
  for (const SourceRef& src : sources) {
    if (!Overlaps(src, req)) continue;
    std::optional<std::vector<labels::Matcher>> local = LocalMatchers(src.external, req.matchers);
    if (!local) continue;
    if (local->empty()) {
      if (store.RequiresMatchers()) {
        return absl::InvalidArgumentError("no matchers specified (excluding external labels)");
      }
      // Every series: a matcher that matches the empty string selects series without it too.
      local->push_back(*labels::Matcher::Create(labels::MatchType::kRegexMatch, "__name__", ".*"));
    }
    jobs.push_back(
        {&src,
         {req.min_time, req.max_time, *std::move(local), skip_chunks, req.abort_on_partial},
         absl::UnknownError("not run"),
         {}});
  }
  for (Selection& job : jobs) job.params.warnings = &job.warnings;
  if (jobs.size() == 1 && Streamable(*jobs[0].src, req))
    return StreamOne(jobs[0], req, budget, sink);

  ParallelFor(jobs.size(), kParallelSelections,
              [&](size_t i) { jobs[i].got = jobs[i].src->source->Select(jobs[i].params, budget); });
  std::vector<std::string> warnings;
  std::vector<std::vector<tsdb::ChunkSeries>> parts;
  for (Selection& job : jobs) {
    for (std::string& w : job.warnings) warnings.push_back(std::move(w));
    if (!job.got.ok()) {
      RETURN_IF_ERROR(Failed(*job.src, job.got.status(), req, &warnings));
      continue;
    }
    std::vector<tsdb::ChunkSeries>& got = *job.got;
    for (tsdb::ChunkSeries& s : got) s.labels = Answered(s.labels, job.src->external, req);
    const auto by_labels = [](const auto& a, const auto& b) { return a.labels < b.labels; };
    if (!std::is_sorted(got.begin(), got.end(), by_labels)) {
      std::stable_sort(got.begin(), got.end(), by_labels);
    }
    parts.push_back(std::move(got));
  }
  std::vector<tsdb::ChunkSeries> merged = tsdb::MergeChunkSeries(std::move(parts));
  if (req.limit > 0 && merged.size() > static_cast<size_t>(req.limit)) merged.resize(req.limit);
  for (tsdb::ChunkSeries& s : merged) RETURN_IF_ERROR(sink(std::move(s)));
  return warnings;
}

absl::StatusOr<SeriesAnswer> SelectSeries(const Store& store, const Request& req, bool skip_chunks,
                                          QueryBudget* budget) {
  SeriesAnswer answer;
  ASSIGN_OR_RETURN(answer.warnings,
                   StreamSeries(store, req, skip_chunks, budget, tsdb::AppendTo(&answer.series)));
  return answer;
}

absl::StatusOr<StringsAnswer> SelectLabelNames(const Store& store, const Request& req) {
  StringsAnswer answer;
  std::set<std::string> names;
  for (const SourceRef& src : store.Sources()) {
    if (!Overlaps(src, req)) continue;
    std::optional<std::vector<labels::Matcher>> local = LocalMatchers(src.external, req.matchers);
    if (!local) continue;
    absl::StatusOr<std::vector<std::string>> got =
        src.source->LabelNames(req.min_time, req.max_time, *local);
    if (!got.ok()) {
      RETURN_IF_ERROR(Failed(src, got.status(), req, &answer.warnings));
      continue;
    }
    names.insert(got->begin(), got->end());
    for (const labels::Label& l : src.external) names.insert(l.name);
  }
  for (const std::string& drop : req.without_replica_labels) names.erase(drop);
  answer.values = Finish(std::move(names), req);
  return answer;
}

absl::StatusOr<StringsAnswer> SelectLabelValues(const Store& store, const std::string& name,
                                                const Request& req) {
  StringsAnswer answer;
  if (Dropped(name, req)) return answer;
  std::set<std::string> values;
  for (const SourceRef& src : store.Sources()) {
    if (!Overlaps(src, req)) continue;
    std::optional<std::vector<labels::Matcher>> local = LocalMatchers(src.external, req.matchers);
    if (!local) continue;
    if (src.external.Has(name)) {
      values.insert(std::string(src.external.Get(name)));
      continue;
    }
    absl::StatusOr<std::vector<std::string>> got =
        src.source->LabelValues(name, req.min_time, req.max_time, *local);
    if (!got.ok()) {
      RETURN_IF_ERROR(Failed(src, got.status(), req, &answer.warnings));
      continue;
    }
    values.insert(got->begin(), got->end());
  }
  answer.values = Finish(std::move(values), req);
  return answer;
}

std::pair<int64_t, int64_t> TimeRange(const std::vector<SourceRef>& sources) {
  int64_t min = std::numeric_limits<int64_t>::max(), max = std::numeric_limits<int64_t>::min();
  for (const SourceRef& s : sources) {
    min = std::min(min, s.min_time);
    max = std::max(max, s.max_time);
  }
  return {min, max};
}

std::vector<labels::Labels> LabelSets(const Store& store, const std::vector<SourceRef>& sources) {
  std::set<labels::Labels> sets;
  for (const SourceRef& s : sources) {
    if (!s.external.empty()) sets.insert(s.external);
  }
  if (sets.empty()) {
    for (labels::Labels& l : store.AnnouncedLabelSets()) sets.insert(std::move(l));
  }
  return std::vector<labels::Labels>(sets.begin(), sets.end());
}

}  // namespace argus::storeapi
