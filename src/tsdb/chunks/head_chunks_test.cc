#include "tsdb/chunks/head_chunks.h"

#include <filesystem>
#include <thread>

#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/crc32c.h"
#include "gtest/gtest.h"

namespace argus::tsdb::chunks {
namespace {

class HeadChunksTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    dir_ =
        (std::filesystem::temp_directory_path() / absl::StrCat("head_chunks_", getpid())).string();
    std::filesystem::remove_all(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Dir() const { return GetParam() ? dir_ : ""; }
  std::string dir_;
};

// Chunks written across several files read back unchanged, also while later files are being
// written, and from readers that kept them across truncation.
TEST_P(HeadChunksTest, WritesReadsAndTruncates) {
  auto hc = HeadChunks::Open(Env::Default(), Dir(), /*file_size=*/4096);
  ASSERT_TRUE(hc.ok()) << hc.status();
  std::vector<std::pair<uint64_t, std::string>> written;
  for (int i = 0; i < 200; ++i) {
    const std::string data(static_cast<size_t>(1 + i % 150), static_cast<char>('a' + i % 26));
    written.emplace_back((*hc)->Write(i, i * 100, i * 100 + 99, data), data);
  }
  for (const auto& [ref, data] : written) {
    std::shared_ptr<const void> owner;
    EXPECT_EQ((*hc)->Read(ref, &owner), data);
  }
  std::shared_ptr<const void> kept;
  const absl::string_view early = (*hc)->Read(written[0].first, &kept);
  ASSERT_TRUE((*hc)->Truncate(10000).ok());  // chunks 0..99 end before 10000
  EXPECT_EQ(early, written[0].second) << "a reader's view outlives truncation";
  for (size_t i = 100; i < written.size(); ++i) {
    std::shared_ptr<const void> owner;
    EXPECT_EQ((*hc)->Read(written[i].first, &owner), written[i].second);
  }
  if (GetParam()) {
    // Written files carry Prometheus's head chunk file header and per-chunk CRCs.
    int files = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
      auto bytes = Env::Default()->ReadFile(e.path().string());
      ASSERT_TRUE(bytes.ok());
      EXPECT_EQ(LoadBE32(bytes->data()), kHeadChunkMagic);
      EXPECT_EQ((*bytes)[4], 1);
      ++files;
    }
    // About 21 KB went into 4 KiB files; the older half is truncated away and the active file
    // is still in memory.
    EXPECT_GE(files, 2);
    EXPECT_LE(files, 3) << "old files are deleted";
  }
}

// Files are written out without the lock held: writers on other threads carry on meanwhile,
// truncation skips a file still being written, and every chunk reads back.
TEST_P(HeadChunksTest, ConcurrentWritersAcrossFileCuts) {
  auto hc = HeadChunks::Open(Env::Default(), Dir(), /*file_size=*/2048);
  ASSERT_TRUE(hc.ok()) << hc.status();
  constexpr int kPerThread = 2000;
  std::vector<std::pair<uint64_t, std::string>> written[2];
  std::vector<std::thread> threads;
  for (int w = 0; w < 2; ++w) {
    threads.emplace_back([&, w] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string data(static_cast<size_t>(1 + i % 90), static_cast<char>('a' + w));
        written[w].emplace_back((*hc)->Write(w, i, i, data), data);
        if (w == 1 && i % 100 == 0) {
          EXPECT_TRUE((*hc)->Truncate(0).ok());  // drops nothing
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& chunks : written) {
    for (const auto& [ref, data] : chunks) {
      std::shared_ptr<const void> owner;
      ASSERT_EQ((*hc)->Read(ref, &owner), data);
    }
  }
}

TEST_P(HeadChunksTest, RecordLayoutMatchesPrometheus) {
  auto hc = HeadChunks::Open(Env::Default(), Dir(), 64);
  ASSERT_TRUE(hc.ok());
  const uint64_t ref = (*hc)->Write(7, -5, 9, "xyz");
  EXPECT_EQ(ref, 8u);                             // file 0, right after the 8-byte header
  (*hc)->Write(8, 10, 11, std::string(60, 'q'));  // forces the first file out
  std::shared_ptr<const void> owner;
  const absl::string_view data = (*hc)->Read(ref, &owner);
  const char* rec = data.data() - 1 - 25;
  EXPECT_EQ(LoadBE64(rec), 7u);
  EXPECT_EQ(static_cast<int64_t>(LoadBE64(rec + 8)), -5);
  EXPECT_EQ(static_cast<int64_t>(LoadBE64(rec + 16)), 9);
  EXPECT_EQ(rec[24], 1);  // XOR
  EXPECT_EQ(rec[25], 3);  // uvarint length
  EXPECT_EQ(LoadBE32(rec + 29), Crc32c(absl::string_view(rec, 29)));
}

INSTANTIATE_TEST_SUITE_P(MemoryAndFiles, HeadChunksTest, ::testing::Bool());

}  // namespace
}  // namespace argus::tsdb::chunks
