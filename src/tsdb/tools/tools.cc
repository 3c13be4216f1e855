#include "tsdb/tools/tools.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/go_strconv.h"
#include "base/status.h"
#include "tsdb/chunkenc/xor.h"

namespace argus::tsdb::tools {
namespace {

uint64_t DirSize(const std::string& dir) {
  uint64_t n = 0;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (it->is_regular_file(ec)) n += it->file_size(ec);
  }
  return n;
}

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

struct SeriesSource {
  const block::Block* block;
  std::vector<index::ChunkMeta> chunks;
  const std::vector<tombstones::Interval>* deleted;  // nullptr: nothing deleted
};

struct LabelsLess {
  bool operator()(const labels::Labels& a, const labels::Labels& b) const {
    return labels::Compare(a, b) < 0;
  }
};

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

absl::Status ListBlocks(Env* env, const std::string& data_dir, bool human, std::ostream& out) {
  ASSIGN_OR_RETURN(auto blocks, OpenBlocks(env, data_dir));
  std::vector<std::vector<std::string>> rows = {{"BLOCK ULID", "MIN TIME", "MAX TIME", "DURATION",
                                                 "NUM SAMPLES", "NUM CHUNKS", "NUM SERIES",
                                                 "SIZE"}};
  for (const auto& b : blocks) {
    const block::BlockMeta& m = b->meta();
    const uint64_t size = DirSize(b->dir());
    rows.push_back({m.ulid.ToString(), absl::StrCat(m.min_time), absl::StrCat(m.max_time),
                    GoDurationString(m.max_time - m.min_time), absl::StrCat(m.stats.num_samples),
                    absl::StrCat(m.stats.num_chunks), absl::StrCat(m.stats.num_series),
                    human ? HumanBytes(size) : absl::StrCat(size)});
  }
  // promtool's tabwriter (minwidth 13, padding 2): every column as wide as its widest cell plus
  // two spaces and at least 13, except the last, which is not padded.
  std::vector<size_t> width(rows[0].size(), 0);
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

absl::Status DumpSamples(Env* env, const std::string& data_dir, int64_t min_time, int64_t max_time,
                         std::ostream& out) {
  ASSIGN_OR_RETURN(auto blocks, OpenBlocks(env, data_dir));
  // A series present in several blocks is merged: blocks in time order, duplicates of one
  // timestamp kept once (the first block's), as Prometheus's merging querier does.
  std::map<labels::Labels, std::vector<SeriesSource>, LabelsLess> series;
  for (const auto& b : blocks) {
    if (b->meta().max_time <= min_time || b->meta().min_time > max_time) continue;
    ASSIGN_OR_RETURN(std::vector<uint64_t> refs, b->index().AllPostings());
    for (uint64_t ref : refs) {
      ASSIGN_OR_RETURN(index::SeriesEntry e, b->index().Series(ref));
      series[std::move(e.labels)].push_back(
          {b.get(), std::move(e.chunks), b->tombstones().Get(ref)});
    }
  }
  std::vector<std::pair<int64_t, double>> samples;
  for (const auto& [lset, sources] : series) {
    samples.clear();
    for (const SeriesSource& src : sources) {
      for (const index::ChunkMeta& cm : src.chunks) {
        if (cm.max_time < min_time || cm.min_time > max_time) continue;
        ASSIGN_OR_RETURN(chunks::ChunkData c, src.block->chunks().Read(cm.ref));
        if (c.encoding != chunkenc::Encoding::kXor) {
          return absl::UnimplementedError(absl::StrCat(
              src.block->dir(), ": series ", lset.ToString(), " has a chunk of encoding ",
              static_cast<int>(c.encoding), " (native histograms are not supported yet)"));
        }
        chunkenc::XorIterator it(c.data);
        while (it.Next()) {
          if (it.t() < min_time || it.t() > max_time) continue;
          if (src.deleted != nullptr && tombstones::IsDeleted(*src.deleted, it.t())) continue;
          samples.emplace_back(it.t(), it.v());
        }
        if (absl::Status s = it.status(); !s.ok()) {
          return Annotate(s, absl::StrCat(src.block->dir(), ": series ", lset.ToString()));
        }
      }
    }
    std::stable_sort(samples.begin(), samples.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    const std::string name = lset.ToString();
    int64_t last = 0;
    for (size_t i = 0; i < samples.size(); ++i) {
      if (i > 0 && samples[i].first == last) continue;
      last = samples[i].first;
      out << name << ' ' << GoFormatG(samples[i].second) << ' ' << samples[i].first << '\n';
    }
  }
  return absl::OkStatus();
}

}  // namespace argus::tsdb::tools
