#include "tsdb/tools/tools.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/go_strconv.h"
#include "base/status.h"
#include "tsdb/db/wal_replay.h"
#include "tsdb/querier/querier.h"

namespace argus::tsdb::tools {
namespace {

// Go's units.Base2Bytes String, as promtool prints sizes with -r.
std::string HumanBytes(uint64_t n) {
  static const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  return u == 0 ? absl::StrCat(n, "B")
                : absl::StrCat(GoFormatG(std::round(v * 10) / 10), kUnits[u]);
}

}  // namespace

absl::StatusOr<std::vector<std::unique_ptr<block::Block>>> OpenBlocks(Env* env,
                                                                      const std::string& data_dir) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, env->ListDir(data_dir));
  std::vector<std::unique_ptr<block::Block>> blocks;
  for (const std::string& name : names) {
    const std::string dir = JoinPath(data_dir, name);
    if (!Ulid::Parse(name).ok() || !env->FileExists(JoinPath(dir, block::kMetaFilename))) continue;
    absl::StatusOr<std::unique_ptr<block::Block>> b = block::Block::Open(env, dir);
    if (!b.ok()) return Annotate(b.status(), dir);
    blocks.push_back(*std::move(b));
  }
  std::sort(blocks.begin(), blocks.end(),
            [](const auto& a, const auto& b) { return a->meta().min_time < b->meta().min_time; });
  return blocks;
}

std::string GoDurationString(int64_t ms) {
  if (ms == 0) return "0s";
  std::string sign = ms < 0 ? "-" : "";
  uint64_t d = ms < 0 ? static_cast<uint64_t>(-(ms + 1)) + 1 : static_cast<uint64_t>(ms);
  if (d < 1000) return absl::StrCat(sign, d, "ms");
  const uint64_t h = d / 3600000, m = d / 60000 % 60, s = d / 1000 % 60, frac = d % 1000;
  std::string out = sign;
  if (h > 0) absl::StrAppend(&out, h, "h");
  if (h > 0 || m > 0) absl::StrAppend(&out, m, "m");
  absl::StrAppend(&out, s);
  if (frac > 0) {
    std::string f = absl::StrFormat("%03d", frac);
    while (f.back() == '0') f.pop_back();
    absl::StrAppend(&out, ".", f);
  }
  out += "s";
  return out;
}

absl::Status PrintBlocks(Env* env, const std::vector<const block::Block*>& blocks, bool header,
                         bool human, std::ostream& out) {
  std::vector<std::vector<std::string>> rows;
  if (header) {
    rows.push_back({"BLOCK ULID", "MIN TIME", "MAX TIME", "DURATION", "NUM SAMPLES", "NUM CHUNKS",
                    "NUM SERIES", "SIZE"});
  }
  for (const block::Block* b : blocks) {
    const block::BlockMeta& m = b->meta();
    ASSIGN_OR_RETURN(const uint64_t size, DirectorySize(env, b->dir()));
    rows.push_back({m.ulid.ToString(), absl::StrCat(m.min_time), absl::StrCat(m.max_time),
                    GoDurationString(m.max_time - m.min_time), absl::StrCat(m.stats.num_samples),
                    absl::StrCat(m.stats.num_chunks), absl::StrCat(m.stats.num_series),
                    human ? HumanBytes(size) : absl::StrCat(size)});
  }
  // promtool's tabwriter (minwidth 13, padding 2): every column as wide as its widest cell plus
  // two spaces and at least 13, except the last, which is not padded. Each call is its own
  // table, as each printBlocks call in promtool is.
  std::vector<size_t> width(8, 0);
  for (const auto& r : rows) {
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], r[i].size() + 2);
  }
  for (const auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      line += r[i];
      if (i + 1 < r.size()) line.append(std::max<size_t>(width[i], 13) - r[i].size(), ' ');
    }
    out << line << "\n";
  }
  return absl::OkStatus();
}

absl::Status ListBlocks(Env* env, const std::string& data_dir, bool human, std::ostream& out) {
  ASSIGN_OR_RETURN(auto blocks, OpenBlocks(env, data_dir));
  std::vector<const block::Block*> views;
  for (const auto& b : blocks) views.push_back(b.get());
  return PrintBlocks(env, views, /*header=*/true, human, out);
}

absl::Status DumpSamples(Env* env, const std::string& data_dir, int64_t min_time, int64_t max_time,
                         const std::vector<labels::Matcher>& matchers, std::ostream& out) {
  ASSIGN_OR_RETURN(auto opened, OpenBlocks(env, data_dir));
  std::vector<std::shared_ptr<block::Block>> blocks;
  for (auto& b : opened) blocks.push_back(std::move(b));
  // The head, as promtool's read-only DB rebuilds it from the WAL.
  head::Head h({});
  RETURN_IF_ERROR(ReplayWal(env, JoinPath(data_dir, "wal"), &h, /*repair=*/false).status());
  TsdbQuerier q(std::move(blocks), &h, min_time, max_time);
  std::unique_ptr<storage::SeriesSet> set = q.Select(true, {}, matchers);
  while (set->Next()) {
    const std::string name = set->At().labels().ToString();
    std::unique_ptr<storage::SampleIterator> it = set->At().Iterator();
    while (it->Next()) out << name << ' ' << GoFormatG(it->v()) << ' ' << it->t() << '\n';
    if (absl::Status st = it->status(); !st.ok()) return Annotate(st, name);
  }
  return set->status();
}

}  // namespace argus::tsdb::tools
