#include "store/index_header.h"

#include <sys/stat.h>

#include "absl/strings/str_cat.h"
#include "base/env.h"
#include "gtest/gtest.h"
#include "objstore/providers/filesystem/filesystem.h"
#include "store/testing/store_testutil.h"
#include "tsdb/index/decode.h"
#include "tsdb/index/index_reader.h"
#include "util/process.h"

namespace argus::store {
namespace {

using ::argus::store::testing::RecordingBucket;

class IndexHeaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = ::argus::testing::TestDir("index_header");
    fs_ = *objstore::filesystem::NewBucket(JoinPath(root_, "bucket"));
    bucket_ = std::make_unique<RecordingBucket>(*fs_);
    // 600 series: label "i" has 600 values, many more than one sampling stride.
    absl::StatusOr<std::vector<std::string>> ids =
        testing::MakeBlocks(JoinPath(root_, "tsdb"), testing::OpenMetrics(600, 1, 600), false);
    ASSERT_TRUE(ids.ok()) << ids.status();
    id_ = ids->front();
    ASSERT_TRUE(testing::UploadBlock(*bucket_, JoinPath(root_, "tsdb"), id_, {}).ok());
    local_ = *tsdb::index::IndexReader::Open(env_, JoinPath(root_, "tsdb/" + id_ + "/index"));
    path_ = JoinPath(root_, "index-header");
    index_name_ = id_ + "/index";
  }

  std::unique_ptr<IndexHeader> Open(bool* rebuilt) {
    absl::StatusOr<std::unique_ptr<IndexHeader>> h =
        IndexHeader::Open(env_, *bucket_, index_name_, path_, rebuilt);
    EXPECT_TRUE(h.ok()) << h.status();
    return h.ok() ? *std::move(h) : nullptr;
  }

  Env* env_ = Env::Default();
  std::string root_, id_, path_, index_name_;
  std::unique_ptr<objstore::Bucket> fs_;
  std::unique_ptr<RecordingBucket> bucket_;
  std::unique_ptr<tsdb::index::IndexReader> local_;
};

TEST_F(IndexHeaderTest, AnswersAsTheWholeIndexDoesFromRangedReads) {
  bool rebuilt = false;
  std::unique_ptr<IndexHeader> h = Open(&rebuilt);
  ASSERT_NE(h, nullptr);
  EXPECT_TRUE(rebuilt);
  // Only ranges were read, far less than the index.
  const int64_t index_size = static_cast<int64_t>(local_->size());
  EXPECT_EQ(h->index_size(), local_->size());
  EXPECT_LT(bucket_->BytesRead(index_name_), index_size / 2);
  for (const auto& r : bucket_->Reads()) EXPECT_GE(r.length, 0);

  for (uint32_t i = 0; i < local_->num_symbols(); ++i) {
    ASSERT_EQ(*h->Symbol(i), *local_->Symbol(i)) << i;
  }
  EXPECT_EQ(h->Symbol(static_cast<uint32_t>(local_->num_symbols())).status().code(),
            absl::StatusCode::kDataLoss);
  EXPECT_EQ(h->LabelNames(), local_->LabelNames());
  EXPECT_EQ(h->LabelValues("nope"), std::vector<std::string>{});
  std::string index = *env_->ReadFile(JoinPath(root_, "tsdb/" + id_ + "/index"));
  int lists = 0;
  for (std::string name : h->LabelNames()) {
    ASSERT_EQ(h->LabelValues(name), local_->LabelValues(name)) << name;
    for (const std::string& v : h->LabelValues(name)) {
      std::optional<ByteRange> r = h->PostingsRange(name, v);
      ASSERT_TRUE(r.has_value()) << name << "=" << v;
      absl::StatusOr<absl::string_view> body = tsdb::index::DecodeSection(
          absl::string_view(index).substr(r->offset, r->length), "postings");
      ASSERT_TRUE(body.ok()) << body.status() << " " << name << "=" << v;
      EXPECT_EQ(*tsdb::index::DecodePostings(*body), *local_->Postings(name, v));
      EXPECT_FALSE(h->PostingsRange(name, v + "~").has_value());
      ++lists;
    }
  }
  EXPECT_GT(lists, 600);
  EXPECT_TRUE(h->PostingsRange("", "").has_value());
  EXPECT_FALSE(h->PostingsRange("i", "").has_value());
  EXPECT_FALSE(h->PostingsRange("zzz", "1").has_value());
  // Lean: a few bytes per 32 entries, well under the table itself.
  EXPECT_LT(h->HeapBytes(), 8 * 1024u);
}

TEST_F(IndexHeaderTest, ReusesAValidFileAndRebuildsATornOrForeignOne) {
  ASSERT_NE(Open(nullptr), nullptr);
  struct stat before;
  ASSERT_EQ(::stat(path_.c_str(), &before), 0);
  bucket_->Clear();
  bool rebuilt = true;
  ASSERT_NE(Open(&rebuilt), nullptr);
  EXPECT_FALSE(rebuilt);
  EXPECT_TRUE(bucket_->Reads().empty());
  struct stat after;
  ASSERT_EQ(::stat(path_.c_str(), &after), 0);
  EXPECT_EQ(before.st_mtim.tv_nsec, after.st_mtim.tv_nsec);
  EXPECT_EQ(before.st_ino, after.st_ino);

  const std::string good = *env_->ReadFile(path_);
  const std::vector<std::string> bad = {
      good.substr(0, good.size() - 7),                          // torn
      std::string(good.size(), 'x'),                            // foreign
      good.substr(0, 100) + "\x01" + good.substr(101),          // a flipped byte
      absl::StrCat(good.substr(0, 4), "\x09", good.substr(5)),  // another version
  };
  for (const std::string& b : bad) {
    ASSERT_TRUE(WriteFileAtomically(env_, path_, b).ok());
    EXPECT_EQ(IndexHeader::OpenFile(env_, path_).status().code(), absl::StatusCode::kDataLoss);
    rebuilt = false;
    std::unique_ptr<IndexHeader> h = Open(&rebuilt);
    ASSERT_NE(h, nullptr);
    EXPECT_TRUE(rebuilt);
    EXPECT_EQ(*env_->ReadFile(path_), good);
    EXPECT_EQ(h->LabelNames(), local_->LabelNames());
  }
}

TEST_F(IndexHeaderTest, MissingOrCorruptIndexIsAnErrorNotACrash) {
  const std::string index = *env_->ReadFile(JoinPath(root_, "tsdb/" + id_ + "/index"));
  ASSERT_TRUE(fs_->Delete(index_name_).ok());
  EXPECT_EQ(IndexHeader::Open(env_, *bucket_, index_name_, path_).status().code(),
            absl::StatusCode::kNotFound);
  // Every byte of the TOC and many elsewhere flipped; truncations.
  for (size_t pos = 0; pos < index.size(); pos += (pos + 60 >= index.size() ? 1 : 97)) {
    std::string bad = index;
    bad[pos] = static_cast<char>(bad[pos] ^ 0x5a);
    objstore::StringSource src(bad);
    ASSERT_TRUE(fs_->Upload(index_name_, src).ok());
    absl::StatusOr<std::unique_ptr<IndexHeader>> h =
        IndexHeader::Open(env_, *bucket_, index_name_, path_);
    if (!h.ok()) {
      EXPECT_EQ(h.status().code(), absl::StatusCode::kDataLoss) << pos << h.status();
      EXPECT_NE(h.status().message().find(index_name_), std::string::npos) << h.status();
    }
    env_->RemoveFile(path_).IgnoreError();
  }
  for (size_t len : {size_t{0}, size_t{4}, index.size() / 2, index.size() - 1}) {
    objstore::StringSource src(absl::string_view(index).substr(0, len));
    ASSERT_TRUE(fs_->Upload(index_name_, src).ok());
    EXPECT_EQ(IndexHeader::Open(env_, *bucket_, index_name_, path_).status().code(),
              absl::StatusCode::kDataLoss);
  }
  EXPECT_FALSE(env_->FileExists(path_ + ".tmp"));
}

}  // namespace
}  // namespace argus::store
