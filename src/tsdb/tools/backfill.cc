#include "tsdb/tools/backfill.h"

#include <algorithm>
#include <limits>

#include "absl/strings/str_cat.h"
#include "base/clock.h"
#include "base/status.h"
#include "base/ulid.h"
#include "model/textparse/openmetricsparse.h"
#include "tsdb/compact/compactor.h"
#include "tsdb/head/head.h"
#include "tsdb/tools/tools.h"

namespace argus::tsdb::tools {
namespace {

constexpr int64_t kDefaultBlockDuration = 2 * 3600 * 1000LL;
// Samples per appender batch, as promtool commits them.
constexpr int kMaxSamplesInAppender = 5000;

int64_t CompatibleBlockDuration(int64_t max_block_duration) {
  if (max_block_duration <= kDefaultBlockDuration) return kDefaultBlockDuration;
  std::vector<int64_t> ranges = compact::ExponentialBlockRanges(kDefaultBlockDuration, 10, 3);
  size_t idx = ranges.size() - 1;
  for (size_t i = 0; i < ranges.size(); ++i) {
    if (ranges[i] > max_block_duration) {
      idx = i - 1;
      break;
    }
  }
  return ranges[idx];
}

absl::StatusOr<labels::Labels> SeriesLabels(const textparse::Parser& p) {
  std::vector<labels::Label> ls = p.Metric();
  for (size_t i = 1; i < ls.size(); ++i) {
    if (ls[i].name == ls[i - 1].name) {
      return absl::InvalidArgumentError(
          absl::StrCat("label name \"", ls[i].name, "\" is not unique: invalid sample"));
    }
  }
  return labels::Labels::FromSorted(std::move(ls));
}

// The time range of all samples; every sample must have a timestamp.
absl::Status MinMaxTimestamps(absl::string_view input, int64_t* mint, int64_t* maxt) {
  *mint = std::numeric_limits<int64_t>::max();
  *maxt = std::numeric_limits<int64_t>::min();
  textparse::OpenMetricsParser p(input);
  while (true) {
    absl::StatusOr<textparse::Entry> e = p.Next();
    if (!e.ok()) return Annotate(e.status(), "parse");
    if (*e == textparse::Entry::kEOF) return absl::OkStatus();
    if (*e != textparse::Entry::kSeries) continue;
    const textparse::Sample s = p.Series();
    if (!s.timestamp_ms.has_value()) {
      ASSIGN_OR_RETURN(labels::Labels l, SeriesLabels(p));
      return absl::InvalidArgumentError(
          absl::StrCat("expected timestamp for series ", l.ToString(), ", got none"));
    }
    *mint = std::min(*mint, *s.timestamp_ms);
    *maxt = std::max(*maxt, *s.timestamp_ms);
  }
}

}  // namespace

absl::Status CreateBlocksFromOpenMetrics(Env* env, absl::string_view input,
                                         const std::string& output_dir, const BackfillOptions& opts,
                                         std::ostream& out) {
  int64_t mint, maxt;
  RETURN_IF_ERROR(MinMaxTimestamps(input, &mint, &maxt));
  if (mint > maxt) return absl::OkStatus();  // no samples
  RETURN_IF_ERROR(env->CreateDirs(output_dir));
  const int64_t bd = CompatibleBlockDuration(opts.max_block_duration);
  mint = bd * (mint / bd);
  UlidGenerator ulids;
  bool wrote_header = false;
  int64_t next_ts = std::numeric_limits<int64_t>::max();
  for (int64_t t = mint; t <= maxt; t += bd) {
    const int64_t upper = t + bd;
    if (next_ts != std::numeric_limits<int64_t>::max() && next_ts >= upper) continue;
    next_ts = std::numeric_limits<int64_t>::max();
    // As promtool: the head pretends blocks are twice as long, so that samples anywhere in the
    // window are in bounds; that also makes chunks end at multiples of 2*bd.
    head::HeadOptions hopts;
    hopts.chunk_range = 2 * bd;
    hopts.stripes = 1024;
    head::Head h(hopts);
    auto app = h.NewAppender();
    textparse::OpenMetricsParser p(input);
    int batch = 0;
    while (true) {
      absl::StatusOr<textparse::Entry> e = p.Next();
      if (!e.ok()) return Annotate(e.status(), "process blocks: parse");
      if (*e == textparse::Entry::kEOF) break;
      if (*e != textparse::Entry::kSeries) continue;
      const textparse::Sample s = p.Series();
      const int64_t ts = *s.timestamp_ms;  // checked by MinMaxTimestamps
      if (ts < t) continue;
      if (ts >= upper) {
        next_ts = std::min(next_ts, ts);
        continue;
      }
      absl::StatusOr<labels::Labels> l = SeriesLabels(p);
      absl::StatusOr<storage::SeriesRef> ref =
          l.ok() ? app->Append(0, *l, ts, s.value) : l.status();
      if (!ref.ok()) return Annotate(ref.status(), "process blocks: add sample");
      if (++batch < kMaxSamplesInAppender) continue;
      RETURN_IF_ERROR(app->Commit());
      batch = 0;
    }
    RETURN_IF_ERROR(app->Commit());
    if (h.empty()) continue;
    absl::StatusOr<block::BlockMeta> meta = compact::CompactHead(
        env, output_dir, h, h.min_time(), h.max_time() + 1, &ulids, Clock::Real()->NowMs());
    if (!meta.ok()) return Annotate(meta.status(), "process blocks: flush");
    if (opts.quiet) continue;
    ASSIGN_OR_RETURN(std::unique_ptr<block::Block> b,
                     block::Block::Open(env, JoinPath(output_dir, meta->ulid.ToString())));
    RETURN_IF_ERROR(PrintBlocks(env, {b.get()}, !wrote_header, opts.human_readable, out));
    wrote_header = true;
  }
  return absl::OkStatus();
}

}  // namespace argus::tsdb::tools
