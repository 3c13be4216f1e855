#include "storage/remote/read_handler.h"

#include <snappy.h>

#include <filesystem>
#include <string>

#include "base/coding.h"
#include "base/crc32c.h"
#include "gtest/gtest.h"
#include "prompb/remote.pb.h"
#include "tsdb/chunkenc/xor.h"
#include "tsdb/db/db.h"

namespace argus::storage::remote {
namespace {

class ReadHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/read_handler_" + std::to_string(::getpid());
    std::filesystem::remove_all(dir_);
    tsdb::DbOptions opts;
    opts.compaction_interval_ms = 0;
    auto db = tsdb::DB::Open(dir_, opts);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    auto app = db_->Appender();
    for (int i = 0; i < 300; ++i) {
      ASSERT_TRUE(
          app->Append(0, labels::Labels({{"__name__", "m"}, {"job", "b"}}), i * 1000, i).ok());
      ASSERT_TRUE(
          app->Append(0, labels::Labels({{"__name__", "m"}, {"job", "a"}}), i * 1000, -i).ok());
    }
    ASSERT_TRUE(app->Commit().ok());
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  absl::StatusOr<ReadReply> Read(prometheus::ReadRequest req, const labels::Labels& external = {}) {
    std::string body;
    const std::string raw = req.SerializeAsString();
    snappy::Compress(raw.data(), raw.size(), &body);
    return HandleRead(
        body, [this](int64_t mint, int64_t maxt) { return db_->ChunkQuerier(mint, maxt); },
        external);
  }
  static prometheus::ReadRequest Request(int64_t start, int64_t end) {
    prometheus::ReadRequest req;
    prometheus::Query* q = req.add_queries();
    q->set_start_timestamp_ms(start);
    q->set_end_timestamp_ms(end);
    prometheus::LabelMatcher* m = q->add_matchers();
    m->set_type(prometheus::LabelMatcher::EQ);
    m->set_name("__name__");
    m->set_value("m");
    return req;
  }

  std::string dir_;
  std::unique_ptr<tsdb::DB> db_;
};

TEST_F(ReadHandlerTest, SamplesAnswerHoldsTheRangeSortedByLabels) {
  absl::StatusOr<ReadReply> r = Read(Request(10000, 19000));
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->content_type, "application/x-protobuf");
  EXPECT_EQ(r->content_encoding, "snappy");
  std::string raw;
  ASSERT_TRUE(snappy::Uncompress(r->body.data(), r->body.size(), &raw));
  prometheus::ReadResponse resp;
  ASSERT_TRUE(resp.ParseFromString(raw));
  ASSERT_EQ(resp.results_size(), 1);
  ASSERT_EQ(resp.results(0).timeseries_size(), 2);
  const prometheus::TimeSeries& a = resp.results(0).timeseries(0);
  EXPECT_EQ(a.labels(1).value(), "a");  // {__name__="m", job="a"} sorts first
  ASSERT_EQ(a.samples_size(), 10);
  EXPECT_EQ(a.samples(0).timestamp(), 10000);
  EXPECT_EQ(a.samples(9).value(), -19);
}

TEST_F(ReadHandlerTest, StreamedAnswerCarriesTheStoredChunksInCheckedFrames) {
  prometheus::ReadRequest req = Request(0, 299000);
  req.add_accepted_response_types(prometheus::ReadRequest::STREAMED_XOR_CHUNKS);
  absl::StatusOr<ReadReply> r = Read(req);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->content_type, kStreamedContentType);
  Decoder d(r->body);
  int frames = 0, samples = 0;
  while (d.remaining() > 0) {
    const uint64_t len = d.Uvarint();
    const uint32_t crc = d.BE32();
    const absl::string_view msg = d.Bytes(len);
    ASSERT_TRUE(d.ok());
    EXPECT_EQ(crc, Crc32c(msg));
    prometheus::ChunkedReadResponse c;
    ASSERT_TRUE(c.ParseFromString(std::string(msg)));
    EXPECT_EQ(c.query_index(), 0);
    for (const auto& cs : c.chunked_series()) {
      for (const auto& chunk : cs.chunks()) {
        EXPECT_EQ(chunk.type(), prometheus::Chunk::XOR);
        samples += tsdb::chunkenc::XorNumSamples(chunk.data());
      }
    }
    ++frames;
  }
  EXPECT_EQ(frames, 2);  // one per series
  EXPECT_EQ(samples, 600);
}

TEST_F(ReadHandlerTest, ExternalLabelsAreAddedAndTheirMatchersIgnored) {
  prometheus::ReadRequest req = Request(10000, 19000);
  prometheus::LabelMatcher* m = req.mutable_queries(0)->add_matchers();
  m->set_type(prometheus::LabelMatcher::EQ);
  m->set_name("cluster");
  m->set_value("eu1");
  // The series' own job wins over an external job.
  absl::StatusOr<ReadReply> r =
      Read(req, labels::Labels({{"cluster", "eu1"}, {"job", "ext"}, {"zone", "z"}}));
  ASSERT_TRUE(r.ok()) << r.status();
  std::string raw;
  ASSERT_TRUE(snappy::Uncompress(r->body.data(), r->body.size(), &raw));
  prometheus::ReadResponse resp;
  ASSERT_TRUE(resp.ParseFromString(raw));
  ASSERT_EQ(resp.results(0).timeseries_size(), 2);
  const auto& ls = resp.results(0).timeseries(0).labels();
  ASSERT_EQ(ls.size(), 4);
  EXPECT_EQ(ls[0].name(), "__name__");
  EXPECT_EQ(ls[1].name(), "cluster");
  EXPECT_EQ(ls[1].value(), "eu1");
  EXPECT_EQ(ls[2].value(), "a");  // job
  EXPECT_EQ(ls[3].name(), "zone");
}

TEST_F(ReadHandlerTest, BadRequestsAreInvalidArgument) {
  EXPECT_EQ(HandleRead("junk", nullptr, {}).status().code(), absl::StatusCode::kInvalidArgument);
  prometheus::ReadRequest req = Request(0, 1);
  req.mutable_queries(0)->mutable_matchers(0)->set_type(prometheus::LabelMatcher::RE);
  req.mutable_queries(0)->mutable_matchers(0)->set_value("(");
  EXPECT_EQ(Read(req).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace argus::storage::remote
