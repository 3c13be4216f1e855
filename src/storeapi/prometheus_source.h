// A Prometheus server as a StoreAPI source, through its remote-read endpoint (Thanos's
// PrometheusStore, what `argus sidecar` serves): STREAMED_XOR_CHUNKS preferred, so the stored
// chunks pass through as they are; a SAMPLES answer is re-encoded into XOR chunks of at most
// 120 samples. Label names and values come from Prometheus's HTTP API.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "promclient/promclient.h"
#include "storeapi/source.h"

namespace argus::storeapi {

class PrometheusSource : public SeriesSource {
 public:
  // `http`: the client settings for Prometheus (promclient::ParseHttpClient).
  explicit PrometheusSource(std::string base_url, config::HTTPClientConfig http = {})
      : client_(std::move(base_url), std::move(http)) {}

  // Errors: Unavailable when Prometheus cannot be reached or fails; InvalidArgument when it
  // refuses the request; DataLoss for an answer that does not decode (bad frame CRC,
  // malformed protobuf, an unknown chunk encoding).
  absl::StatusOr<std::vector<tsdb::ChunkSeries>> Select(const SelectParams& params,
                                                        QueryBudget* budget) override;
  absl::StatusOr<std::vector<std::string>> LabelNames(
      int64_t min_time, int64_t max_time, const std::vector<labels::Matcher>& matchers) override;
  absl::StatusOr<std::vector<std::string>> LabelValues(
      const std::string& name, int64_t min_time, int64_t max_time,
      const std::vector<labels::Matcher>& matchers) override;

 private:
  promclient::PrometheusClient client_;
};

// The series of a STREAMED_XOR_CHUNKS answer: CRC-framed ChunkedReadResponse messages,
// consecutive frames of one series joined. Chunk views point into messages the series keep
// alive. Errors: DataLoss.
absl::StatusOr<std::vector<tsdb::ChunkSeries>> DecodeChunkedFrames(absl::string_view body);

// The series of a SAMPLES answer (a snappy-compressed ReadResponse), each cut into XOR chunks
// of at most 120 samples. Errors: DataLoss.
absl::StatusOr<std::vector<tsdb::ChunkSeries>> DecodeSamples(absl::string_view snappy_body);

}  // namespace argus::storeapi
