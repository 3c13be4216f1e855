#include "shipper/shipper.h"

#include <list>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "objstore/providers/filesystem/filesystem.h"
#include "objstore/testing/fault_bucket.h"
#include "tsdb/tools/backfill.h"

namespace argus::shipper {
namespace {

using objstore::testing::FailNth;
using objstore::testing::FaultBucket;

const labels::Labels kExt = {{"cluster", "eu1"}, {"replica", "a"}};

class ShipperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = ::testing::TempDir() + "/shipper_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
    env_->RemoveAll(root_).IgnoreError();
    dir_ = root_ + "/tsdb";
    // Three 2h blocks of real TSDB data, made by the backfill writer.
    std::string om;
    for (int64_t t = 1700000000; t < 1700000000 + 6 * 3600; t += 600) {
      absl::StrAppend(&om, "m{i=\"1\"} ", t % 7, " ", t, "\nn{i=\"2\"} ", t % 5, " ", t, "\n");
    }
    om += "# EOF\n";
    std::ostringstream out;
    ASSERT_TRUE(
        tsdb::tools::CreateBlocksFromOpenMetrics(env_, om, dir_, {.quiet = true}, out).ok());
    const std::vector<std::string> names = *env_->ListDir(dir_);
    for (const std::string& n : names) {
      if (Ulid::Parse(n).ok()) blocks_.push_back(n);
    }
    ASSERT_EQ(blocks_.size(), 4u);  // 6h from an unaligned start spans four 2h ranges
    // Things in a TSDB directory that are not blocks.
    ASSERT_TRUE(env_->CreateDirs(dir_ + "/wal").ok());
    ASSERT_TRUE(env_->CreateDirs(dir_ + "/chunks_head").ok());
    const std::string tmp = dir_ + "/01HGZ0TQ5W2N8W4V3M1M6R6D8K.tmp-for-creation";
    ASSERT_TRUE(env_->CreateDirs(tmp).ok());
    tsdb::block::BlockMeta unfinished = *tsdb::block::ReadMeta(env_, dir_ + "/" + blocks_[0]);
    unfinished.ulid = *Ulid::Parse("01HGZ0TQ5W2N8W4V3M1M6R6D8K");
    ASSERT_TRUE(tsdb::block::WriteMeta(env_, tmp, unfinished).ok());
    ASSERT_TRUE(WriteFileAtomically(env_, dir_ + "/01HGZ0TQ5W2N8W4V3M1M6R6D8M", "").ok());
    fs_ = *objstore::filesystem::NewBucket(root_ + "/bucket");
    bucket_ = std::make_unique<FaultBucket>(*fs_);
  }

  // A shipper over the test's directory and bucket; its metrics go to `registry`, the test's
  // own by default (a registry takes one shipper's metrics).
  Shipper Make(bool upload_compacted = false, labels::Labels ext = kExt,
               metrics::Registry* registry = nullptr) {
    ShipperOptions o;
    o.dir = dir_;
    o.external_labels = [ext] { return ext; };
    o.upload_compacted = upload_compacted;
    o.registry = registry != nullptr ? registry : &registry_;
    return Shipper(*bucket_, std::move(o));
  }

  double Metric(const std::string& name, const metrics::Registry* registry = nullptr) {
    for (const metrics::FamilySnapshot& f : (registry ? *registry : registry_).Gather()) {
      if (f.name == name) return f.samples.at(0).value;
    }
    return -1;
  }

  // Blocks whose meta.json is in the bucket; each must have every file its meta lists, with
  // the listed size.
  std::vector<std::string> CompleteBlocks() {
    std::vector<std::string> out;
    for (const std::string& b : blocks_) {
      absl::StatusOr<std::string> text = fs_->Get(b + "/meta.json");
      if (!text.ok()) continue;
      absl::StatusOr<block::Meta> meta = block::ParseMeta(*text, b);
      EXPECT_TRUE(meta.ok()) << meta.status();
      for (const block::File& f : meta->thanos.files) {
        if (f.rel_path == "meta.json") continue;
        absl::StatusOr<objstore::ObjectAttributes> a = fs_->Attributes(b + "/" + f.rel_path);
        EXPECT_TRUE(a.ok()) << b << "/" << f.rel_path << " missing beside its meta.json";
        if (a.ok()) {
          EXPECT_EQ(a->size, f.size_bytes) << b << "/" << f.rel_path;
        }
      }
      out.push_back(b);
    }
    return out;
  }

  // A registry for one more shipper in the same test (a registry takes one shipper's metrics).
  metrics::Registry* new_registry() { return &extra_registries_.emplace_back(); }

  void SetMeta(const std::string& id, uint64_t samples, int level) {
    tsdb::block::BlockMeta m = *tsdb::block::ReadMeta(env_, dir_ + "/" + id);
    m.stats.num_samples = samples;
    m.compaction_level = level;
    ASSERT_TRUE(tsdb::block::WriteMeta(env_, dir_ + "/" + id, m).ok());
  }

  Env* env_ = Env::Default();
  std::string root_, dir_;
  std::vector<std::string> blocks_;  // sorted ULIDs, oldest first
  std::unique_ptr<objstore::Bucket> fs_;
  std::unique_ptr<FaultBucket> bucket_;
  metrics::Registry registry_;
  std::list<metrics::Registry> extra_registries_;
};

TEST_F(ShipperTest, UploadsEachBlockOnceChunksThenIndexThenMeta) {
  Shipper s = Make();
  absl::StatusOr<int> n = s.Sync();
  ASSERT_TRUE(n.ok()) << n.status();
  EXPECT_EQ(*n, 4);
  std::vector<std::string> want;
  for (const std::string& b : blocks_) {
    want.insert(want.end(), {"exists " + b + "/meta.json", "upload " + b + "/chunks/000001",
                             "upload " + b + "/index", "upload " + b + "/meta.json"});
  }
  EXPECT_EQ(bucket_->Calls(), want);
  EXPECT_EQ(CompleteBlocks(), blocks_);
  for (const std::string& b : blocks_) {
    block::Meta m = *block::ParseMeta(*fs_->Get(b + "/meta.json"), b);
    tsdb::block::BlockMeta local = *tsdb::block::ReadMeta(env_, dir_ + "/" + b);
    EXPECT_EQ(m.prom.ulid, local.ulid);
    EXPECT_EQ(m.prom.min_time, local.min_time);
    EXPECT_EQ(m.prom.stats.num_samples, local.stats.num_samples);
    EXPECT_EQ(m.thanos.labels, kExt);
    EXPECT_EQ(m.thanos.source, "sidecar");
    EXPECT_EQ(m.thanos.downsample_resolution, 0);
    EXPECT_EQ(m.thanos.segment_files, std::vector<std::string>{"000001"});
    ASSERT_EQ(m.thanos.files.size(), 3u);
    EXPECT_EQ(m.thanos.files[0].rel_path, "chunks/000001");
    EXPECT_EQ(m.thanos.files[1].rel_path, "index");
    EXPECT_EQ(m.thanos.files[1].size_bytes, *env_->FileSize(dir_ + "/" + b + "/index"));
    EXPECT_EQ(m.thanos.files[2].rel_path, "meta.json");
    EXPECT_EQ(m.thanos.files[2].size_bytes, 0);
    EXPECT_EQ(*fs_->Get(b + "/index"), *env_->ReadFile(dir_ + "/" + b + "/index"));
  }
  ShipperState state = *ParseState(*env_->ReadFile(dir_ + "/thanos.shipper.json"));
  ASSERT_EQ(state.uploaded.size(), 4u);
  EXPECT_EQ(state.uploaded[0].ToString(), blocks_[0]);
  EXPECT_EQ(Metric("thanos_shipper_uploads_total"), 4);
  EXPECT_EQ(Metric("thanos_shipper_upload_compacted_done"), 0);

  bucket_->ClearCalls();
  EXPECT_EQ(*s.Sync(), 0);
  EXPECT_TRUE(bucket_->Calls().empty()) << "recorded blocks are not even checked again";
  EXPECT_EQ(Metric("thanos_shipper_dir_syncs_total"), 2);
  EXPECT_EQ(Metric("thanos_shipper_dir_sync_failures_total"), 0);
}

TEST_F(ShipperTest, BlocksDeletedLocallyLeaveTheStateFile) {
  EXPECT_EQ(*Make().Sync(), 4);
  ASSERT_TRUE(env_->RemoveAll(dir_ + "/" + blocks_[0]).ok());
  EXPECT_EQ(*Make(false, kExt, new_registry()).Sync(), 0);
  ShipperState state = *ParseState(*env_->ReadFile(dir_ + "/thanos.shipper.json"));
  ASSERT_EQ(state.uploaded.size(), 3u);
  EXPECT_EQ(state.uploaded[0].ToString(), blocks_[1]);
}

TEST_F(ShipperTest, UnreadableBlockMetaIsCountedAndTheOthersShip) {
  ASSERT_TRUE(WriteFileAtomically(env_, dir_ + "/" + blocks_[2] + "/meta.json", "{").ok());
  absl::StatusOr<int> n = Make().Sync();
  EXPECT_TRUE(absl::IsUnavailable(n.status())) << n.status();
  EXPECT_EQ(CompleteBlocks(), (std::vector<std::string>{blocks_[0], blocks_[1], blocks_[3]}));
  EXPECT_EQ(Metric("thanos_shipper_corrupted_blocks_total"), 1);
  EXPECT_EQ(Metric("thanos_shipper_upload_failures_total"), 0);
  EXPECT_EQ(Metric("thanos_shipper_dir_syncs_total"), 1);
}

TEST_F(ShipperTest, KeepsTheBlocksOwnThanosLabelsAndResolution) {
  // A block that already has a thanos section (as `tools bucket upload-blocks` may find):
  // Thanos sets the external labels over its labels and keeps its resolution.
  block::Meta local = *block::ReadMeta(env_, dir_ + "/" + blocks_[0]);
  local.thanos.labels = {{"cluster", "old"}, {"tenant", "t1"}};
  local.thanos.downsample_resolution = 300000;
  local.thanos.source = "compactor";
  ASSERT_TRUE(
      WriteFileAtomically(env_, dir_ + "/" + blocks_[0] + "/meta.json", block::FormatMeta(local))
          .ok());
  EXPECT_EQ(*Make().Sync(), 4);
  block::Meta m = *block::ParseMeta(*fs_->Get(blocks_[0] + "/meta.json"), "uploaded");
  EXPECT_EQ(m.thanos.labels,
            (labels::Labels{{"cluster", "eu1"}, {"replica", "a"}, {"tenant", "t1"}}));
  EXPECT_EQ(m.thanos.downsample_resolution, 300000);
  EXPECT_EQ(m.thanos.source, "sidecar");
}

TEST_F(ShipperTest, SkipsEmptyAndCompactedBlocks) {
  SetMeta(blocks_[0], 0, 1);   // empty
  SetMeta(blocks_[1], 10, 2);  // compacted
  EXPECT_EQ(*Make().Sync(), 2);
  EXPECT_EQ(CompleteBlocks(), (std::vector<std::string>{blocks_[2], blocks_[3]}));
  metrics::Registry second;
  EXPECT_EQ(*Make(/*upload_compacted=*/true, kExt, &second).Sync(), 1);
  EXPECT_EQ(Metric("thanos_shipper_upload_compacted_done", &second), 1);
  EXPECT_EQ(CompleteBlocks(), (std::vector<std::string>{blocks_[1], blocks_[2], blocks_[3]}));
}

TEST_F(ShipperTest, BlockAlreadyInTheBucketIsRecordedNotUploaded) {
  objstore::StringSource src("{}");
  ASSERT_TRUE(fs_->Upload(blocks_[1] + "/meta.json", src).ok());
  EXPECT_EQ(*Make().Sync(), 3);
  for (const std::string& call : bucket_->Calls()) {
    EXPECT_FALSE(absl::StartsWith(call, "upload " + blocks_[1])) << call;
  }
  EXPECT_EQ(ParseState(*env_->ReadFile(dir_ + "/thanos.shipper.json"))->uploaded.size(), 4u);
}

TEST_F(ShipperTest, AFailureAnywhereLeavesNoHalfBlockAndTheNextSyncFinishes) {
  const int uploads = 3 * static_cast<int>(blocks_.size());
  for (int nth = 1; nth <= uploads; ++nth) {
    SCOPED_TRACE(absl::StrCat("upload ", nth, " fails"));
    env_->RemoveAll(root_ + "/bucket").IgnoreError();
    env_->RemoveFile(dir_ + "/thanos.shipper.json").IgnoreError();
    fs_ = *objstore::filesystem::NewBucket(root_ + "/bucket");
    bucket_ = std::make_unique<FaultBucket>(*fs_);
    bucket_->SetRule(FailNth("upload", nth));
    metrics::Registry registry;
    Shipper s = Make(false, kExt, &registry);
    absl::StatusOr<int> n = s.Sync();
    EXPECT_TRUE(absl::IsUnavailable(n.status())) << n.status();
    EXPECT_EQ(Metric("thanos_shipper_upload_failures_total", &registry), 1);
    EXPECT_EQ(Metric("thanos_shipper_dir_syncs_total", &registry), 1);
    EXPECT_EQ(Metric("thanos_shipper_dir_sync_failures_total", &registry), 0);
    // The block whose upload failed has no meta.json: it does not look complete.
    const std::string broken = blocks_[(nth - 1) / 3];
    const std::vector<std::string> complete = CompleteBlocks();
    EXPECT_EQ(complete.size(), blocks_.size() - 1);
    EXPECT_EQ(std::find(complete.begin(), complete.end(), broken), complete.end());
    bucket_->SetRule(nullptr);
    n = s.Sync();
    ASSERT_TRUE(n.ok()) << n.status();
    EXPECT_EQ(*n, 1);
    EXPECT_EQ(CompleteBlocks(), blocks_);
  }
}

TEST_F(ShipperTest, AFailedExistsCheckIsRetriedNextSync) {
  bucket_->SetRule([&](absl::string_view op, absl::string_view name) {
    return op == "exists" && absl::StartsWith(name, blocks_[1]) ? absl::UnavailableError("injected")
                                                                : absl::OkStatus();
  });
  Shipper s = Make();
  EXPECT_TRUE(absl::IsUnavailable(s.Sync().status()));
  EXPECT_EQ(CompleteBlocks(), (std::vector<std::string>{blocks_[0], blocks_[2], blocks_[3]}));
  EXPECT_EQ(Metric("thanos_shipper_upload_failures_total"), 1);
  bucket_->SetRule(nullptr);
  EXPECT_EQ(*s.Sync(), 1);
  EXPECT_EQ(CompleteBlocks(), blocks_);
}

TEST_F(ShipperTest, EmptyExternalLabelsUploadNothing) {
  absl::StatusOr<int> n = Make(false, labels::Labels()).Sync();
  EXPECT_TRUE(absl::IsFailedPrecondition(n.status())) << n.status();
  EXPECT_TRUE(bucket_->Calls().empty());
  EXPECT_FALSE(env_->FileExists(dir_ + "/thanos.shipper.json"));
  EXPECT_EQ(Metric("thanos_shipper_dir_sync_failures_total"), 1);
  EXPECT_EQ(Metric("thanos_shipper_dir_syncs_total"), 0);
}

TEST_F(ShipperTest, CorruptStateFileIsReplaced) {
  EXPECT_EQ(*Make().Sync(), 4);
  ASSERT_TRUE(WriteFileAtomically(env_, dir_ + "/thanos.shipper.json", "{not json").ok());
  bucket_->ClearCalls();
  metrics::Registry second;
  EXPECT_EQ(*Make(false, kExt, &second).Sync(), 0);  // the bucket has them all: none again
  for (const std::string& call : bucket_->Calls()) {
    EXPECT_TRUE(absl::StartsWith(call, "exists ")) << call;
  }
  EXPECT_EQ(ParseState(*env_->ReadFile(dir_ + "/thanos.shipper.json"))->uploaded.size(), 4u);
}

TEST(ShipperStateTest, ParsesAndFormatsThanosShipperJson) {
  absl::StatusOr<ShipperState> s =
      ParseState("{\n\t\"version\": 1,\n\t\"uploaded\": [\"01HGZ0TQ5W2N8W4V3M1M6R6D8K\"]\n}\n");
  ASSERT_TRUE(s.ok()) << s.status();
  EXPECT_EQ(
      FormatState(*s),
      "{\n\t\"version\": 1,\n\t\"uploaded\": [\n\t\t\"01HGZ0TQ5W2N8W4V3M1M6R6D8K\"\n\t]\n}\n");
  EXPECT_TRUE(ParseState("{\"version\": 1, \"uploaded\": null}").ok());
  EXPECT_EQ(FormatState({}), "{\n\t\"version\": 1,\n\t\"uploaded\": null\n}\n");
  EXPECT_FALSE(ParseState("{\"version\": 2, \"uploaded\": []}").ok());
  EXPECT_FALSE(ParseState("{\"version\": 1, \"uploaded\": [\"nope\"]}").ok());
}

}  // namespace
}  // namespace argus::shipper
