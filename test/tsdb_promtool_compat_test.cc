// Prometheus -> Argus: blocks written by the real promtool (Debian prometheus 2.42) read by
// Argus. The dump of every block must equal promtool's own dump byte for byte, the list must
// match, and every chunk promtool wrote must be re-encoded by Argus's XOR appender into the
// very same bytes.
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "base/ulid.h"
#include "gtest/gtest.h"
#include "tsdb/chunkenc/xor.h"
#include "tsdb/chunks/chunks.h"
#include "tsdb/index/index_writer.h"
#include "tsdb/tombstones/tombstones.h"
#include "tsdb/tools/tools.h"
#include "util/openmetrics_gen.h"
#include "util/process.h"

namespace argus::testing {
namespace {

class PromtoolCompatTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/promtool_compat_" + std::to_string(::getpid());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_ + "/data/wal");  // promtool's dump opens a DB
    std::ofstream(dir_ + "/in.om") << GenerateOpenMetrics(42, 24, 1500);
    CommandResult r = RunCommand(
        {"promtool", "tsdb", "create-blocks-from", "openmetrics", dir_ + "/in.om", dir_ + "/data"});
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string dir_;
};

std::string Sorted(const std::string& text) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n', absl::SkipEmpty());
  std::sort(lines.begin(), lines.end());
  return absl::StrJoin(lines, "\n");
}

TEST_F(PromtoolCompatTest, DumpEqualsPromtoolDump) {
  CommandResult theirs = RunCommand({"promtool", "tsdb", "dump", dir_ + "/data"});
  ASSERT_EQ(theirs.exit_code, 0) << theirs.output.substr(0, 2000);
  CommandResult ours = RunCommand({ArgusBinary(), "tools", "tsdb", "dump", dir_ + "/data"});
  ASSERT_EQ(ours.exit_code, 0) << ours.output.substr(0, 2000);
  EXPECT_GT(theirs.output.size(), 100000u);  // the data set is not trivially small
  EXPECT_EQ(Sorted(ours.output), Sorted(theirs.output));
  // Unsorted too: same series order and sample order.
  EXPECT_EQ(ours.output, theirs.output);

  const std::string window = "--min-time=1700003600000";
  CommandResult theirs_w =
      RunCommand({"promtool", "tsdb", "dump", window, "--max-time=1700010000000", dir_ + "/data"});
  CommandResult ours_w = RunCommand(
      {ArgusBinary(), "tools", "tsdb", "dump", window, "--max-time=1700010000000", dir_ + "/data"});
  ASSERT_EQ(ours_w.exit_code, 0) << ours_w.output.substr(0, 2000);
  EXPECT_EQ(ours_w.output, theirs_w.output);
}

TEST_F(PromtoolCompatTest, ListEqualsPromtoolList) {
  CommandResult theirs = RunCommand({"promtool", "tsdb", "list", dir_ + "/data"});
  CommandResult ours = RunCommand({ArgusBinary(), "tools", "tsdb", "list", dir_ + "/data"});
  ASSERT_EQ(ours.exit_code, 0) << ours.output;
  EXPECT_EQ(ours.output, theirs.output);
}

TEST_F(PromtoolCompatTest, ArgusReencodesEveryPromtoolChunkToTheSameBytes) {
  auto blocks = tsdb::tools::OpenBlocks(Env::Default(), dir_ + "/data");
  ASSERT_TRUE(blocks.ok()) << blocks.status();
  ASSERT_GT(blocks->size(), 2u);
  int chunks_checked = 0;
  for (const auto& b : *blocks) {
    auto refs = b->index().AllPostings();
    ASSERT_TRUE(refs.ok());
    for (uint64_t ref : *refs) {
      auto series = b->index().Series(ref);
      ASSERT_TRUE(series.ok()) << series.status();
      for (const auto& meta : series->chunks) {
        auto c = b->chunks().Read(meta.ref);
        ASSERT_TRUE(c.ok()) << c.status();
        ASSERT_EQ(c->encoding, tsdb::chunkenc::Encoding::kXor);
        tsdb::chunkenc::XorIterator it(c->data);
        tsdb::chunkenc::XorAppender app;
        int64_t first = 0, last = 0;
        while (it.Next()) {
          if (app.num_samples() == 0) first = it.t();
          last = it.t();
          app.Append(it.t(), it.v());
        }
        ASSERT_TRUE(it.status().ok()) << it.status();
        EXPECT_EQ(first, meta.min_time);
        EXPECT_EQ(last, meta.max_time);
        ASSERT_EQ(app.bytes(), std::string(c->data)) << series->labels.ToString();
        ++chunks_checked;
      }
    }
  }
  EXPECT_GT(chunks_checked, 200);
}

// Argus -> Prometheus: every promtool block is rewritten with Argus's chunk, index, tombstones
// and meta writers, with part of one series deleted by a tombstone; promtool must read the
// rewritten blocks, and its dump must equal argus's dump of them.
TEST_F(PromtoolCompatTest, PromtoolReadsBlocksArgusWrote) {
  auto blocks = tsdb::tools::OpenBlocks(Env::Default(), dir_ + "/data");
  ASSERT_TRUE(blocks.ok()) << blocks.status();
  const std::string out = dir_ + "/rewritten";
  std::filesystem::create_directories(out + "/wal");
  UlidGenerator ulids(7);
  for (const auto& b : *blocks) {
    tsdb::block::BlockMeta meta = b->meta();
    meta.ulid = ulids.Next(static_cast<uint64_t>(meta.max_time));
    meta.sources = {meta.ulid};
    const std::string bdir = out + "/" + meta.ulid.ToString();
    auto refs = b->index().AllPostings();
    ASSERT_TRUE(refs.ok());
    std::vector<tsdb::index::SeriesEntry> series;
    std::set<std::string> symbols;
    for (uint64_t ref : *refs) {
      auto e = b->index().Series(ref);
      ASSERT_TRUE(e.ok());
      for (const auto& l : e->labels) {
        symbols.insert(l.name);
        symbols.insert(l.value);
      }
      series.push_back(*std::move(e));
    }
    auto cw = tsdb::chunks::ChunkWriter::Create(Env::Default(), bdir + "/chunks");
    ASSERT_TRUE(cw.ok());
    for (auto& e : series) {
      for (auto& c : e.chunks) {
        auto data = b->chunks().Read(c.ref);
        ASSERT_TRUE(data.ok());
        auto ref = (*cw)->Write(data->encoding, data->data);
        ASSERT_TRUE(ref.ok());
        c.ref = *ref;
      }
    }
    ASSERT_TRUE((*cw)->Close().ok());
    auto iw = tsdb::index::IndexWriter::Create(Env::Default(), bdir + "/index");
    ASSERT_TRUE(iw.ok());
    ASSERT_TRUE((*iw)->AddSymbols(std::vector<std::string>(symbols.begin(), symbols.end())).ok());
    for (const auto& e : series) ASSERT_TRUE((*iw)->AddSeries(e.labels, e.chunks).ok());
    ASSERT_TRUE((*iw)->Close().ok());
    // Delete a stretch of the first series of every block, so both readers must honour
    // tombstones Argus wrote.
    tsdb::tombstones::Tombstones ts;
    if (!refs->empty() && !series[0].chunks.empty()) {
      const auto& c = series[0].chunks[0];
      ts.Add((*refs)[0], {c.min_time, c.min_time + (c.max_time - c.min_time) / 2});
    }
    ASSERT_TRUE(tsdb::tombstones::Write(Env::Default(), bdir, ts).ok());
    meta.stats.num_tombstones = ts.NumIntervals();
    ASSERT_TRUE(tsdb::block::WriteMeta(Env::Default(), bdir, meta).ok());
  }
  CommandResult original = RunCommand({"promtool", "tsdb", "dump", dir_ + "/data"});
  CommandResult theirs = RunCommand({"promtool", "tsdb", "dump", out});
  ASSERT_EQ(theirs.exit_code, 0) << theirs.output.substr(0, 2000);
  CommandResult ours = RunCommand({ArgusBinary(), "tools", "tsdb", "dump", out});
  ASSERT_EQ(ours.exit_code, 0) << ours.output.substr(0, 2000);
  EXPECT_EQ(ours.output, theirs.output);
  // The tombstones removed samples, and nothing else changed.
  EXPECT_LT(theirs.output.size(), original.output.size());
  EXPECT_GT(theirs.output.size(), original.output.size() * 9 / 10);
  CommandResult analyze = RunCommand({"promtool", "tsdb", "analyze", out});
  EXPECT_EQ(analyze.exit_code, 0) << analyze.output.substr(0, 2000);
}

}  // namespace
}  // namespace argus::testing
