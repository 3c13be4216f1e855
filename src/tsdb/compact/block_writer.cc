#include "tsdb/compact/block_writer.h"

#include <algorithm>
#include <set>

#include "base/status.h"
#include "tsdb/chunkenc/xor.h"
#include "tsdb/chunks/chunks.h"
#include "tsdb/head/mem_series.h"
#include "tsdb/index/index_writer.h"
#include "tsdb/tombstones/tombstones.h"

namespace argus::tsdb::compact {
namespace {

bool NeedsRewrite(int64_t mint, int64_t maxt, const ChunkSeries& s) {
  for (size_t i = 0; i < s.chunks.size(); ++i) {
    const ChunkView& c = s.chunks[i];
    if (c.min_time < mint || c.max_time > maxt) return true;
    if (i > 0 && c.min_time <= s.chunks[i - 1].max_time) return true;
  }
  return false;
}

absl::Status WriteFiles(Env* env, const std::string& dir, block::BlockMeta* meta,
                        const std::vector<ChunkSeries>& series) {
  RETURN_IF_ERROR(env->CreateDirs(dir));
  ASSIGN_OR_RETURN(auto chunk_writer, chunks::ChunkWriter::Create(env, JoinPath(dir, "chunks")));
  // Prometheus always writes the empty string as symbol 0 (it is the all-postings key).
  std::set<std::string> symbols = {""};
  for (const ChunkSeries& s : series) {
    if (s.chunks.empty()) continue;
    for (const labels::Label& l : s.labels) {
      symbols.insert(l.name);
      symbols.insert(l.value);
    }
  }
  ASSIGN_OR_RETURN(auto index_writer, index::IndexWriter::Create(env, JoinPath(dir, "index")));
  RETURN_IF_ERROR(index_writer->AddSymbols({symbols.begin(), symbols.end()}));
  meta->stats = {};
  std::vector<index::ChunkMeta> metas;
  for (const ChunkSeries& s : series) {
    if (s.chunks.empty()) continue;
    metas.clear();
    for (const ChunkView& c : s.chunks) {
      ASSIGN_OR_RETURN(uint64_t ref, chunk_writer->Write(chunkenc::Encoding::kXor, c.data));
      metas.push_back({c.min_time, c.max_time, ref});
      meta->stats.num_samples += chunkenc::XorNumSamples(c.data);
    }
    meta->stats.num_chunks += metas.size();
    ++meta->stats.num_series;
    RETURN_IF_ERROR(index_writer->AddSeries(s.labels, metas));
  }
  RETURN_IF_ERROR(chunk_writer->Close());
  RETURN_IF_ERROR(index_writer->Close());
  RETURN_IF_ERROR(tombstones::Write(env, dir, tombstones::Tombstones()));
  RETURN_IF_ERROR(block::WriteMeta(env, dir, *meta));
  return env->SyncDir(dir);
}

}  // namespace

absl::Status NormalizeChunks(int64_t mint, int64_t maxt, ChunkSeries* s) {
  if (!NeedsRewrite(mint, maxt, *s)) return absl::OkStatus();
  auto it = NewChunkSeriesIterator(*s, mint, maxt);
  std::vector<ChunkView> out;
  std::vector<std::shared_ptr<const void>> keep;
  chunkenc::XorAppender app;
  int64_t first = 0, last = 0;
  auto flush = [&] {
    if (app.num_samples() == 0) return;
    auto bytes = std::make_shared<const std::string>(std::string(app.bytes()));
    out.push_back({first, last, *bytes});
    keep.push_back(std::move(bytes));
    app = chunkenc::XorAppender();
  };
  while (it->Next()) {
    if (app.num_samples() == head::kSamplesPerChunk) flush();
    if (app.num_samples() == 0) first = it->t();
    last = it->t();
    app.Append(it->t(), it->v());
  }
  RETURN_IF_ERROR(it->status());
  flush();
  s->chunks = std::move(out);
  s->keepalive.insert(s->keepalive.end(), keep.begin(), keep.end());
  return absl::OkStatus();
}

absl::StatusOr<block::BlockMeta> WriteBlock(Env* env, const std::string& parent_dir,
                                            block::BlockMeta meta,
                                            const std::vector<ChunkSeries>& series) {
  const std::string final_dir = JoinPath(parent_dir, meta.ulid.ToString());
  const std::string tmp = final_dir + kTmpForCreationSuffix;
  RETURN_IF_ERROR(env->RemoveAll(tmp));
  absl::Status st = WriteFiles(env, tmp, &meta, series);
  if (st.ok()) st = env->Rename(tmp, final_dir);
  if (st.ok()) st = env->SyncDir(parent_dir);
  if (!st.ok()) {
    env->RemoveAll(tmp).IgnoreError();
    return Annotate(st, "write block " + meta.ulid.ToString());
  }
  return meta;
}

}  // namespace argus::tsdb::compact
