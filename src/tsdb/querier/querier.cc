#include "tsdb/querier/querier.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
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

// One label-sorted source of series for MergeCursors.
class SeriesCursor {
 public:
  virtual ~SeriesCursor() = default;
  // The next series into `out`; false at the end.
  virtual absl::StatusOr<bool> Next(ChunkSeries* out) = 0;
};

class ListCursor : public SeriesCursor {
 public:
  explicit ListCursor(std::vector<ChunkSeries> list) : list_(std::move(list)) {}
  absl::StatusOr<bool> Next(ChunkSeries* out) override {
    if (next_ >= list_.size()) return false;
    *out = std::move(list_[next_++]);
    return true;
  }

 private:
  std::vector<ChunkSeries> list_;
  size_t next_ = 0;
};

// A block's matching series with chunks in the range, read one at a time.
class BlockCursor : public SeriesCursor {
 public:
  static absl::StatusOr<BlockCursor> Open(const block::Block& b, int64_t mint, int64_t maxt,
                                          const std::vector<labels::Matcher>& matchers) {
    ASSIGN_OR_RETURN(index::PostingsList refs, PostingsForMatchers(BlockIndex(b), matchers));
    return BlockCursor(b, std::move(refs), mint, maxt);
  }
  absl::StatusOr<bool> Next(ChunkSeries* out) override {
    while (next_ < refs_.size()) {
      absl::StatusOr<ChunkSeries> s = BlockSeries(*b_, refs_[next_++], mint_, maxt_);
      if (!s.ok()) return Annotate(s.status(), b_->dir());
      if (s->chunks.empty()) continue;
      *out = *std::move(s);
      return true;
    }
    return false;
  }

 private:
  BlockCursor(const block::Block& b, index::PostingsList refs, int64_t mint, int64_t maxt)
      : b_(&b), refs_(std::move(refs)), mint_(mint), maxt_(maxt) {}

  const block::Block* b_;
  index::PostingsList refs_;  // in label order, as a block numbers its series
  size_t next_ = 0;
  int64_t mint_, maxt_;
};

// Merges label-sorted cursors into `sink`: a series several hold becomes one, its chunks
// ordered by time (stable: earlier cursors first among equal start times).
absl::Status MergeCursors(std::vector<std::unique_ptr<SeriesCursor>> cursors,
                          const ChunkSeriesSink& sink) {
  struct Head {
    std::unique_ptr<SeriesCursor> cursor;
    ChunkSeries series;
  };
  std::vector<Head> heads;
  for (auto& c : cursors) {
    Head h{std::move(c), {}};
    ASSIGN_OR_RETURN(bool any, h.cursor->Next(&h.series));
    if (any) heads.push_back(std::move(h));
  }
  while (!heads.empty()) {
    // The smallest label set among the heads (few cursors: a linear scan).
    size_t min = 0;
    for (size_t i = 1; i < heads.size(); ++i) {
      if (labels::Compare(heads[i].series.labels, heads[min].series.labels) < 0) min = i;
    }
    // Every head holding that series, in cursor order.
    absl::InlinedVector<size_t, 8> same;
    for (size_t i = 0; i < heads.size(); ++i) {
      if (i == min || heads[i].series.labels == heads[min].series.labels) same.push_back(i);
    }
    ChunkSeries merged = std::move(heads[same[0]].series);
    for (size_t k = 1; k < same.size(); ++k) {
      ChunkSeries& s = heads[same[k]].series;
      merged.chunks.insert(merged.chunks.end(), s.chunks.begin(), s.chunks.end());
      merged.keepalive.insert(merged.keepalive.end(), s.keepalive.begin(), s.keepalive.end());
    }
    if (same.size() > 1) {
      std::stable_sort(
          merged.chunks.begin(), merged.chunks.end(),
          [](const ChunkView& a, const ChunkView& b) { return a.min_time < b.min_time; });
    }
    // Those heads move on; exhausted ones go (back to front, so the indexes hold).
    for (auto i = same.rbegin(); i != same.rend(); ++i) {
      Head& h = heads[*i];
      h.series = ChunkSeries();
      ASSIGN_OR_RETURN(bool more, h.cursor->Next(&h.series));
      if (!more) heads.erase(heads.begin() + static_cast<std::ptrdiff_t>(*i));
    }
    RETURN_IF_ERROR(sink(std::move(merged)));
  }
  return absl::OkStatus();
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
  ASSIGN_OR_RETURN(BlockCursor cursor, BlockCursor::Open(b, mint, maxt, matchers));
  std::vector<ChunkSeries> out;
  ChunkSeries s;
  while (true) {
    ASSIGN_OR_RETURN(bool more, cursor.Next(&s));
    if (!more) break;
    out.push_back(std::move(s));
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
  std::vector<std::unique_ptr<SeriesCursor>> cursors;
  for (auto& list : sources) cursors.push_back(std::make_unique<ListCursor>(std::move(list)));
  std::vector<ChunkSeries> out;
  MergeCursors(std::move(cursors), AppendTo(&out)).IgnoreError();  // lists cannot fail
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

absl::Status TsdbQuerier::StreamChunks(int64_t mint, int64_t maxt,
                                       const std::vector<labels::Matcher>& matchers,
                                       const ChunkSeriesSink& sink) const {
  mint = std::max(mint, mint_);
  maxt = std::min(maxt, maxt_);
  if (mint > maxt) return absl::OkStatus();
  std::vector<std::unique_ptr<SeriesCursor>> cursors;
  for (const auto& b : blocks_) {
    // A block covers [min_time, max_time).
    if (b->meta().min_time > maxt || b->meta().max_time <= mint) continue;
    ASSIGN_OR_RETURN(BlockCursor c, BlockCursor::Open(*b, mint, maxt, matchers));
    cursors.push_back(std::make_unique<BlockCursor>(std::move(c)));
  }
  if (head_ != nullptr && !head_->empty() && head_->min_time() <= maxt &&
      head_->max_time() >= mint) {
    ASSIGN_OR_RETURN(auto s, SelectHead(*head_, mint, maxt, matchers));
    cursors.push_back(std::make_unique<ListCursor>(std::move(s)));
  }
  return MergeCursors(std::move(cursors), sink);
}

absl::StatusOr<std::vector<ChunkSeries>> TsdbQuerier::SelectChunks(
    int64_t mint, int64_t maxt, const std::vector<labels::Matcher>& matchers) const {
  std::vector<ChunkSeries> out;
  RETURN_IF_ERROR(StreamChunks(mint, maxt, matchers, AppendTo(&out)));
  return out;
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
