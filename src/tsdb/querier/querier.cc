#include "tsdb/querier/querier.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "base/status.h"

namespace argus::tsdb {
namespace {

class BlockIndex : public IndexView {
 public:
  explicit BlockIndex(const block::Block& b) : b_(b) {}
  absl::StatusOr<index::PostingsList> Postings(absl::string_view name,
                                               absl::string_view value) const override {
    return b_.index().Postings(name, value);
  }
  absl::StatusOr<index::PostingsList> AllPostings() const override {
    return b_.index().AllPostings();
  }
  std::vector<std::string> LabelValues(absl::string_view name) const override {
    return b_.index().LabelValues(name);
  }
  std::vector<std::string> LabelNames() const override { return b_.index().LabelNames(); }
  absl::StatusOr<labels::Labels> SeriesLabels(uint64_t ref) const override {
    ASSIGN_OR_RETURN(index::SeriesEntry e, b_.index().Series(ref));
    return std::move(e.labels);
  }

 private:
  const block::Block& b_;
};

class HeadIndex : public IndexView {
 public:
  explicit HeadIndex(const head::Head& h) : h_(h) {}
  absl::StatusOr<index::PostingsList> Postings(absl::string_view name,
                                               absl::string_view value) const override {
    return h_.Postings(name, value);
  }
  absl::StatusOr<index::PostingsList> AllPostings() const override { return h_.AllPostings(); }
  std::vector<std::string> LabelValues(absl::string_view name) const override {
    return h_.LabelValues(name);
  }
  std::vector<std::string> LabelNames() const override { return h_.LabelNames(); }
  absl::StatusOr<labels::Labels> SeriesLabels(uint64_t ref) const override {
    labels::Labels l;
    // A series garbage-collected since its postings were read has no samples left to match.
    if (!h_.SeriesLabels(ref, &l)) return labels::Labels();
    return l;
  }

 private:
  const head::Head& h_;
};

// Series refs carrying a value of `m.name()` that `m` accepts (or, with `invert`, rejects).
absl::StatusOr<index::PostingsList> PostingsForMatcher(const IndexView& ix,
                                                       const labels::Matcher& m, bool invert) {
  std::vector<index::PostingsList> lists;
  if (!invert && !m.SetMatches().empty()) {
    for (const std::string& v : m.SetMatches()) {
      ASSIGN_OR_RETURN(index::PostingsList p, ix.Postings(m.name(), v));
      lists.push_back(std::move(p));
    }
    return index::Merge(std::move(lists));
  }
  for (const std::string& v : ix.LabelValues(m.name())) {
    if (m.Matches(v) == invert) continue;
    ASSIGN_OR_RETURN(index::PostingsList p, ix.Postings(m.name(), v));
    lists.push_back(std::move(p));
  }
  return index::Merge(std::move(lists));
}

bool IsNegative(const labels::Matcher& m) {
  return m.type() == labels::MatchType::kNotEqual || m.type() == labels::MatchType::kRegexNoMatch;
}

// Reads the in-range chunks of one block series.
absl::StatusOr<ChunkSeries> BlockSeries(const block::Block& b, uint64_t ref, int64_t mint,
                                        int64_t maxt) {
  ASSIGN_OR_RETURN(index::SeriesEntry e, b.index().Series(ref));
  ChunkSeries s;
  s.labels = std::move(e.labels);
  for (const index::ChunkMeta& cm : e.chunks) {
    if (cm.max_time < mint || cm.min_time > maxt) continue;
    ASSIGN_OR_RETURN(chunks::ChunkData c, b.chunks().Read(cm.ref));
    if (c.encoding != chunkenc::Encoding::kXor) {
      return absl::UnimplementedError(
          absl::StrCat("series ", s.labels.ToString(), " has a chunk of encoding ",
                       static_cast<int>(c.encoding), " (native histograms are not supported)"));
    }
    s.chunks.push_back({cm.min_time, cm.max_time, c.data});
  }
  if (const auto* deleted = b.tombstones().Get(ref); deleted != nullptr) {
    RETURN_IF_ERROR(RemoveDeleted(*deleted, &s));
  }
  return s;
}

class ListSeriesSet : public storage::SeriesSet {
 public:
  ListSeriesSet(std::vector<ChunkSeries> series, int64_t mint, int64_t maxt)
      : series_(std::move(series)), mint_(mint), maxt_(maxt) {}
  explicit ListSeriesSet(absl::Status error) : status_(std::move(error)) {}

  bool Next() override {
    if (next_ >= series_.size()) return false;
    cur_ = std::make_unique<ChunkBackedSeries>(std::move(series_[next_++]), mint_, maxt_);
    return true;
  }
  const storage::Series& At() const override { return *cur_; }
  absl::Status status() const override { return status_; }

 private:
  std::vector<ChunkSeries> series_;
  int64_t mint_ = 0, maxt_ = 0;
  size_t next_ = 0;
  std::unique_ptr<ChunkBackedSeries> cur_;
  absl::Status status_;
};

void SortByLabels(std::vector<ChunkSeries>* v) {
  std::sort(v->begin(), v->end(), [](const ChunkSeries& a, const ChunkSeries& b) {
    return labels::Compare(a.labels, b.labels) < 0;
  });
}

}  // namespace

std::unique_ptr<IndexView> BlockIndexView(const block::Block& b) {
  return std::make_unique<BlockIndex>(b);
}
std::unique_ptr<IndexView> HeadIndexView(const head::Head& h) {
  return std::make_unique<HeadIndex>(h);
}

absl::StatusOr<index::PostingsList> PostingsForMatchers(
    const IndexView& ix, const std::vector<labels::Matcher>& matchers) {
  if (matchers.empty()) return ix.AllPostings();
  // A label that some matcher requires to be non-empty.
  absl::flat_hash_set<std::string> must_be_set;
  for (const labels::Matcher& m : matchers) {
    if (!m.Matches("")) must_be_set.insert(m.name());
  }
  std::vector<index::PostingsList> its, not_its;
  for (const labels::Matcher& m : matchers) {
    if (must_be_set.contains(m.name())) {
      const bool matches_empty = m.Matches("");
      if (IsNegative(m) && matches_empty) {  // l!="foo": subtract the series with l="foo"
        ASSIGN_OR_RETURN(index::PostingsList p, PostingsForMatcher(ix, m.Inverse(), false));
        not_its.push_back(std::move(p));
      } else if (IsNegative(m)) {  // l!="": the series whose l is a value the inverse rejects
        ASSIGN_OR_RETURN(index::PostingsList p, PostingsForMatcher(ix, m.Inverse(), true));
        its.push_back(std::move(p));
      } else {  // l="a"
        ASSIGN_OR_RETURN(index::PostingsList p, PostingsForMatcher(ix, m, false));
        its.push_back(std::move(p));
      }
    } else {
      // Matches "": it selects series without the label too, so subtract those with a value
      // it rejects.
      ASSIGN_OR_RETURN(index::PostingsList p, PostingsForMatcher(ix, m, true));
      not_its.push_back(std::move(p));
    }
  }
  if (its.empty() && !not_its.empty()) {
    ASSIGN_OR_RETURN(index::PostingsList all, ix.AllPostings());
    its.push_back(std::move(all));
  }
  index::PostingsList out = index::Intersect(std::move(its));
  if (!not_its.empty()) out = index::Without(out, index::Merge(std::move(not_its)));
  return out;
}

absl::StatusOr<std::vector<ChunkSeries>> SelectBlock(const block::Block& b, int64_t mint,
                                                     int64_t maxt,
                                                     const std::vector<labels::Matcher>& matchers) {
  BlockIndex ix(b);
  ASSIGN_OR_RETURN(index::PostingsList refs, PostingsForMatchers(ix, matchers));
  std::vector<ChunkSeries> out;
  for (uint64_t ref : refs) {
    absl::StatusOr<ChunkSeries> s = BlockSeries(b, ref, mint, maxt);
    if (!s.ok()) return Annotate(s.status(), b.dir());
    if (!s->chunks.empty()) out.push_back(*std::move(s));
  }
  return out;  // block series refs are in label order already
}

absl::StatusOr<std::vector<ChunkSeries>> SelectHead(const head::Head& h, int64_t mint, int64_t maxt,
                                                    const std::vector<labels::Matcher>& matchers) {
  HeadIndex ix(h);
  std::vector<ChunkSeries> out;
  absl::Status status;
  h.WithConsistentView([&] {
    absl::StatusOr<index::PostingsList> refs = PostingsForMatchers(ix, matchers);
    if (!refs.ok()) {
      status = refs.status();
      return;
    }
    std::vector<tombstones::Interval> deleted;
    for (uint64_t ref : *refs) {
      ChunkSeries s;
      deleted.clear();
      if (!h.SeriesChunks(ref, mint, maxt, &s, &deleted)) continue;
      if (status = RemoveDeleted(deleted, &s); !status.ok()) return;
      if (!s.chunks.empty()) out.push_back(std::move(s));
    }
  });
  RETURN_IF_ERROR(status);
  SortByLabels(&out);
  return out;
}

std::vector<ChunkSeries> MergeChunkSeries(std::vector<std::vector<ChunkSeries>> sources) {
  sources.erase(
      std::remove_if(sources.begin(), sources.end(), [](const auto& s) { return s.empty(); }),
      sources.end());
  if (sources.empty()) return {};
  if (sources.size() == 1) return std::move(sources[0]);
  std::vector<ChunkSeries> out;
  std::vector<size_t> pos(sources.size(), 0);
  while (true) {
    // The smallest label set among the heads of the lists (few sources: a linear scan).
    const labels::Labels* min = nullptr;
    for (size_t i = 0; i < sources.size(); ++i) {
      if (pos[i] >= sources[i].size()) continue;
      const labels::Labels& l = sources[i][pos[i]].labels;
      if (min == nullptr || labels::Compare(l, *min) < 0) min = &l;
    }
    if (min == nullptr) break;
    ChunkSeries merged;
    merged.labels = *min;
    for (size_t i = 0; i < sources.size(); ++i) {
      if (pos[i] >= sources[i].size() || !(sources[i][pos[i]].labels == merged.labels)) continue;
      ChunkSeries& s = sources[i][pos[i]++];
      merged.chunks.insert(merged.chunks.end(), s.chunks.begin(), s.chunks.end());
      merged.keepalive.insert(merged.keepalive.end(), s.keepalive.begin(), s.keepalive.end());
    }
    std::stable_sort(
        merged.chunks.begin(), merged.chunks.end(),
        [](const ChunkView& a, const ChunkView& b) { return a.min_time < b.min_time; });
    out.push_back(std::move(merged));
  }
  return out;
}

std::vector<std::unique_ptr<IndexView>> TsdbQuerier::Indexes() const {
  std::vector<std::unique_ptr<IndexView>> out;
  for (const auto& b : blocks_) {
    if (b->meta().min_time <= maxt_ && b->meta().max_time > mint_)
      out.push_back(BlockIndexView(*b));
  }
  if (head_ != nullptr) out.push_back(HeadIndexView(*head_));
  return out;
}

absl::StatusOr<std::vector<ChunkSeries>> TsdbQuerier::SelectChunks(
    int64_t mint, int64_t maxt, const std::vector<labels::Matcher>& matchers) const {
  mint = std::max(mint, mint_);
  maxt = std::min(maxt, maxt_);
  std::vector<std::vector<ChunkSeries>> sources;
  if (mint > maxt) return std::vector<ChunkSeries>();
  for (const auto& b : blocks_) {
    // A block covers [min_time, max_time).
    if (b->meta().min_time > maxt || b->meta().max_time <= mint) continue;
    ASSIGN_OR_RETURN(auto s, SelectBlock(*b, mint, maxt, matchers));
    sources.push_back(std::move(s));
  }
  if (head_ != nullptr && !head_->empty() && head_->min_time() <= maxt &&
      head_->max_time() >= mint) {
    ASSIGN_OR_RETURN(auto s, SelectHead(*head_, mint, maxt, matchers));
    sources.push_back(std::move(s));
  }
  return MergeChunkSeries(std::move(sources));
}

std::unique_ptr<storage::SeriesSet> TsdbQuerier::Select(
    bool, const storage::SelectHints& hints, const std::vector<labels::Matcher>& matchers) {
  const int64_t mint = std::max(hints.start, mint_), maxt = std::min(hints.end, maxt_);
  absl::StatusOr<std::vector<ChunkSeries>> s = SelectChunks(mint, maxt, matchers);
  if (!s.ok()) return std::make_unique<ListSeriesSet>(s.status());
  return std::make_unique<ListSeriesSet>(*std::move(s), mint, maxt);
}

absl::StatusOr<std::vector<std::string>> TsdbQuerier::LabelValues(
    const std::string& name, const std::vector<labels::Matcher>& matchers) {
  absl::flat_hash_set<std::string> values;
  for (const auto& ix : Indexes()) {
    if (matchers.empty()) {
      for (std::string& v : ix->LabelValues(name)) values.insert(std::move(v));
      continue;
    }
    ASSIGN_OR_RETURN(index::PostingsList refs, PostingsForMatchers(*ix, matchers));
    for (uint64_t ref : refs) {
      ASSIGN_OR_RETURN(labels::Labels l, ix->SeriesLabels(ref));
      if (absl::string_view v = l.Get(name); !v.empty()) values.emplace(v);
    }
  }
  std::vector<std::string> out(values.begin(), values.end());
  std::sort(out.begin(), out.end());
  return out;
}

absl::StatusOr<std::vector<std::string>> TsdbQuerier::LabelNames(
    const std::vector<labels::Matcher>& matchers) {
  absl::flat_hash_set<std::string> names;
  for (const auto& ix : Indexes()) {
    if (matchers.empty()) {
      for (std::string& n : ix->LabelNames()) names.insert(std::move(n));
      continue;
    }
    ASSIGN_OR_RETURN(index::PostingsList refs, PostingsForMatchers(*ix, matchers));
    for (uint64_t ref : refs) {
      ASSIGN_OR_RETURN(labels::Labels l, ix->SeriesLabels(ref));
      for (const labels::Label& x : l) names.insert(x.name);
    }
  }
  std::vector<std::string> out(names.begin(), names.end());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace argus::tsdb
