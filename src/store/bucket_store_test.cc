#include "store/bucket_store.h"

#include "absl/strings/str_cat.h"
#include "base/env.h"
#include "gtest/gtest.h"
#include "objstore/providers/filesystem/filesystem.h"
#include "objstore/testing/fault_bucket.h"
#include "store/testing/store_testutil.h"
#include "util/process.h"

namespace argus::store {
namespace {

using ::argus::store::testing::RecordingBucket;

double Metric(const metrics::Registry& r, const std::string& name) {
  for (const metrics::FamilySnapshot& f : r.Gather()) {
    if (f.name == name && !f.samples.empty()) return f.samples[0].value;
  }
  return -1;
}

class BucketStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = ::argus::testing::TestDir("bucket_store");
    fs_ = *objstore::filesystem::NewBucket(JoinPath(root_, "bucket"));
    recording_ = std::make_unique<RecordingBucket>(*fs_);
    bucket_ = std::make_unique<objstore::testing::FaultBucket>(*recording_);
    // 6h of data from an unaligned start: four 2h blocks.
    absl::StatusOr<std::vector<std::string>> ids =
        testing::MakeBlocks(JoinPath(root_, "tsdb"), testing::OpenMetrics(20, 6, 300), false);
    ASSERT_TRUE(ids.ok()) << ids.status();
    ids_ = *ids;
    ASSERT_EQ(ids_.size(), 4u);
    for (size_t i = 0; i < ids_.size(); ++i) {
      ASSERT_TRUE(testing::UploadBlock(*fs_, JoinPath(root_, "tsdb"), ids_[i],
                                       labels::Labels({{"replica", absl::StrCat(i % 2)}}))
                      .ok());
    }
    options_.data_dir = JoinPath(root_, "data");
  }

  std::unique_ptr<BucketStore> NewStore(metrics::Registry& registry) {
    return std::make_unique<BucketStore>(env_, *bucket_, options_, registry);
  }

  std::vector<std::string> Served(const BucketStore& s) {
    std::vector<std::string> out;
    for (const storeapi::SourceRef& r : s.Sources()) out.push_back(r.name.substr(6));
    return out;
  }

  void Mark(const std::string& id, absl::Duration ago) {
    const std::string mark =
        absl::StrCat(R"({"id":")", id, R"(","version":1,"details":"","deletion_time":)",
                     absl::ToUnixSeconds(absl::Now() - ago), "}");
    objstore::StringSource src(mark);
    ASSERT_TRUE(fs_->Upload(id + "/deletion-mark.json", src).ok());
  }

  Env* env_ = Env::Default();
  std::string root_;
  std::vector<std::string> ids_;
  std::unique_ptr<objstore::Bucket> fs_;
  std::unique_ptr<RecordingBucket> recording_;
  std::unique_ptr<objstore::testing::FaultBucket> bucket_;
  BucketStoreOptions options_;
};

TEST_F(BucketStoreTest, ServesCompleteBlocksWithTheirLabelsAndTimeRanges) {
  // A partial upload (no meta.json), a block marked long ago, one marked recently.
  const std::string partial = "01HGZ0TQ5W2N8W4V3M1M6R6D8K";
  objstore::StringSource idx("not an index");
  ASSERT_TRUE(fs_->Upload(partial + "/index", idx).ok());
  Mark(ids_[0], absl::Hours(48));
  Mark(ids_[1], absl::Hours(1));
  metrics::Registry registry;
  std::unique_ptr<BucketStore> store = NewStore(registry);
  ASSERT_TRUE(store->Sync().ok());
  EXPECT_EQ(Served(*store), (std::vector<std::string>{ids_[1], ids_[2], ids_[3]}));
  EXPECT_EQ(store->type(), storeapi::ComponentType::kStore);
  for (const storeapi::SourceRef& r : store->Sources()) {
    const std::string id = r.name.substr(6);
    const size_t i = std::find(ids_.begin(), ids_.end(), id) - ids_.begin();
    EXPECT_EQ(r.external, labels::Labels({{"replica", absl::StrCat(i % 2)}}));
    std::shared_ptr<BucketBlock> b = store->Block(id);
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(r.source, b);
    EXPECT_EQ(r.min_time, b->meta().prom.min_time);
    EXPECT_EQ(r.max_time, b->meta().prom.max_time - 1);
    EXPECT_TRUE(env_->FileExists(JoinPath(options_.data_dir, id + "/index-header")));
  }
  EXPECT_EQ(Metric(registry, "thanos_bucket_store_blocks_loaded"), 3);
  EXPECT_EQ(Metric(registry, "thanos_bucket_store_block_loads_total"), 3);
  EXPECT_EQ(Metric(registry, "thanos_bucket_store_block_load_failures_total"), 0);
  // A query through a source reads the block.
  storeapi::QueryBudget budget(storeapi::Limits{});
  absl::StatusOr<std::vector<tsdb::ChunkSeries>> got = store->Sources()[0].source->Select(
      testing::AllTime({*labels::Matcher::Create(labels::MatchType::kEqual, "job", "api")}),
      &budget);
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ(got->size(), 7u);  // i = 0, 3, ..., 18
  bool observed = false;
  for (const metrics::FamilySnapshot& f : registry.Gather()) {
    if (f.name != "thanos_bucket_store_series_data_size_fetched_bytes") continue;
    for (const auto& sample : f.samples) {
      observed = observed || (sample.name == f.name + "_count" && sample.value > 0);
    }
  }
  EXPECT_TRUE(observed);
}

TEST_F(BucketStoreTest, FiltersByTimeRange) {
  metrics::Registry registry;
  std::unique_ptr<BucketStore> probe = NewStore(registry);
  ASSERT_TRUE(probe->Sync().ok());
  const tsdb::block::BlockMeta second = probe->Block(ids_[1])->meta().prom;
  options_.min_time = second.min_time;
  options_.max_time = second.max_time - 1;
  metrics::Registry registry2;
  std::unique_ptr<BucketStore> store = NewStore(registry2);
  ASSERT_TRUE(store->Sync().ok());
  EXPECT_EQ(Served(*store), (std::vector<std::string>{ids_[1]}));
  // The local directories of the others are gone.
  EXPECT_FALSE(env_->FileExists(JoinPath(options_.data_dir, ids_[0])));
}

TEST_F(BucketStoreTest, DropsVanishedBlocksRetriesFailedOnesAndKeepsTheSetOnListFailure) {
  metrics::Registry registry;
  std::unique_ptr<BucketStore> store = NewStore(registry);
  // Block 2's index cannot be read: that block only is left out, and counted.
  bucket_->SetRule([&](absl::string_view op, absl::string_view name) {
    return op == "attributes" && name == ids_[2] + "/index" ? absl::UnavailableError("injected")
                                                            : absl::OkStatus();
  });
  ASSERT_TRUE(store->Sync().ok());
  EXPECT_EQ(Served(*store), (std::vector<std::string>{ids_[0], ids_[1], ids_[3]}));
  EXPECT_EQ(Metric(registry, "thanos_bucket_store_block_load_failures_total"), 1);
  bucket_->SetRule(nullptr);
  ASSERT_TRUE(store->Sync().ok());
  EXPECT_EQ(Served(*store), ids_);
  EXPECT_EQ(Metric(registry, "thanos_bucket_store_block_loads_total"), 5);

  // Listing fails: the error is returned and the set stays.
  bucket_->SetRule(objstore::testing::FailNth("iter", 1));
  EXPECT_EQ(store->Sync().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(Served(*store), ids_);
  bucket_->SetRule(nullptr);

  // A block deleted from the bucket is dropped with its local directory.
  std::shared_ptr<BucketBlock> held = store->Block(ids_[3]);
  ASSERT_TRUE(fs_->Iter(ids_[3], true, [&](const std::string& n) { return fs_->Delete(n); }).ok());
  ASSERT_TRUE(store->Sync().ok());
  EXPECT_EQ(Served(*store), (std::vector<std::string>{ids_[0], ids_[1], ids_[2]}));
  EXPECT_EQ(Metric(registry, "thanos_bucket_store_block_drops_total"), 1);
  EXPECT_EQ(Metric(registry, "thanos_bucket_store_blocks_loaded"), 3);
  EXPECT_FALSE(env_->FileExists(JoinPath(options_.data_dir, ids_[3])));
  // A query that still holds the dropped block keeps working on its mapped header.
  EXPECT_FALSE(held->LabelNames(0, 1, {})->empty());
}

TEST_F(BucketStoreTest, RestartReusesTheIndexHeaders) {
  {
    metrics::Registry registry;
    std::unique_ptr<BucketStore> store = NewStore(registry);
    ASSERT_TRUE(store->Sync().ok());
  }
  recording_->Clear();
  metrics::Registry registry;
  std::unique_ptr<BucketStore> store = NewStore(registry);
  ASSERT_TRUE(store->Sync().ok());
  EXPECT_EQ(Served(*store), ids_);
  for (const auto& r : recording_->Reads()) {
    EXPECT_EQ(r.name.find("/index"), std::string::npos) << r.name;
  }
}

}  // namespace
}  // namespace argus::store
