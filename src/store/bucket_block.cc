#include "store/bucket_block.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/status.h"

namespace argus::store {
namespace {

namespace index = tsdb::index;

std::vector<std::string> SortedUnique(std::vector<std::string> v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}

}  // namespace

absl::StatusOr<std::shared_ptr<BucketBlock>> BucketBlock::Open(
    Env* env, objstore::Bucket& bucket, block::Meta meta, const std::string& dir, IndexCache* cache,
    const BlockMetrics* metrics, bool* header_rebuilt) {
  const std::string id = meta.prom.ulid.ToString();
  RETURN_IF_ERROR(env->CreateDirs(dir));
  absl::StatusOr<std::unique_ptr<IndexHeader>> header = IndexHeader::Open(
      env, bucket, absl::StrCat(id, "/index"), JoinPath(dir, kIndexHeaderFilename), header_rebuilt);
  if (!header.ok()) return Annotate(header.status(), absl::StrCat("block ", id));
  absl::StatusOr<BlockChunks> chunks = BlockChunks::Open(bucket, meta);
  if (!chunks.ok()) return Annotate(chunks.status(), absl::StrCat("block ", id));
  BlockIndex index(bucket, id, **header, cache);
  return std::shared_ptr<BucketBlock>(
      new BucketBlock(std::move(meta), *std::move(header), index, *std::move(chunks), metrics));
}

BucketBlock::BucketBlock(block::Meta meta, std::unique_ptr<IndexHeader> header, BlockIndex index,
                         BlockChunks chunks, const BlockMetrics* metrics)
    : meta_(std::move(meta)),
      header_(std::move(header)),
      index_(std::move(index)),
      chunks_(std::move(chunks)),
      metrics_(metrics) {}

void BucketBlock::Record(const FetchCount* counts) {
  for (int t = 0; t < kNumDataTypes; ++t) {
    fetched_[t].fetch_add(counts[t].bytes);
    if (metrics_ != nullptr && metrics_->fetched_bytes[t] != nullptr && counts[t].requests > 0) {
      metrics_->fetched_bytes[t]->Observe(static_cast<double>(counts[t].bytes));
    }
  }
}

absl::StatusOr<std::vector<index::SeriesEntry>> BucketBlock::MatchingSeries(
    int64_t mint, int64_t maxt, const std::vector<labels::Matcher>& matchers,
    storeapi::QueryBudget* budget, FetchCount* counts) const {
  ASSIGN_OR_RETURN(
      index::PostingsList refs,
      index_.Postings(matchers, budget, &counts[static_cast<int>(DataType::kPostings)]));
  ASSIGN_OR_RETURN(std::vector<index::SeriesEntry> series,
                   index_.Series(refs, budget, &counts[static_cast<int>(DataType::kSeries)]));
  std::vector<index::SeriesEntry> out;
  for (index::SeriesEntry& e : series) {
    std::erase_if(e.chunks, [&](const index::ChunkMeta& c) {
      return c.max_time < mint || c.min_time > maxt;
    });
    if (!e.chunks.empty()) out.push_back(std::move(e));
  }
  return out;  // refs ascend in label order
}

absl::StatusOr<std::vector<tsdb::ChunkSeries>> BucketBlock::Select(
    const storeapi::SelectParams& params, storeapi::QueryBudget* budget) {
  FetchCount counts[kNumDataTypes];
  absl::StatusOr<std::vector<tsdb::ChunkSeries>> out =
      [&]() -> absl::StatusOr<std::vector<tsdb::ChunkSeries>> {
    ASSIGN_OR_RETURN(
        std::vector<index::SeriesEntry> series,
        MatchingSeries(params.min_time, params.max_time, params.matchers, budget, counts));
    RETURN_IF_ERROR(budget->AddSeries(series.size()));
    std::vector<uint64_t> refs;
    if (!params.skip_chunks) {
      for (const index::SeriesEntry& e : series) {
        for (const index::ChunkMeta& c : e.chunks) refs.push_back(c.ref);
      }
    }
    ASSIGN_OR_RETURN(std::vector<FetchedChunk> chunks,
                     chunks_.Fetch(refs, budget, &counts[static_cast<int>(DataType::kChunks)]));
    std::vector<tsdb::ChunkSeries> result(series.size());
    size_t next = 0;
    for (size_t i = 0; i < series.size(); ++i) {
      tsdb::ChunkSeries& s = result[i];
      s.labels = std::move(series[i].labels);
      if (params.skip_chunks) continue;
      uint64_t samples = 0;
      for (const index::ChunkMeta& c : series[i].chunks) {
        FetchedChunk& f = chunks[next++];
        s.chunks.push_back({c.min_time, c.max_time, f.data});
        if (s.keepalive.empty() || s.keepalive.back() != f.owner) s.keepalive.push_back(f.owner);
        samples += storeapi::ChunkSamples(f.data);
      }
      RETURN_IF_ERROR(budget->AddSamples(samples));
    }
    return result;
  }();
  Record(counts);
  return out;
}

absl::StatusOr<std::vector<index::SeriesEntry>> BucketBlock::SeriesForLabels(
    int64_t min_time, int64_t max_time, const std::vector<labels::Matcher>& matchers) {
  storeapi::QueryBudget budget(storeapi::Limits{});  // label calls have no limits
  FetchCount counts[kNumDataTypes];
  absl::StatusOr<std::vector<index::SeriesEntry>> series =
      MatchingSeries(min_time, max_time, matchers, &budget, counts);
  Record(counts);
  return series;
}

absl::StatusOr<std::vector<std::string>> BucketBlock::LabelNames(
    int64_t min_time, int64_t max_time, const std::vector<labels::Matcher>& matchers) {
  if (matchers.empty()) return header_->LabelNames();
  ASSIGN_OR_RETURN(std::vector<index::SeriesEntry> series,
                   SeriesForLabels(min_time, max_time, matchers));
  std::vector<std::string> out;
  for (const index::SeriesEntry& e : series) {
    for (const labels::Label& l : e.labels) out.push_back(l.name);
  }
  return SortedUnique(std::move(out));
}

absl::StatusOr<std::vector<std::string>> BucketBlock::LabelValues(
    const std::string& name, int64_t min_time, int64_t max_time,
    const std::vector<labels::Matcher>& matchers) {
  if (matchers.empty()) return header_->LabelValues(name);
  ASSIGN_OR_RETURN(std::vector<index::SeriesEntry> series,
                   SeriesForLabels(min_time, max_time, matchers));
  std::vector<std::string> out;
  for (const index::SeriesEntry& e : series) {
    if (absl::string_view v = e.labels.Get(name); !v.empty()) out.emplace_back(v);
  }
  return SortedUnique(std::move(out));
}

}  // namespace argus::store
