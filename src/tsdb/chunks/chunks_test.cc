#include "tsdb/chunks/chunks.h"

#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"

namespace argus::tsdb::chunks {
namespace {

class ChunksTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/chunks_test_" + std::to_string(::getpid());
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

TEST_F(ChunksTest, WriteReadAcrossSegments) {
  auto w = ChunkWriter::Create(Env::Default(), dir_, /*max_segment_size=*/100);
  ASSERT_TRUE(w.ok());
  std::vector<uint64_t> refs;
  for (int i = 0; i < 10; ++i) {
    std::string data(30 + i, static_cast<char>('a' + i));
    auto ref = (*w)->Write(chunkenc::Encoding::kXor, data);
    ASSERT_TRUE(ref.ok());
    refs.push_back(*ref);
  }
  ASSERT_TRUE((*w)->Close().ok());
  EXPECT_EQ(refs[0], MakeRef(0, 8));  // first chunk right after the 8-byte header
  EXPECT_GT(refs.back() >> 32, 0u);   // later chunks went to later segments
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/000001"));
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/000002"));

  auto r = ChunkReader::Open(Env::Default(), dir_);
  ASSERT_TRUE(r.ok()) << r.status();
  for (int i = 0; i < 10; ++i) {
    auto c = (*r)->Read(refs[i]);
    ASSERT_TRUE(c.ok()) << c.status();
    EXPECT_EQ(c->encoding, chunkenc::Encoding::kXor);
    EXPECT_EQ(c->data, std::string(30 + i, static_cast<char>('a' + i)));
  }
}

TEST_F(ChunksTest, CorruptionIsDataLossNamingFileAndOffset) {
  auto w = ChunkWriter::Create(Env::Default(), dir_);
  ASSERT_TRUE(w.ok());
  auto ref = (*w)->Write(chunkenc::Encoding::kXor, "0123456789");
  ASSERT_TRUE(ref.ok());
  ASSERT_TRUE((*w)->Close().ok());
  {
    std::fstream f(dir_ + "/000001", std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(12);
    f.put('X');
  }
  auto r = ChunkReader::Open(Env::Default(), dir_);
  ASSERT_TRUE(r.ok());
  auto c = (*r)->Read(*ref);
  EXPECT_EQ(c.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(c.status().message().find("000001"), absl::string_view::npos);
  EXPECT_NE(c.status().message().find("offset 8"), absl::string_view::npos);
  EXPECT_EQ((*r)->Read(MakeRef(0, 5000)).status().code(), absl::StatusCode::kDataLoss);
  EXPECT_EQ((*r)->Read(MakeRef(7, 8)).status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(ChunksTest, BadMagicRejected) {
  std::filesystem::create_directories(dir_);
  std::ofstream(dir_ + "/000001") << "not a chunk file";
  EXPECT_EQ(ChunkReader::Open(Env::Default(), dir_).status().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace argus::tsdb::chunks
