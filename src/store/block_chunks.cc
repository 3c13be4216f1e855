#include "store/block_chunks.h"

#include <map>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "base/coding.h"
#include "base/crc32c.h"
#include "base/status.h"
#include "tsdb/chunkenc/xor.h"
#include "tsdb/chunks/chunks.h"

namespace argus::store {
namespace {

constexpr absl::string_view kChunksDir = "chunks/";

// The 0-based segment index of "chunks/000001" (0), or -1 for another name.
int64_t SegmentIndex(absl::string_view rel_path) {
  uint32_t n = 0;
  if (!absl::ConsumePrefix(&rel_path, kChunksDir) || !absl::SimpleAtoi(rel_path, &n) || n == 0) {
    return -1;
  }
  return n - 1;
}

}  // namespace

absl::StatusOr<BlockChunks> BlockChunks::Open(objstore::Bucket& bucket, const block::Meta& meta) {
  const std::string id = meta.prom.ulid.ToString();
  std::map<int64_t, uint64_t> sizes;
  for (const block::File& f : meta.thanos.files) {
    if (const int64_t i = SegmentIndex(f.rel_path); i >= 0 && f.size_bytes > 0) {
      sizes[i] = static_cast<uint64_t>(f.size_bytes);
    }
  }
  if (sizes.empty()) {  // an older meta.json without file sizes: ask the bucket
    const std::string dir = absl::StrCat(id, "/", kChunksDir);
    RETURN_IF_ERROR(bucket.Iter(dir, false, [&](const std::string& name) {
      const int64_t i = SegmentIndex(absl::string_view(name).substr(id.size() + 1));
      if (i < 0) return absl::OkStatus();
      ASSIGN_OR_RETURN(objstore::ObjectAttributes a, bucket.Attributes(name));
      sizes[i] = static_cast<uint64_t>(a.size);
      return absl::OkStatus();
    }));
  }
  if (sizes.empty()) return absl::NotFoundError(absl::StrCat(id, "/chunks: no chunk segments"));
  std::vector<uint64_t> by_index(static_cast<size_t>(sizes.rbegin()->first) + 1, 0);
  for (const auto& [i, size] : sizes) by_index[static_cast<size_t>(i)] = size;
  return BlockChunks(bucket, id, std::move(by_index));
}

std::string BlockChunks::SegmentObject(uint32_t segment) const {
  return absl::StrCat(block_id_, "/", kChunksDir, tsdb::chunks::SegmentName(segment));
}

absl::StatusOr<FetchedChunk> BlockChunks::Decode(uint32_t segment, uint64_t offset,
                                                 absl::string_view from,
                                                 std::shared_ptr<const std::string> owner,
                                                 storeapi::QueryBudget* budget,
                                                 FetchCount* count) const {
  const std::string object = SegmentObject(segment);
  auto corrupt = [&](absl::string_view what) {
    return absl::DataLossError(absl::StrCat(object, ": ", what, " at offset ", offset));
  };
  Decoder head(from.substr(0, kMaxVarintLen64));
  const uint64_t len = head.Uvarint();
  const uint64_t size = head.position() + 1 + len + 4;
  if (!head.ok() || size > sizes_[segment] - offset) return corrupt("chunk runs past the end");
  if (size > from.size()) {  // longer than the estimate: read it whole
    RETURN_IF_ERROR(budget->Reserve(size));
    ++count->requests;
    count->bytes += size;
    ASSIGN_OR_RETURN(std::string whole, ReadRange(*bucket_, object, offset, size));
    owner = std::make_shared<const std::string>(std::move(whole));
    from = *owner;
  }
  Decoder d(from.substr(head.position()));
  const uint8_t enc = d.Byte();
  const absl::string_view data = d.Bytes(len);
  const uint32_t crc = d.BE32();
  if (Crc32cExtend(Crc32c(absl::string_view(from.data() + head.position(), 1)), data.data(),
                   data.size()) != crc) {
    return corrupt("chunk checksum mismatch");
  }
  if (enc != static_cast<uint8_t>(tsdb::chunkenc::Encoding::kXor)) {
    return absl::UnimplementedError(absl::StrCat(object, ": chunk at offset ", offset,
                                                 " has encoding ", static_cast<int>(enc),
                                                 " (native histograms are not supported)"));
  }
  return FetchedChunk{data, std::move(owner)};
}

absl::StatusOr<std::vector<FetchedChunk>> BlockChunks::Fetch(const std::vector<uint64_t>& refs,
                                                             storeapi::QueryBudget* budget,
                                                             FetchCount* count) const {
  std::map<uint32_t, std::vector<ByteRange>> wanted;
  for (uint64_t ref : refs) {
    const uint32_t segment = static_cast<uint32_t>(ref >> 32);
    const uint64_t offset = static_cast<uint32_t>(ref);
    if (segment >= sizes_.size() || offset < tsdb::chunks::kSegmentHeaderSize ||
        offset >= sizes_[segment]) {
      return absl::DataLossError(
          absl::StrCat(block_id_, "/chunks: chunk ref ", ref, " outside the chunk segments"));
    }
    wanted[segment].push_back({offset, kEstimatedMaxChunkSize});
  }
  std::map<uint32_t, FetchedRanges> fetched;
  for (auto& [segment, ranges] : wanted) {
    ASSIGN_OR_RETURN(fetched[segment],
                     FetchedRanges::Fetch(*bucket_, SegmentObject(segment), std::move(ranges),
                                          sizes_[segment], budget, count));
  }
  std::vector<FetchedChunk> out;
  out.reserve(refs.size());
  for (uint64_t ref : refs) {
    const uint32_t segment = static_cast<uint32_t>(ref >> 32);
    const uint64_t offset = static_cast<uint32_t>(ref);
    const FetchedRanges& f = fetched.at(segment);
    ASSIGN_OR_RETURN(FetchedChunk c,
                     Decode(segment, offset, f.From(offset), f.Owner(offset), budget, count));
    out.push_back(std::move(c));
  }
  return out;
}

}  // namespace argus::store
