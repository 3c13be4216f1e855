#include "storage/remote/read_handler.h"

#include <snappy.h>

#include <utility>
#include <vector>

#include "base/coding.h"
#include "base/crc32c.h"
#include "base/status.h"
#include "prompb/remote.pb.h"

namespace argus::storage::remote {
namespace {

// The query's matchers, less the equality matchers on external label names (the TSDB does not
// store those labels), as v2.42's filterExtLabelsFromMatchers.
absl::StatusOr<std::vector<labels::Matcher>> ToMatchers(const prometheus::Query& q,
                                                        const labels::Labels& external) {
  std::vector<labels::Matcher> out;
  for (const prometheus::LabelMatcher& m : q.matchers()) {
    if (m.type() == prometheus::LabelMatcher::EQ && external.Has(m.name())) continue;
    ASSIGN_OR_RETURN(labels::Matcher lm, labels::Matcher::FromWire(m.type(), m.name(), m.value()));
    out.push_back(std::move(lm));
  }
  return out;
}

// The series of query `q`, sorted by labels.
absl::StatusOr<std::vector<tsdb::ChunkSeries>> Select(const prometheus::Query& q,
                                                      const QuerierFactory& querier,
                                                      const labels::Labels& external) {
  ASSIGN_OR_RETURN(std::vector<labels::Matcher> matchers, ToMatchers(q, external));
  const int64_t mint = q.start_timestamp_ms(), maxt = q.end_timestamp_ms();
  // The querier keeps the blocks the chunk views point into open: each series holds it.
  std::shared_ptr<tsdb::TsdbQuerier> qr = querier(mint, maxt);
  ASSIGN_OR_RETURN(std::vector<tsdb::ChunkSeries> series, qr->SelectChunks(mint, maxt, matchers));
  for (tsdb::ChunkSeries& s : series) s.keepalive.push_back(qr);
  return series;
}

// The series' labels plus the external labels it lacks.
void SetLabels(const labels::Labels& series, const labels::Labels& external,
               google::protobuf::RepeatedPtrField<prometheus::Label>* out) {
  labels::Labels merged;
  if (!external.empty()) {
    std::vector<labels::Label> all(external.begin(), external.end());
    all.insert(all.end(), series.begin(), series.end());
    merged = labels::Labels::FromUnsorted(std::move(all));  // the series' own values win
  }
  for (const labels::Label& l : external.empty() ? series : merged) {
    prometheus::Label* p = out->Add();
    p->set_name(l.name);
    p->set_value(l.value);
  }
}

absl::StatusOr<ReadReply> Samples(const prometheus::ReadRequest& req, const QuerierFactory& querier,
                                  const labels::Labels& external) {
  prometheus::ReadResponse resp;
  for (const prometheus::Query& q : req.queries()) {
    prometheus::QueryResult* result = resp.add_results();
    ASSIGN_OR_RETURN(std::vector<tsdb::ChunkSeries> series, Select(q, querier, external));
    for (const tsdb::ChunkSeries& s : series) {
      prometheus::TimeSeries* ts = result->add_timeseries();
      SetLabels(s.labels, external, ts->mutable_labels());
      auto it = tsdb::NewChunkSeriesIterator(s, q.start_timestamp_ms(), q.end_timestamp_ms());
      while (it->Next()) {
        prometheus::Sample* sample = ts->add_samples();
        sample->set_timestamp(it->t());
        sample->set_value(it->v());
      }
      RETURN_IF_ERROR(it->status());
    }
  }
  ReadReply reply{"application/x-protobuf", "snappy", ""};
  const std::string raw = resp.SerializeAsString();
  snappy::Compress(raw.data(), raw.size(), &reply.body);
  return reply;
}

// One frame: uvarint length, CRC32C (big-endian) of the message, the message.
void AppendFrame(const prometheus::ChunkedReadResponse& msg, std::string* out) {
  const std::string raw = msg.SerializeAsString();
  PutUvarint(out, raw.size());
  char crc[4];
  StoreBE32(crc, Crc32c(raw));
  out->append(crc, 4);
  out->append(raw);
}

absl::StatusOr<ReadReply> Streamed(const prometheus::ReadRequest& req,
                                   const QuerierFactory& querier, const labels::Labels& external) {
  ReadReply reply{kStreamedContentType, "", ""};
  for (int qi = 0; qi < req.queries_size(); ++qi) {
    ASSIGN_OR_RETURN(std::vector<tsdb::ChunkSeries> series,
                     Select(req.queries(qi), querier, external));
    for (const tsdb::ChunkSeries& s : series) {
      // A series too big for one frame continues in the next, with its labels again.
      size_t i = 0;
      do {
        prometheus::ChunkedReadResponse msg;
        msg.set_query_index(qi);
        prometheus::ChunkedSeries* cs = msg.add_chunked_series();
        SetLabels(s.labels, external, cs->mutable_labels());
        size_t bytes = 0;
        for (; i < s.chunks.size() && bytes < kMaxBytesInFrame; ++i) {
          prometheus::Chunk* c = cs->add_chunks();
          c->set_min_time_ms(s.chunks[i].min_time);
          c->set_max_time_ms(s.chunks[i].max_time);
          c->set_type(prometheus::Chunk::XOR);
          c->set_data(std::string(s.chunks[i].data));
          bytes += s.chunks[i].data.size();
        }
        AppendFrame(msg, &reply.body);
      } while (i < s.chunks.size());
    }
  }
  return reply;
}

}  // namespace

absl::StatusOr<ReadReply> HandleRead(absl::string_view body, const QuerierFactory& querier,
                                     const labels::Labels& external) {
  std::string raw;
  if (!snappy::Uncompress(body.data(), body.size(), &raw)) {
    return absl::InvalidArgumentError("snappy: corrupt input");
  }
  prometheus::ReadRequest req;
  if (!req.ParseFromString(raw)) {
    return absl::InvalidArgumentError("decoding remote read request: malformed protobuf");
  }
  for (int t : req.accepted_response_types()) {
    if (t == prometheus::ReadRequest::STREAMED_XOR_CHUNKS) return Streamed(req, querier, external);
    if (t == prometheus::ReadRequest::SAMPLES) return Samples(req, querier, external);
  }
  if (req.accepted_response_types_size() > 0) {
    return absl::InvalidArgumentError("none of the accepted response types is supported");
  }
  return Samples(req, querier, external);
}

}  // namespace argus::storage::remote
