#include "store/testing/store_testutil.h"

#include <algorithm>
#include <limits>
#include <random>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "base/env.h"
#include "base/status.h"
#include "base/ulid.h"
#include "block/metadata.h"
#include "tsdb/block/meta.h"
#include "tsdb/chunkenc/xor.h"
#include "tsdb/chunks/chunks.h"
#include "tsdb/index/index_writer.h"
#include "tsdb/tools/backfill.h"
#include "util/process.h"

namespace argus::store::testing {

std::string OpenMetrics(int series, int hours, int step_s, size_t big_value_len) {
  constexpr int64_t kStart = 1700000000;
  std::string om = "# TYPE m gauge\n";
  const std::string big(big_value_len, 'b');
  for (int64_t t = kStart; t < kStart + hours * 3600; t += step_s) {
    for (int i = 0; i < series; ++i) {
      absl::StrAppend(&om, "m{job=\"", i % 3 == 0 ? "api" : "db", "\",instance=\"host", i % 10,
                      "\",i=\"", i, "\"", i % 2 == 0 ? ",opt=\"x\"" : "", "} ", (t * 7 + i) % 1000,
                      " ", t, "\n");
    }
  }
  if (big_value_len > 0) {
    om += "# TYPE big gauge\n";
    for (int64_t t = kStart; t < kStart + hours * 3600; t += step_s) {
      absl::StrAppend(&om, "big{v=\"", big, "\"} 1 ", t, "\n");
    }
  }
  return om + "# EOF\n";
}

absl::StatusOr<std::vector<std::string>> MakeBlocks(const std::string& dir, const std::string& om,
                                                    bool promtool) {
  Env* env = Env::Default();
  RETURN_IF_ERROR(env->CreateDirs(dir));
  if (promtool) {
    const std::string in = JoinPath(dir, "in.om");
    RETURN_IF_ERROR(WriteFileAtomically(env, in, om));
    ::argus::testing::CommandResult r = ::argus::testing::RunCommand(
        {"promtool", "tsdb", "create-blocks-from", "openmetrics", in, dir});
    if (r.exit_code != 0) return absl::InternalError(r.output);
  } else {
    std::ostringstream out;
    RETURN_IF_ERROR(tsdb::tools::CreateBlocksFromOpenMetrics(env, om, dir, {.quiet = true}, out));
  }
  ASSIGN_OR_RETURN(std::vector<std::string> names, env->ListDir(dir));
  std::erase_if(names, [](const std::string& n) { return !Ulid::Parse(n).ok(); });
  std::sort(names.begin(), names.end());
  return names;
}

absl::StatusOr<std::string> MakeBlockWithLongEntries(const std::string& dir) {
  Env* env = Env::Default();
  tsdb::block::BlockMeta meta;
  meta.ulid = UlidGenerator(7).Next(1700000000000);
  const std::string block = JoinPath(dir, meta.ulid.ToString());
  ASSIGN_OR_RETURN(std::unique_ptr<tsdb::chunks::ChunkWriter> cw,
                   tsdb::chunks::ChunkWriter::Create(env, JoinPath(block, "chunks")));
  std::mt19937_64 rng(1);
  std::vector<tsdb::index::ChunkMeta> a, b;
  tsdb::chunkenc::XorAppender big;
  for (int i = 0; i < 4000; ++i) big.Append(i * 1000, std::uniform_real_distribution<>(0, 1)(rng));
  ASSIGN_OR_RETURN(uint64_t ref, cw->Write(tsdb::chunkenc::Encoding::kXor, big.bytes()));
  a.push_back({0, 3999 * 1000, ref});
  for (int i = 0; i < 20000; ++i) {
    tsdb::chunkenc::XorAppender one;
    one.Append(i * 1000, i);
    ASSIGN_OR_RETURN(ref, cw->Write(tsdb::chunkenc::Encoding::kXor, one.bytes()));
    b.push_back({i * 1000, i * 1000, ref});
  }
  RETURN_IF_ERROR(cw->Close());
  ASSIGN_OR_RETURN(std::unique_ptr<tsdb::index::IndexWriter> iw,
                   tsdb::index::IndexWriter::Create(env, JoinPath(block, "index")));
  RETURN_IF_ERROR(iw->AddSymbols({"", "__name__", "a", "b"}));
  RETURN_IF_ERROR(iw->AddSeries(labels::Labels({{"__name__", "a"}}), a));
  RETURN_IF_ERROR(iw->AddSeries(labels::Labels({{"__name__", "b"}}), b));
  RETURN_IF_ERROR(iw->Close());
  meta.min_time = 0;
  meta.max_time = 20000 * 1000;
  meta.stats = {.num_samples = 24000, .num_series = 2, .num_chunks = 20001};
  meta.sources = {meta.ulid};
  RETURN_IF_ERROR(tsdb::block::WriteMeta(env, block, meta));
  return meta.ulid.ToString();
}

absl::Status UploadBlock(objstore::Bucket& bucket, const std::string& dir, const std::string& id,
                         const labels::Labels& external) {
  Env* env = Env::Default();
  const std::string local = JoinPath(dir, id);
  block::Meta meta;
  ASSIGN_OR_RETURN(meta.prom, tsdb::block::ReadMeta(env, local));
  meta.thanos.labels = external;
  meta.thanos.source = block::kSidecarSource;
  ASSIGN_OR_RETURN(std::vector<std::string> segments, env->ListDir(JoinPath(local, "chunks")));
  std::sort(segments.begin(), segments.end());
  for (const std::string& s : segments) {
    const std::string rel = absl::StrCat("chunks/", s);
    ASSIGN_OR_RETURN(uint64_t size, env->FileSize(JoinPath(local, rel)));
    RETURN_IF_ERROR(objstore::UploadFile(bucket, JoinPath(id, rel), env, JoinPath(local, rel)));
    meta.thanos.files.push_back({rel, static_cast<int64_t>(size)});
  }
  ASSIGN_OR_RETURN(uint64_t index_size, env->FileSize(JoinPath(local, "index")));
  RETURN_IF_ERROR(
      objstore::UploadFile(bucket, JoinPath(id, "index"), env, JoinPath(local, "index")));
  meta.thanos.files.push_back({"index", static_cast<int64_t>(index_size)});
  meta.thanos.files.push_back({"meta.json", 0});
  const std::string text = block::FormatMeta(meta);
  objstore::StringSource src(text);
  return bucket.Upload(JoinPath(id, "meta.json"), src);
}

storeapi::SelectParams AllTime(std::vector<labels::Matcher> matchers) {
  return {.min_time = std::numeric_limits<int64_t>::min(),
          .max_time = std::numeric_limits<int64_t>::max(),
          .matchers = std::move(matchers)};
}

absl::Status RecordingBucket::GetRange(absl::string_view name, int64_t offset, int64_t length,
                                       const objstore::ByteSink& sink) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    reads_.push_back({std::string(name), offset, length});
  }
  return inner_.GetRange(name, offset, length, sink);
}

std::vector<RecordingBucket::Read> RecordingBucket::Reads() const {
  std::lock_guard<std::mutex> lock(mu_);
  return reads_;
}

int64_t RecordingBucket::BytesRead(absl::string_view name) const {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t n = 0;
  for (const Read& r : reads_) {
    if (r.name == name) n += r.length;
  }
  return n;
}

void RecordingBucket::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  reads_.clear();
}

}  // namespace argus::store::testing
