#include "storeapi/prometheus_source.h"

#include <snappy.h>

#include <algorithm>
#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/crc32c.h"
#include "base/status.h"
#include "prompb/remote.pb.h"
#include "tsdb/chunkenc/xor.h"

namespace argus::storeapi {
namespace {

constexpr int kSamplesPerChunk = 120;

labels::Labels FromProto(const google::protobuf::RepeatedPtrField<prometheus::Label>& in) {
  std::vector<labels::Label> out;
  out.reserve(in.size());
  for (const prometheus::Label& l : in) out.push_back({l.name(), l.value()});
  return labels::Labels::FromUnsorted(std::move(out));
}

std::string ReadRequest(const SelectParams& p) {
  prometheus::ReadRequest req;
  prometheus::Query* q = req.add_queries();
  q->set_start_timestamp_ms(p.min_time);
  q->set_end_timestamp_ms(p.max_time);
  for (const labels::Matcher& m : p.matchers) {
    prometheus::LabelMatcher* pm = q->add_matchers();
    pm->set_type(static_cast<prometheus::LabelMatcher::Type>(m.type()));
    pm->set_name(m.name());
    pm->set_value(m.value());
  }
  req.add_accepted_response_types(prometheus::ReadRequest::STREAMED_XOR_CHUNKS);
  req.add_accepted_response_types(prometheus::ReadRequest::SAMPLES);
  std::string compressed;
  const std::string raw = req.SerializeAsString();
  snappy::Compress(raw.data(), raw.size(), &compressed);
  return compressed;
}

// Times beyond what Prometheus's API parses as seconds are left out (the API's own bounds).
constexpr int64_t kApiTimeBound = int64_t{1} << 53;

int64_t ClampForApi(int64_t ms) { return std::max(-kApiTimeBound, std::min(kApiTimeBound, ms)); }

}  // namespace

absl::StatusOr<std::vector<tsdb::ChunkSeries>> DecodeChunkedFrames(absl::string_view body) {
  auto messages = std::make_shared<std::vector<prometheus::ChunkedReadResponse>>();
  Decoder d(body);
  while (d.remaining() > 0) {
    const uint64_t len = d.Uvarint();
    const uint32_t crc = d.BE32();
    const absl::string_view msg = d.Bytes(len);
    if (!d.ok()) return absl::DataLossError("remote read: truncated frame");
    if (Crc32c(msg) != crc) return absl::DataLossError("remote read: frame CRC mismatch");
    if (!messages->emplace_back().ParseFromArray(msg.data(), static_cast<int>(msg.size()))) {
      return absl::DataLossError("remote read: malformed ChunkedReadResponse");
    }
  }
  std::vector<tsdb::ChunkSeries> out;
  for (const prometheus::ChunkedReadResponse& m : *messages) {
    for (const prometheus::ChunkedSeries& cs : m.chunked_series()) {
      labels::Labels lset = FromProto(cs.labels());
      if (out.empty() || !(out.back().labels == lset)) {
        out.push_back({std::move(lset), {}, {messages}});
      }
      for (const prometheus::Chunk& c : cs.chunks()) {
        if (c.type() != prometheus::Chunk::XOR) {
          return absl::DataLossError(
              absl::StrCat("remote read: unsupported chunk encoding ", c.type()));
        }
        out.back().chunks.push_back({c.min_time_ms(), c.max_time_ms(), c.data()});
      }
    }
  }
  return out;
}

absl::StatusOr<std::vector<tsdb::ChunkSeries>> DecodeSamples(absl::string_view snappy_body) {
  std::string raw;
  prometheus::ReadResponse resp;
  if (!snappy::Uncompress(snappy_body.data(), snappy_body.size(), &raw) ||
      !resp.ParseFromString(raw)) {
    return absl::DataLossError("remote read: malformed ReadResponse");
  }
  auto owned = std::make_shared<std::vector<std::string>>();
  std::vector<tsdb::ChunkSeries> out;
  for (const prometheus::QueryResult& r : resp.results()) {
    for (const prometheus::TimeSeries& ts : r.timeseries()) {
      tsdb::ChunkSeries s{FromProto(ts.labels()), {}, {owned}};
      for (int i = 0; i < ts.samples_size(); i += kSamplesPerChunk) {
        tsdb::chunkenc::XorAppender app;
        const int end = std::min(ts.samples_size(), i + kSamplesPerChunk);
        for (int j = i; j < end; ++j) app.Append(ts.samples(j).timestamp(), ts.samples(j).value());
        owned->push_back(app.CopyBytes());
        s.chunks.push_back({ts.samples(i).timestamp(), ts.samples(end - 1).timestamp(), {}});
      }
      out.push_back(std::move(s));
    }
  }
  // Views into `owned` once it no longer grows.
  size_t k = 0;
  for (tsdb::ChunkSeries& s : out) {
    for (tsdb::ChunkView& c : s.chunks) c.data = (*owned)[k++];
  }
  return out;
}

absl::StatusOr<std::vector<tsdb::ChunkSeries>> PrometheusSource::Select(const SelectParams& params,
                                                                        QueryBudget* budget) {
  ASSIGN_OR_RETURN(promclient::PrometheusClient::Reply reply,
                   client_.RemoteRead(ReadRequest(params)));
  std::vector<tsdb::ChunkSeries> series;
  if (absl::StartsWith(reply.content_type, "application/x-streamed-protobuf")) {
    ASSIGN_OR_RETURN(series, DecodeChunkedFrames(reply.body));
  } else {
    ASSIGN_OR_RETURN(series, DecodeSamples(reply.body));
  }
  RETURN_IF_ERROR(ChargeSelected(&series, params.skip_chunks, budget));
  return series;
}

absl::StatusOr<std::vector<std::string>> PrometheusSource::LabelNames(
    int64_t min_time, int64_t max_time, const std::vector<labels::Matcher>& matchers) {
  return client_.LabelNames(ClampForApi(min_time), ClampForApi(max_time), matchers);
}

absl::StatusOr<std::vector<std::string>> PrometheusSource::LabelValues(
    const std::string& name, int64_t min_time, int64_t max_time,
    const std::vector<labels::Matcher>& matchers) {
  return client_.LabelValues(name, ClampForApi(min_time), ClampForApi(max_time), matchers);
}

}  // namespace argus::storeapi
