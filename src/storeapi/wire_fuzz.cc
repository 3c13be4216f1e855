// libFuzzer target for the StoreAPI frame decoder: the input is one SeriesResponse frame as it
// arrives from a store. DecodeFrame must succeed or fail with DataLoss, never crash; what it
// decodes, encoded again by FrameEncoder, must decode to the same series. Seeds:
// `-write_seeds=DIR` writes frames made by FrameEncoder and WarningFrame.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "base/status.h"
#include "fuzz/fuzz_util.h"
#include "storeapi/wire.h"

namespace argus::storeapi {
namespace {

using fuzz::Require;

WireFrame FrameOf(absl::string_view bytes) {
  grpc::Slice slice(bytes.data(), bytes.size());
  return WireFrame{grpc::ByteBuffer(&slice, 1)};
}

std::string BytesOf(const WireFrame& frame) {
  grpc::Slice slice;
  if (frame.bytes.Length() == 0) return "";
  Require(frame.bytes.DumpToSingleSlice(&slice).ok(), "an encoded frame is readable");
  return std::string(reinterpret_cast<const char*>(slice.begin()), slice.size());
}

bool SameSeries(const tsdb::ChunkSeries& a, const tsdb::ChunkSeries& b) {
  if (!(a.labels == b.labels) || a.chunks.size() != b.chunks.size()) return false;
  for (size_t i = 0; i < a.chunks.size(); ++i) {
    const tsdb::ChunkView &x = a.chunks[i], &y = b.chunks[i];
    if (x.min_time != y.min_time || x.max_time != y.max_time || x.data != y.data) return false;
  }
  return true;
}

void Check(absl::string_view input) {
  SeriesFrame got;
  const absl::Status s = DecodeFrame(FrameOf(input), &got);
  fuzz::RequireOkOr(s, absl::StatusCode::kDataLoss, "DecodeFrame");
  if (!s.ok() || got.series.empty()) return;
  FrameEncoder enc;
  for (const tsdb::ChunkSeries& series : got.series) enc.Add(series);
  SeriesFrame again;
  Require(DecodeFrame(FrameOf(BytesOf(enc.Finish(true))), &again).ok(), "an encoded frame decodes");
  Require(again.series.size() == got.series.size(), "as many series come back");
  for (size_t i = 0; i < got.series.size(); ++i) {
    Require(SameSeries(got.series[i], again.series[i]), "the same series come back");
  }
}

absl::Status WriteSeeds(const std::string& dir) {
  const std::string chunk("\x00\x02\x80\x01\xff\x10", 6);
  tsdb::ChunkSeries a;
  a.labels = labels::Labels::FromSorted({{"__name__", "up"}, {"job", "node"}});
  a.chunks = {{-5, 7, chunk}, {8, int64_t{1} << 40, chunk}};
  tsdb::ChunkSeries b;
  b.labels = labels::Labels::FromSorted({{"__name__", "x"}, {"empty", ""}});
  FrameEncoder enc;
  enc.Add(a);
  RETURN_IF_ERROR(fuzz::WriteSeed(dir, "series", BytesOf(enc.Finish(false))));
  enc.Add(a);
  enc.Add(b);
  RETURN_IF_ERROR(fuzz::WriteSeed(dir, "batch", BytesOf(enc.Finish(true))));
  return fuzz::WriteSeed(dir, "warning", BytesOf(WarningFrame("store down")));
}

}  // namespace
}  // namespace argus::storeapi

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  argus::fuzz::MaybeWriteSeeds(*argc, *argv, argus::storeapi::WriteSeeds);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  argus::storeapi::Check(absl::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
