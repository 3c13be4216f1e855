#include "storage/remote/write_handler.h"

#include <snappy.h>

#include <string>

#include "gtest/gtest.h"
#include "prompb/remote.pb.h"
#include "tsdb/head/head.h"

namespace argus::storage::remote {
namespace {

prometheus::TimeSeries* AddSeries(prometheus::WriteRequest& req,
                                  std::initializer_list<std::pair<const char*, const char*>> ls) {
  prometheus::TimeSeries* ts = req.add_timeseries();
  for (const auto& [n, v] : ls) {
    prometheus::Label* l = ts->add_labels();
    l->set_name(n);
    l->set_value(v);
  }
  return ts;
}

void AddSample(prometheus::TimeSeries* ts, int64_t t, double v) {
  prometheus::Sample* s = ts->add_samples();
  s->set_timestamp(t);
  s->set_value(v);
}

std::string Encode(const prometheus::WriteRequest& req) {
  std::string out;
  snappy::Compress(req.SerializeAsString().data(), req.ByteSizeLong(), &out);
  return out;
}

size_t NumSamples(const tsdb::head::Head& h, const std::string& name) {
  size_t n = 0;
  for (uint64_t ref : h.Postings("__name__", name)) {
    tsdb::ChunkSeries s;
    std::vector<tsdb::tombstones::Interval> deleted;
    if (!h.SeriesChunks(ref, INT64_MIN, INT64_MAX, &s, &deleted)) continue;
    auto it = tsdb::NewChunkSeriesIterator(s, INT64_MIN, INT64_MAX);
    while (it->Next()) ++n;
  }
  return n;
}

TEST(WriteHandlerTest, AppendsAllSamplesWithSortedLabels) {
  tsdb::head::Head h({});
  prometheus::WriteRequest req;
  auto* ts = AddSeries(req, {{"job", "x"}, {"__name__", "m"}});  // unsorted, as senders may
  AddSample(ts, 1000, 1);
  AddSample(ts, 2000, 2);
  AddSample(AddSeries(req, {{"__name__", "n"}, {"empty", ""}}), 1000, 5);
  auto app = h.NewAppender();
  absl::Status st = ApplyWriteRequest(Encode(req), *app);
  ASSERT_TRUE(st.ok()) << st;
  EXPECT_EQ(WriteStatusCode(st), 204);
  EXPECT_EQ(NumSamples(h, "m"), 2u);
  EXPECT_EQ(NumSamples(h, "n"), 1u);
  labels::Labels got;
  ASSERT_TRUE(h.SeriesLabels(h.Postings("__name__", "n").front(), &got));
  EXPECT_EQ(got.ToString(), R"({__name__="n"})");  // an empty value is no label
}

TEST(WriteHandlerTest, RefusedSampleRollsBackTheWholeRequestWith400) {
  tsdb::head::Head h({});
  prometheus::WriteRequest first;
  AddSample(AddSeries(first, {{"__name__", "m"}}), 5000, 1);
  auto app = h.NewAppender();
  ASSERT_TRUE(ApplyWriteRequest(Encode(first), *app).ok());
  prometheus::WriteRequest req;
  AddSample(AddSeries(req, {{"__name__", "other"}}), 6000, 1);
  AddSample(AddSeries(req, {{"__name__", "m"}}), 4000, 2);  // out of order
  absl::Status st = ApplyWriteRequest(Encode(req), *app);
  EXPECT_EQ(WriteStatusCode(st), 400) << st;
  EXPECT_NE(st.message().find("out of order sample"), absl::string_view::npos) << st;
  EXPECT_EQ(NumSamples(h, "other"), 0u);
}

TEST(WriteHandlerTest, BadBodiesAre400) {
  tsdb::head::Head h({});
  auto app = h.NewAppender();
  EXPECT_EQ(WriteStatusCode(ApplyWriteRequest("not snappy at all", *app)), 400);
  std::string junk;
  const std::string garbage = "\xff\xff\xff\xff\x0f";
  snappy::Compress(garbage.data(), garbage.size(), &junk);
  EXPECT_EQ(WriteStatusCode(ApplyWriteRequest(junk, *app)), 400);
  prometheus::WriteRequest req;
  auto* ts = AddSeries(req, {{"__name__", "h"}});
  ts->add_histograms("\x08\x01");
  absl::Status st = ApplyWriteRequest(Encode(req), *app);
  EXPECT_EQ(WriteStatusCode(st), 400);
  EXPECT_NE(st.message().find("native histograms"), absl::string_view::npos) << st;
  prometheus::WriteRequest bad;
  AddSample(AddSeries(bad, {{"__name__", "m"}, {"bad-name", "v"}}), 1, 1);
  EXPECT_EQ(WriteStatusCode(ApplyWriteRequest(Encode(bad), *app)), 400);
  EXPECT_EQ(WriteStatusCode(absl::InternalError("disk")), 500);
}

}  // namespace
}  // namespace argus::storage::remote
