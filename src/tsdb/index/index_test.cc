#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"
#include "tsdb/index/index_reader.h"
#include "tsdb/index/index_writer.h"

namespace argus::tsdb::index {
namespace {

using labels::Labels;

class IndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = ::testing::TempDir() + "/index_test_" + std::to_string(::getpid());
  }
  void TearDown() override { std::filesystem::remove(path_); }

  void WriteSample() {
    auto w = IndexWriter::Create(Env::Default(), path_);
    ASSERT_TRUE(w.ok());
    ASSERT_TRUE((*w)->AddSymbols({"200", "500", "__name__", "a", "code", "job", "up"}).ok());
    ASSERT_TRUE((*w)->AddSeries(Labels{{"__name__", "a"}, {"code", "200"}},
                                {{0, 99, 8}, {100, 199, 60}, {250, 300, 40}})
                    .ok());
    ASSERT_TRUE((*w)->AddSeries(Labels{{"__name__", "a"}, {"code", "500"}}, {{-5, 5, 120}}).ok());
    ASSERT_TRUE((*w)->AddSeries(Labels{{"__name__", "up"}, {"job", "a"}}, {}).ok());
    EXPECT_EQ((*w)->AddSeries(Labels{{"__name__", "a"}}, {}).code(),
              absl::StatusCode::kInvalidArgument);  // out of order
    ASSERT_TRUE((*w)->Close().ok());
  }

  std::string path_;
};

TEST_F(IndexTest, RoundTrip) {
  WriteSample();
  auto r = IndexReader::Open(Env::Default(), path_);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ((*r)->num_symbols(), 7u);
  EXPECT_EQ(*(*r)->Symbol(2), "__name__");
  EXPECT_EQ((*r)->LabelNames(), (std::vector<std::string>{"__name__", "code", "job"}));
  EXPECT_EQ((*r)->LabelValues("__name__"), (std::vector<std::string>{"a", "up"}));
  auto all = (*r)->AllPostings();
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 3u);
  auto a = (*r)->Postings("__name__", "a");
  ASSERT_EQ(a->size(), 2u);
  EXPECT_EQ((*a)[0], (*all)[0]);
  EXPECT_TRUE((*r)->Postings("__name__", "zzz")->empty());
  EXPECT_TRUE((*r)->Postings("nope", "a")->empty());

  auto s0 = (*r)->Series((*all)[0]);
  ASSERT_TRUE(s0.ok()) << s0.status();
  EXPECT_EQ(s0->labels.ToString(), R"({__name__="a", code="200"})");
  EXPECT_EQ(s0->chunks, (std::vector<ChunkMeta>{{0, 99, 8}, {100, 199, 60}, {250, 300, 40}}));
  auto s1 = (*r)->Series((*all)[1]);
  EXPECT_EQ(s1->chunks, (std::vector<ChunkMeta>{{-5, 5, 120}}));
  EXPECT_TRUE((*r)->Series((*all)[2])->chunks.empty());
  for (uint64_t ref : *all) EXPECT_EQ(ref * 16 % 16, 0u);
}

TEST_F(IndexTest, EveryFlippedByteIsDetectedOrHarmless) {
  WriteSample();
  std::ifstream in(path_, std::ios::binary);
  std::string good((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  int detected = 0;
  for (size_t i = 0; i < good.size(); ++i) {
    std::string bad = good;
    bad[i] ^= 0x20;
    std::ofstream(path_, std::ios::binary | std::ios::trunc) << bad;
    auto r = IndexReader::Open(Env::Default(), path_);
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), absl::StatusCode::kDataLoss) << i;
      ++detected;
      continue;
    }
    // Opened: every series read either works or reports DataLoss; never crashes.
    auto all = (*r)->AllPostings();
    if (!all.ok()) {
      ++detected;
      continue;
    }
    for (uint64_t ref : *all) {
      auto s = (*r)->Series(ref);
      if (!s.ok()) {
        EXPECT_EQ(s.status().code(), absl::StatusCode::kDataLoss);
        ++detected;
      }
    }
  }
  EXPECT_GT(detected, static_cast<int>(good.size()) / 2);
}

TEST_F(IndexTest, MissingFileIsNotFound) {
  EXPECT_EQ(IndexReader::Open(Env::Default(), path_ + ".nope").status().code(),
            absl::StatusCode::kNotFound);
}

// Found by tsdb_index_reader_fuzz: a symbol table (with a valid CRC) claiming 3 billion symbols
// made the reader reserve 12 GB before noticing the table is 38 bytes long.
TEST_F(IndexTest, HugeSymbolCountIsDataLossNotAnAllocation) {
  const std::string hex =
      "baaad70002000000000005002c0000000000000011b9b7002c4bbab9b74bbab9b7002c4bbab9712eb96500"
      "002c4bbab9b7002c4bbab9b74bbab9b7002cfa2fd30d";
  std::string bytes;
  for (size_t i = 0; i < hex.size(); i += 2) {
    bytes.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  ASSERT_TRUE(WriteFileAtomically(Env::Default(), path_, bytes).ok());
  EXPECT_EQ(IndexReader::Open(Env::Default(), path_).status().code(), absl::StatusCode::kDataLoss);
}

}  // namespace
}  // namespace argus::tsdb::index
