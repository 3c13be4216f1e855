// The frames of a StoreAPI Series stream (thanos.SeriesResponse, proto/thanos/rpc.proto and
// types.proto) written and read as bytes, without protobuf message objects: the server copies
// each chunk once, from the block straight into the frame; the client's series point into the
// received frame instead of each chunk being copied into a string of its own. Series frames are
// most of what a querier and its stores exchange, so both ends pay for every copy.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "grpcpp/grpcpp.h"
#include "tsdb/querier/chunk_series.h"

namespace argus::storeapi {

// One thanos.SeriesResponse as it travels: gRPC hands it over without (de)serializing (see the
// SerializationTraits below).
struct WireFrame {
  grpc::ByteBuffer bytes;
};

// Builds one SeriesResponse frame of series (as Thanos's stores send them: XOR chunks with
// their xxhash64, labels as given).
class FrameEncoder {
 public:
  FrameEncoder() = default;
  FrameEncoder(const FrameEncoder&) = delete;
  FrameEncoder& operator=(const FrameEncoder&) = delete;
  ~FrameEncoder();

  // Appends `s` to the frame being built.
  void Add(const tsdb::ChunkSeries& s);
  size_t series() const { return series_; }
  // Bytes of the frame so far.
  size_t bytes() const { return size_; }
  // The frame: a SeriesBatch of the added series when `batch`, else the single added series
  // (nothing, when none was added). Starts the next frame.
  WireFrame Finish(bool batch);

 private:
  // `n` more bytes at the end of the buffer, to be written.
  char* Extend(size_t n);

  // The frame: room for a batch's key and length, then the encoded Series messages, each with
  // its field key and length. malloc'ed: gRPC frees it once the frame is sent.
  char* buf_ = nullptr;
  size_t size_ = 0, cap_ = 0;
  size_t series_ = 0;
};

// A frame with one warning.
WireFrame WarningFrame(const std::string& warning);

// One received frame: series, or a warning.
struct SeriesFrame {
  std::vector<tsdb::ChunkSeries> series;  // label-sorted (a batch frame holds several)
  std::string warning;                    // set for a warning frame
};

// Decodes `frame` into `out` (cleared first). The series' chunk views point into the frame's
// bytes, which each series keeps alive. Hints and fields of newer protocols are skipped.
// Errors: DataLoss for malformed protobuf, a chunk without raw data (downsampled) or a chunk
// that is not XOR.
absl::Status DecodeFrame(const WireFrame& frame, SeriesFrame* out);

}  // namespace argus::storeapi

template <>
class grpc::SerializationTraits<argus::storeapi::WireFrame> {
 public:
  static grpc::Status Serialize(const argus::storeapi::WireFrame& frame, grpc::ByteBuffer* out,
                                bool* own_buffer) {
    *out = frame.bytes;  // shares the slices
    *own_buffer = true;
    return grpc::Status::OK;
  }
  static grpc::Status Deserialize(grpc::ByteBuffer* in, argus::storeapi::WireFrame* frame) {
    frame->bytes.Clear();
    frame->bytes.Swap(in);
    return grpc::Status::OK;
  }
};
