#include "store/bucket_block.h"

#include <functional>
#include <ostream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/env.h"
#include "gtest/gtest.h"
#include "objstore/factory.h"
#include "objstore/providers/filesystem/filesystem.h"
#include "objstore/testing/fault_bucket.h"
#include "store/testing/store_testutil.h"
#include "tsdb/block/block.h"
#include "tsdb/querier/querier.h"
#include "util/process.h"
#include "util/s3_peer.h"

namespace argus::store {
namespace {

using ::argus::store::testing::RecordingBucket;
using labels::MatchType;

constexpr char kS3Bucket[] = "argus-store";

::argus::testing::S3Peer* Peer() {
  static std::unique_ptr<::argus::testing::S3Peer> peer =
      ::argus::testing::S3Peer::Start(::argus::testing::TestDir("store_s3rver"), kS3Bucket);
  return peer.get();
}

std::unique_ptr<objstore::Bucket> OpenBucket(const std::string& kind, const std::string& dir) {
  if (kind == "fs") return *objstore::filesystem::NewBucket(dir);
  EXPECT_NE(Peer(), nullptr);
  if (Peer() == nullptr) return nullptr;
  const std::string yaml = absl::StrFormat(
      "type: s3\nconfig:\n  bucket: %s\n  endpoint: %s\n  insecure: true\n  access_key: %s\n"
      "  secret_key: %s\nprefix: %s\n",
      kS3Bucket, Peer()->endpoint(), ::argus::testing::kS3rverAccessKey,
      ::argus::testing::kS3rverSecretKey,
      ::testing::UnitTest::GetInstance()->current_test_info()->name());
  absl::StatusOr<objstore::BucketConfig> cfg = objstore::ParseBucketConfig(yaml, "test.yaml");
  EXPECT_TRUE(cfg.ok()) << cfg.status();
  absl::StatusOr<std::unique_ptr<objstore::Bucket>> b = objstore::NewBucket(*cfg, nullptr);
  EXPECT_TRUE(b.ok()) << b.status();
  return b.ok() ? *std::move(b) : nullptr;
}

labels::Matcher M(MatchType t, std::string name, std::string value) {
  return *labels::Matcher::Create(t, std::move(name), std::move(value));
}

// Expects the same series, labels and chunk bytes.
void ExpectSame(const std::vector<tsdb::ChunkSeries>& got,
                const std::vector<tsdb::ChunkSeries>& want, bool skip_chunks) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i].labels, want[i].labels) << i;
    if (skip_chunks) {
      EXPECT_TRUE(got[i].chunks.empty());
      continue;
    }
    ASSERT_EQ(got[i].chunks.size(), want[i].chunks.size()) << got[i].labels.ToString();
    for (size_t c = 0; c < got[i].chunks.size(); ++c) {
      EXPECT_EQ(got[i].chunks[c].min_time, want[i].chunks[c].min_time);
      EXPECT_EQ(got[i].chunks[c].max_time, want[i].chunks[c].max_time);
      EXPECT_EQ(got[i].chunks[c].data, want[i].chunks[c].data);
    }
  }
}

struct Param {
  std::string bucket;  // "fs" or "s3"
  bool promtool;       // blocks by the real promtool instead of Argus's backfill
};

// The test names ctest lists: "fs_argus", "s3_promtool", ...
std::string ParamName(const Param& p) {
  return absl::StrCat(p.bucket, p.promtool ? "_promtool" : "_argus");
}
void PrintTo(const Param& p, std::ostream* os) { *os << ParamName(p); }

class BucketBlockTest : public ::testing::TestWithParam<Param> {
 protected:
  void SetUp() override {
    if (GetParam().promtool &&
        ::argus::testing::RunCommand({"promtool", "--version"}).exit_code != 0) {
      GTEST_SKIP() << "promtool not on PATH";
    }
    root_ = ::argus::testing::TestDir("bucket_block");
    inner_ = OpenBucket(GetParam().bucket, JoinPath(root_, "bucket"));
    ASSERT_NE(inner_, nullptr);
    bucket_ = std::make_unique<RecordingBucket>(*inner_);
    faults_ = std::make_unique<objstore::testing::FaultBucket>(*bucket_);
    // 300 series over 3h (two or more blocks), and one with a 70 kB label value.
    absl::StatusOr<std::vector<std::string>> ids = testing::MakeBlocks(
        JoinPath(root_, "tsdb"), testing::OpenMetrics(300, 3, 120, 70000), GetParam().promtool);
    ASSERT_TRUE(ids.ok()) << ids.status();
    ids_ = *ids;
    for (const std::string& id : ids_) {
      ASSERT_TRUE(
          testing::UploadBlock(*bucket_, JoinPath(root_, "tsdb"), id, labels::Labels({{"r", "1"}}))
              .ok());
    }
    cache_ = std::make_unique<IndexCache>(kDefaultIndexCacheBytes, nullptr);
  }

  std::shared_ptr<BucketBlock> OpenBlock(const std::string& id) {
    block::Meta meta = *block::ParseMeta(*bucket_->Get(id + "/meta.json"), "meta.json");
    absl::StatusOr<std::shared_ptr<BucketBlock>> b = BucketBlock::Open(
        env_, *faults_, meta, JoinPath(root_, "data/" + id), cache_.get(), nullptr);
    EXPECT_TRUE(b.ok()) << b.status();
    return b.ok() ? *b : nullptr;
  }

  std::unique_ptr<tsdb::block::Block> Local(const std::string& id) {
    return *tsdb::block::Block::Open(env_, JoinPath(root_, "tsdb/" + id));
  }

  Env* env_ = Env::Default();
  std::string root_;
  std::vector<std::string> ids_;
  std::unique_ptr<objstore::Bucket> inner_;
  std::unique_ptr<RecordingBucket> bucket_;
  std::unique_ptr<objstore::testing::FaultBucket> faults_;
  std::unique_ptr<IndexCache> cache_;
};

TEST_P(BucketBlockTest, SelectEqualsReadingTheBlockLocally) {
  ASSERT_GE(ids_.size(), 2u);
  const std::vector<std::vector<labels::Matcher>> cases = {
      {M(MatchType::kEqual, "__name__", "m")},
      {M(MatchType::kEqual, "job", "api"), M(MatchType::kNotEqual, "instance", "host3")},
      {M(MatchType::kRegexMatch, "i", "1.*|2.")},
      {M(MatchType::kRegexNoMatch, "i", "1.*"), M(MatchType::kEqual, "__name__", "m")},
      {M(MatchType::kEqual, "opt", "")},  // without opt
      {M(MatchType::kNotEqual, "opt", ""), M(MatchType::kEqual, "job", "db")},
      {M(MatchType::kRegexMatch, "opt", "|y"), M(MatchType::kRegexMatch, "i", "4.")},
      {M(MatchType::kRegexMatch, "__name__", ".+")},  // all, "big" too
      {M(MatchType::kEqual, "job", "nope")},
      {M(MatchType::kEqual, "nope", "x")},
  };
  const int64_t start = 1700000000000;
  const std::vector<std::pair<int64_t, int64_t>> ranges = {
      {0, std::numeric_limits<int64_t>::max()},
      {start + 3600 * 1000, start + 3700 * 1000},
      {start - 1000, start}};
  for (const std::string& id : ids_) {
    std::shared_ptr<BucketBlock> b = OpenBlock(id);
    ASSERT_NE(b, nullptr);
    std::unique_ptr<tsdb::block::Block> local = Local(id);
    for (size_t c = 0; c < cases.size(); ++c) {
      for (auto [mint, maxt] : ranges) {
        for (bool skip : {false, true}) {
          SCOPED_TRACE(absl::StrCat(id, " case ", c, " [", mint, ",", maxt, "] skip=", skip));
          std::vector<tsdb::ChunkSeries> want = *tsdb::SelectBlock(*local, mint, maxt, cases[c]);
          storeapi::QueryBudget budget(storeapi::Limits{});
          absl::StatusOr<std::vector<tsdb::ChunkSeries>> got = b->Select(
              {.min_time = mint, .max_time = maxt, .matchers = cases[c], .skip_chunks = skip},
              &budget);
          ASSERT_TRUE(got.ok()) << got.status();
          ExpectSame(*got, want, skip);
          EXPECT_EQ(budget.series(), want.size());
        }
      }
    }
    // Label names and values: all from the header, or of the matching series.
    EXPECT_EQ(*b->LabelNames(0, 1, {}), local->index().LabelNames());
    EXPECT_EQ(*b->LabelValues("job", 0, 1, {}), local->index().LabelValues("job"));
    const int64_t max = std::numeric_limits<int64_t>::max();
    EXPECT_EQ(*b->LabelNames(0, max, {M(MatchType::kEqual, "i", "1")}),
              (std::vector<std::string>{"__name__", "i", "instance", "job"}));
    EXPECT_EQ(*b->LabelValues("i", 0, max,
                              {M(MatchType::kEqual, "instance", "host1"),
                               M(MatchType::kRegexMatch, "i", "..")}),
              (std::vector<std::string>{"11", "21", "31", "41", "51", "61", "71", "81", "91"}));
  }
}

TEST_P(BucketBlockTest, RangesAreMergedAndTheCacheSavesIndexReads) {
  std::shared_ptr<BucketBlock> b = OpenBlock(ids_[0]);
  ASSERT_NE(b, nullptr);
  bucket_->Clear();
  storeapi::SelectParams p = testing::AllTime({M(MatchType::kEqual, "__name__", "m")});
  storeapi::QueryBudget first(storeapi::Limits{});
  ASSERT_TRUE(b->Select(p, &first).ok());
  // One read for the postings, one for the series, one per chunk segment.
  int index_reads = 0, chunk_reads = 0;
  for (const auto& r : bucket_->Reads()) {
    (r.name == ids_[0] + "/index" ? index_reads : chunk_reads)++;
  }
  EXPECT_EQ(index_reads, 2);
  EXPECT_EQ(chunk_reads, 1);
  EXPECT_GT(b->fetched_bytes(DataType::kChunks), 0u);
  EXPECT_GE(first.peak_bytes(), b->fetched_bytes(DataType::kChunks));
  bucket_->Clear();
  storeapi::QueryBudget second(storeapi::Limits{});
  ASSERT_TRUE(b->Select(p, &second).ok());
  for (const auto& r : bucket_->Reads()) EXPECT_NE(r.name, ids_[0] + "/index");
}

TEST_P(BucketBlockTest, ConcurrentSelectsShareTheCacheAndAgree) {
  std::shared_ptr<BucketBlock> b = OpenBlock(ids_[0]);
  ASSERT_NE(b, nullptr);
  std::unique_ptr<tsdb::block::Block> local = Local(ids_[0]);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 5; ++i) {
        const std::vector<labels::Matcher> m = {
            M(MatchType::kRegexMatch, "i", absl::StrCat(t + i, ".*"))};
        storeapi::QueryBudget budget(storeapi::Limits{});
        absl::StatusOr<std::vector<tsdb::ChunkSeries>> got =
            b->Select(testing::AllTime(m), &budget);
        ASSERT_TRUE(got.ok()) << got.status();
        ExpectSame(*got,
                   *tsdb::SelectBlock(*local, std::numeric_limits<int64_t>::min(),
                                      std::numeric_limits<int64_t>::max(), m),
                   false);
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_GT(cache_->items(), 0u);
}

TEST_P(BucketBlockTest, SmallBudgetFailsBeforeFetchingMore) {
  std::shared_ptr<BucketBlock> b = OpenBlock(ids_[0]);
  ASSERT_NE(b, nullptr);
  bucket_->Clear();
  storeapi::SelectParams p = testing::AllTime({M(MatchType::kRegexMatch, "job", ".+")});
  storeapi::QueryBudget budget(storeapi::Limits{.bytes = 20000});
  absl::StatusOr<std::vector<tsdb::ChunkSeries>> got = b->Select(p, &budget);
  EXPECT_EQ(got.status().code(), absl::StatusCode::kResourceExhausted) << got.status();
  EXPECT_NE(got.status().message().find("--store.grpc.query-memory-budget"), std::string::npos);
  for (const auto& r : bucket_->Reads()) EXPECT_EQ(r.name.find("/chunks/"), std::string::npos);
  storeapi::QueryBudget series(storeapi::Limits{.series = 10});
  EXPECT_EQ(b->Select(p, &series).status().code(), absl::StatusCode::kResourceExhausted);
  storeapi::QueryBudget samples(storeapi::Limits{.samples = 100});
  EXPECT_EQ(b->Select(p, &samples).status().code(), absl::StatusCode::kResourceExhausted);
}

TEST_P(BucketBlockTest, MissingOrCorruptObjectsAreErrorsNamingBlockAndObject) {
  const std::string id = ids_[0];
  std::shared_ptr<BucketBlock> b = OpenBlock(id);
  ASSERT_NE(b, nullptr);
  storeapi::SelectParams p = testing::AllTime({M(MatchType::kEqual, "job", "api")});
  const std::string segment = id + "/chunks/000001";
  const std::string chunks = *bucket_->Get(segment);
  const std::string index = *bucket_->Get(id + "/index");
  // A failing read is that block's error.
  faults_->SetRule(objstore::testing::FailNth("get_range", 1));
  storeapi::QueryBudget budget0(storeapi::Limits{});
  EXPECT_EQ(b->Select(p, &budget0).status().code(), absl::StatusCode::kUnavailable);
  faults_->SetRule(nullptr);
  // Chunk bytes flipped: the CRC catches every flip inside a chunk.
  for (size_t pos = 8; pos < chunks.size(); pos += chunks.size() / 50) {
    std::string bad = chunks;
    bad[pos] = static_cast<char>(bad[pos] ^ 0x21);
    objstore::StringSource src(bad);
    ASSERT_TRUE(inner_->Upload(segment, src).ok());
    storeapi::QueryBudget budget(storeapi::Limits{});
    absl::StatusOr<std::vector<tsdb::ChunkSeries>> got = b->Select(p, &budget);
    if (got.ok()) continue;  // the flip hit a chunk this query does not read
    EXPECT_EQ(got.status().code(), absl::StatusCode::kDataLoss) << got.status();
    EXPECT_NE(got.status().message().find(id), std::string::npos) << got.status();
    EXPECT_NE(got.status().message().find(segment), std::string::npos) << got.status();
  }
  ASSERT_TRUE(inner_->Delete(segment).ok());
  storeapi::QueryBudget budget1(storeapi::Limits{});
  absl::Status missing = b->Select(p, &budget1).status();
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound) << missing;
  EXPECT_NE(missing.message().find(id), std::string::npos) << missing;
  // Series entries and postings flipped (a fresh cache, so they are read again).
  cache_ = std::make_unique<IndexCache>(kDefaultIndexCacheBytes, nullptr);
  std::shared_ptr<BucketBlock> again = OpenBlock(id);
  for (size_t pos = 5; pos < index.size(); pos += index.size() / 80) {
    std::string bad = index;
    bad[pos] = static_cast<char>(bad[pos] ^ 0x21);
    objstore::StringSource src(bad);
    ASSERT_TRUE(inner_->Upload(id + "/index", src).ok());
    cache_ = std::make_unique<IndexCache>(kDefaultIndexCacheBytes, nullptr);
    again = OpenBlock(id);  // the header is still valid locally; the index behind it is not
    storeapi::QueryBudget budget(storeapi::Limits{.bytes = 1 << 30});
    absl::StatusOr<std::vector<tsdb::ChunkSeries>> got = again->Select(p, &budget);
    if (!got.ok()) {
      EXPECT_NE(got.status().message().find(id), std::string::npos) << got.status();
    }
  }
  // Another block is unaffected.
  if (ids_.size() > 1) {
    std::shared_ptr<BucketBlock> other = OpenBlock(ids_[1]);
    storeapi::QueryBudget budget(storeapi::Limits{});
    EXPECT_TRUE(other->Select(p, &budget).ok());
  }
}

TEST(BucketBlockLongEntriesTest, EntriesLongerThanTheEstimatesAreReadWhole) {
  Env* env = Env::Default();
  const std::string root = ::argus::testing::TestDir("long_entries");
  absl::StatusOr<std::string> id = testing::MakeBlockWithLongEntries(JoinPath(root, "tsdb"));
  ASSERT_TRUE(id.ok()) << id.status();
  std::unique_ptr<objstore::Bucket> fs = *objstore::filesystem::NewBucket(JoinPath(root, "b"));
  ASSERT_TRUE(testing::UploadBlock(*fs, JoinPath(root, "tsdb"), *id, {}).ok());
  block::Meta meta = *block::ParseMeta(*fs->Get(*id + "/meta.json"), "meta.json");
  absl::StatusOr<std::shared_ptr<BucketBlock>> b =
      BucketBlock::Open(env, *fs, meta, JoinPath(root, "data"), nullptr, nullptr);
  ASSERT_TRUE(b.ok()) << b.status();
  std::unique_ptr<tsdb::block::Block> local =
      *tsdb::block::Block::Open(env, JoinPath(root, "tsdb/" + *id));
  for (const std::string name : {"a", "b"}) {
    const std::vector<labels::Matcher> m = {M(MatchType::kEqual, "__name__", name)};
    storeapi::QueryBudget budget(storeapi::Limits{});
    absl::StatusOr<std::vector<tsdb::ChunkSeries>> got = (*b)->Select(testing::AllTime(m), &budget);
    ASSERT_TRUE(got.ok()) << got.status();
    ExpectSame(*got,
               *tsdb::SelectBlock(*local, std::numeric_limits<int64_t>::min(),
                                  std::numeric_limits<int64_t>::max(), m),
               false);
    EXPECT_EQ(budget.samples(), name == "a" ? 4000u : 20000u);
    if (name == "a") {
      EXPECT_GT((*got)[0].chunks[0].data.size(), kEstimatedMaxChunkSize);
    }
  }
  EXPECT_GT((*b)->fetched_bytes(DataType::kSeries), kEstimatedMaxSeriesSize);
}

INSTANTIATE_TEST_SUITE_P(Buckets, BucketBlockTest,
                         ::testing::Values(Param{"fs", false}, Param{"s3", false},
                                           Param{"fs", true}, Param{"s3", true}),
                         [](const auto& info) { return ParamName(info.param); });

}  // namespace
}  // namespace argus::store
