// The remote-read endpoint (Prometheus v2.42's storage/remote read handler): a snappy-compressed
// prometheus.ReadRequest answered from the local TSDB, either as one snappy-compressed
// ReadResponse of samples (SAMPLES, what Prometheus's remote_read client asks for) or as a
// stream of framed ChunkedReadResponse messages carrying the stored XOR chunks as they are
// (STREAMED_XOR_CHUNKS, what the Thanos sidecar asks for).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "model/labels/labels.h"
#include "tsdb/querier/querier.h"

namespace argus::storage::remote {

// Frames of a streamed answer stop growing once they pass this many bytes of chunks (as
// Prometheus's --storage.remote.read-max-bytes-in-frame default).
inline constexpr size_t kMaxBytesInFrame = 1 << 20;

inline constexpr char kStreamedContentType[] =
    "application/x-streamed-protobuf; proto=prometheus.ChunkedReadResponse";

struct ReadReply {
  std::string content_type;
  std::string content_encoding;  // "snappy" for SAMPLES, empty for streams
  std::string body;
};

// A querier over [mint, maxt] of the local TSDB.
using QuerierFactory = std::function<std::unique_ptr<tsdb::TsdbQuerier>(int64_t, int64_t)>;

// Every series answered carries the `external` labels it lacks; equality matchers on external
// label names are dropped before the TSDB is asked (it does not store them). Errors:
// InvalidArgument for an undecodable request or an invalid matcher (HTTP 400); what the TSDB
// returned otherwise (500).
absl::StatusOr<ReadReply> HandleRead(absl::string_view body, const QuerierFactory& querier,
                                     const labels::Labels& external);

}  // namespace argus::storage::remote
