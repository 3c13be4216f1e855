#include "tsdb/db/db.h"

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace argus::tsdb {
namespace {

using labels::Matcher;
using labels::MatchType;

constexpr int64_t kHour = 3600 * 1000;

class DbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = (std::filesystem::temp_directory_path() /
            absl::StrCat("db_test_", getpid(), "_",
                         ::testing::UnitTest::GetInstance()->current_test_info()->name()))
               .string();
    std::filesystem::remove_all(dir_);
    opts_.compaction_interval_ms = 0;
    opts_.wal_segment_size = 64 * 1024;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::unique_ptr<DB> OpenDb() {
    auto db = DB::Open(dir_, opts_);
    EXPECT_TRUE(db.ok()) << db.status();
    return db.ok() ? std::move(*db) : nullptr;
  }

  // Appends series s0..s{n-1} every 15s over [from, to), one commit per timestamp.
  static void Fill(DB& db, int n, int64_t from, int64_t to) {
    auto app = db.Appender();
    for (int64_t t = from; t < to; t += 15000) {
      for (int s = 0; s < n; ++s) {
        ASSERT_TRUE(app->Append(0, labels::Labels({{"__name__", "m"}, {"s", absl::StrCat(s)}}), t,
                                static_cast<double>(t / 1000))
                        .ok());
      }
      ASSERT_TRUE(app->Commit().ok());
    }
  }

  // Number of samples and their timestamp range per series, "s=<i> n=<count> [first,last]".
  // Only series s0 and s1.
  static std::vector<std::string> Summary(DB& db, int64_t mint = INT64_MIN,
                                          int64_t maxt = INT64_MAX) {
    auto q = db.NewQuerier(mint, maxt);
    EXPECT_TRUE(q.ok());
    auto set = (*q)->Select(true, {},
                            {*Matcher::Create(MatchType::kEqual, "__name__", "m"),
                             *Matcher::Create(MatchType::kRegexMatch, "s", "0|1")});
    std::vector<std::string> out;
    while (set->Next()) {
      auto it = set->At().Iterator();
      int64_t n = 0, first = 0, last = 0;
      while (it->Next()) {
        if (n++ == 0) first = it->t();
        last = it->t();
        EXPECT_EQ(it->v(), static_cast<double>(it->t() / 1000));
      }
      out.push_back(
          absl::StrCat(set->At().labels().Get("s"), " n=", n, " [", first, ",", last, "]"));
    }
    EXPECT_TRUE(set->status().ok()) << set->status();
    return out;
  }

  std::string dir_;
  DbOptions opts_;
};

TEST_F(DbTest, ReopenReplaysTheWal) {
  {
    auto db = OpenDb();
    Fill(*db, 3, 0, 600000);
    ASSERT_TRUE(db->Close().ok());
  }
  auto db = OpenDb();
  EXPECT_EQ(Summary(*db), (std::vector<std::string>{"0 n=40 [0,585000]", "1 n=40 [0,585000]"}));
  // Appending continues after the replayed samples; older ones are out of order.
  auto app = db->Appender();
  EXPECT_FALSE(app->Append(0, labels::Labels({{"__name__", "m"}, {"s", "0"}}), 1000, 1).ok());
  EXPECT_TRUE(app->Append(0, labels::Labels({{"__name__", "m"}, {"s", "0"}}), 600000, 600).ok());
  ASSERT_TRUE(app->Commit().ok());
}

// The head is persisted in 2h blocks once it spans more than 3h; the WAL is checkpointed and
// truncated; nothing is lost across a restart.
TEST_F(DbTest, CompactsTheHeadAndKeepsEverythingAcrossRestart) {
  const std::vector<std::string> want = {"0 n=1200 [0,17985000]", "1 n=1200 [0,17985000]"};
  {
    opts_.wal_compression = false;  // several WAL segments, so that a checkpoint is due
    auto db = OpenDb();
    Fill(*db, 20, 0, 5 * kHour);
    ASSERT_TRUE(db->Compact().ok());
    std::vector<block::BlockMeta> blocks = db->Blocks();
    ASSERT_EQ(blocks.size(), 1u);
    EXPECT_EQ(blocks[0].min_time, 0);
    EXPECT_EQ(blocks[0].max_time, 2 * kHour);
    EXPECT_EQ(db->head().min_time(), 2 * kHour);
    EXPECT_EQ(Summary(*db), want);
    bool checkpoint = false;
    for (const auto& e : std::filesystem::directory_iterator(dir_ + "/wal")) {
      checkpoint |= e.path().filename().string().rfind("checkpoint.", 0) == 0;
    }
    EXPECT_TRUE(checkpoint) << [&] {
      std::string names;
      for (const auto& e : std::filesystem::directory_iterator(dir_ + "/wal")) {
        names += e.path().filename().string() + " ";
      }
      return names;
    }();
    ASSERT_TRUE(db->Close().ok());
  }
  auto db = OpenDb();
  EXPECT_EQ(Summary(*db), want);
  EXPECT_EQ(Summary(*db, kHour, 3 * kHour),
            (std::vector<std::string>{"0 n=481 [3600000,10800000]", "1 n=481 [3600000,10800000]"}));
}

TEST_F(DbTest, LeveledCompactionAndRetention) {
  opts_.retention_ms = 10 * kHour;
  opts_.max_block_duration = 6 * kHour;
  auto db = OpenDb();
  Fill(*db, 1, 0, 15 * kHour);
  ASSERT_TRUE(db->Compact().ok());
  // Head blocks 0-2, 2-4, ..., 10-12; 0-6 fills a 6h range; 6-8 and 8-10 lie before the
  // newest block, which is left alone.
  std::vector<std::pair<int64_t, int64_t>> ranges;
  for (const auto& m : db->Blocks()) ranges.emplace_back(m.min_time / kHour, m.max_time / kHour);
  EXPECT_EQ(ranges, (std::vector<std::pair<int64_t, int64_t>>{{0, 6}, {6, 10}, {10, 12}}));
  // Far ahead: the old blocks fall out of the 10h retention once newer blocks exist.
  Fill(*db, 1, 15 * kHour, 26 * kHour);
  ASSERT_TRUE(db->Compact().ok());
  for (const auto& m : db->Blocks()) {
    EXPECT_LE(db->Blocks().back().max_time - m.max_time, opts_.retention_ms) << m.min_time / kHour;
  }
  EXPECT_GT(db->Blocks().front().min_time, 0);
}

TEST_F(DbTest, EqualMinAndMaxBlockDurationNeverMergesBlocks) {
  opts_.max_block_duration = opts_.min_block_duration;
  auto db = OpenDb();
  Fill(*db, 1, 0, 12 * kHour);
  ASSERT_TRUE(db->Compact().ok());
  for (const auto& m : db->Blocks()) EXPECT_EQ(m.max_time - m.min_time, 2 * kHour);
  EXPECT_EQ(db->Blocks().size(), 5u);
}

// Size retention counts the WAL and head chunk files, then keeps the newest blocks that fit.
TEST_F(DbTest, SizeRetentionDeletesTheOldestBlocks) {
  opts_.max_block_duration = opts_.min_block_duration;
  std::vector<block::BlockMeta> blocks;
  {
    auto db = OpenDb();
    Fill(*db, 5, 0, 12 * kHour);
    ASSERT_TRUE(db->Compact().ok());
    blocks = db->Blocks();
    ASSERT_EQ(blocks.size(), 5u);
    ASSERT_TRUE(db->Close().ok());
  }
  auto size = [](const std::string& dir) { return *DirectorySize(Env::Default(), dir); };
  uint64_t budget = size(dir_ + "/wal") + size(dir_ + "/chunks_head");
  for (size_t i = blocks.size() - 2; i < blocks.size(); ++i) {
    budget += size(dir_ + "/" + blocks[i].ulid.ToString());
  }
  opts_.retention_bytes = static_cast<int64_t>(budget + 100);
  auto db = OpenDb();
  std::vector<block::BlockMeta> kept = db->Blocks();
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].ulid, blocks[3].ulid);
  EXPECT_EQ(kept[1].ulid, blocks[4].ulid);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/" + blocks[0].ulid.ToString()));
}

TEST_F(DbTest, SkipsCorruptBlocksAndRemovesLeftovers) {
  {
    auto db = OpenDb();
    Fill(*db, 1, 0, 5 * kHour);
    ASSERT_TRUE(db->Compact().ok());
  }
  const std::string block = dir_ + "/" + [&] {
    for (const auto& e : std::filesystem::directory_iterator(dir_)) {
      if (e.path().filename().string().size() == 26) return e.path().filename().string();
    }
    return std::string();
  }();
  std::filesystem::create_directories(dir_ + "/01ARZ3NDEKTSV4RRFFQ69G5FAV.tmp-for-creation");
  {  // The last byte is in the CRC of the index's table of contents.
    const auto size = std::filesystem::file_size(block + "/index");
    std::fstream f(block + "/index", std::ios::in | std::ios::out | std::ios::binary);
    f.seekg(size - 1);
    const char c = static_cast<char>(f.get() ^ 0x55);
    f.seekp(size - 1);
    f.put(c);
  }
  auto db = OpenDb();
  EXPECT_TRUE(db->Blocks().empty());
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/01ARZ3NDEKTSV4RRFFQ69G5FAV.tmp-for-creation"));
  EXPECT_TRUE(std::filesystem::exists(block)) << "a corrupt block is skipped, not deleted";
}

// Flips one byte of a file in place.
void FlipByte(const std::string& path, int64_t offset) {
  std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
  f.seekg(offset);
  const char c = static_cast<char>(f.get() ^ 0x55);
  f.seekp(offset);
  f.put(c);
}

// A corrupt chunk fails the queries that need it with DataLoss naming the block, the file and
// the offset; other data stays readable and the DB keeps running.
TEST_F(DbTest, CorruptChunkIsDataLossForQueriesThatReadIt) {
  auto db = OpenDb();
  Fill(*db, 2, 0, 5 * kHour);
  ASSERT_TRUE(db->Compact().ok());
  ASSERT_EQ(db->Blocks().size(), 1u);
  const std::string seg = dir_ + "/" + db->Blocks()[0].ulid.ToString() + "/chunks/000001";
  FlipByte(seg, 8 + 3);  // inside the first chunk's data
  auto q = db->NewQuerier(0, 2 * kHour);
  ASSERT_TRUE(q.ok());
  auto set = (*q)->Select(true, {}, {*Matcher::Create(MatchType::kEqual, "__name__", "m")});
  while (set->Next()) {
  }
  const absl::Status st = set->status();
  EXPECT_EQ(st.code(), absl::StatusCode::kDataLoss) << st;
  EXPECT_NE(st.message().find(db->Blocks()[0].ulid.ToString()), absl::string_view::npos) << st;
  EXPECT_NE(st.message().find("chunks/000001: checksum mismatch for chunk at offset 8"),
            absl::string_view::npos)
      << st;
  // The head's range is unaffected.
  EXPECT_EQ(
      Summary(*db, 3 * kHour, 4 * kHour),
      (std::vector<std::string>{"0 n=241 [10800000,14400000]", "1 n=241 [10800000,14400000]"}));
}

// A corrupt WAL tail is repaired on open: the records before it are replayed, the DB opens,
// and appending continues.
TEST_F(DbTest, CorruptWalTailIsRepairedOnOpen) {
  opts_.wal_compression = false;
  {
    auto db = OpenDb();
    Fill(*db, 2, 0, 3600000);
    ASSERT_TRUE(db->Close().ok());
  }
  std::string last;
  for (const auto& e : std::filesystem::directory_iterator(dir_ + "/wal")) {
    if (e.is_regular_file() && e.file_size() > 0) last = std::max(last, e.path().string());
  }
  ASSERT_FALSE(last.empty());
  FlipByte(last, 5000);  // about a third into the samples
  auto db = OpenDb();
  ASSERT_NE(db, nullptr);
  const std::vector<std::string> got = Summary(*db);
  ASSERT_EQ(got.size(), 2u);
  // Whole batches up to the corrupt record survive; nothing after it.
  int64_t n0, n1;
  ASSERT_EQ(std::sscanf(got[0].c_str(), "0 n=%ld", &n0), 1);
  ASSERT_EQ(std::sscanf(got[1].c_str(), "1 n=%ld", &n1), 1);
  EXPECT_EQ(n0, n1);
  EXPECT_GT(n0, 20);
  EXPECT_LT(n0, 200);
  auto app = db->Appender();
  EXPECT_TRUE(app->Append(0, labels::Labels({{"__name__", "m"}, {"s", "0"}}), n0 * 15000, 1).ok());
  EXPECT_TRUE(app->Commit().ok());
}

TEST_F(DbTest, DeleteWritesTombstonesThatSurviveRestart) {
  const auto s0 = *Matcher::Create(MatchType::kEqual, "s", "0");
  {
    auto db = OpenDb();
    Fill(*db, 2, 0, 5 * kHour);
    ASSERT_TRUE(db->Compact().ok());
    ASSERT_TRUE(db->Delete(kHour, 3 * kHour, {s0}).ok());
    EXPECT_EQ(Summary(*db),
              (std::vector<std::string>{"0 n=719 [0,17985000]", "1 n=1200 [0,17985000]"}));
    ASSERT_TRUE(db->Close().ok());
  }
  auto db = OpenDb();
  EXPECT_EQ(Summary(*db),
            (std::vector<std::string>{"0 n=719 [0,17985000]", "1 n=1200 [0,17985000]"}));
}

}  // namespace
}  // namespace argus::tsdb
