// The chunk segments of one block in a bucket (<ULID>/chunks/000001, ...), read by ranges:
// near chunks of a segment merged into one GetRange, each chunk's CRC checked. Segment format
// in docs/format/chunks.md.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "block/metadata.h"
#include "objstore/bucket.h"
#include "store/fetch.h"
#include "storeapi/budget.h"

namespace argus::store {

// Thanos's estimate of the largest chunk: chunks are read this long and re-read whole when
// longer.
inline constexpr uint64_t kEstimatedMaxChunkSize = 16000;

// One chunk's XOR data (without the encoding byte) and the buffer holding it.
struct FetchedChunk {
  absl::string_view data;
  std::shared_ptr<const std::string> owner;
};

// Thread-safe (read-only).
class BlockChunks {
 public:
  // The segments of block `meta`: their sizes from meta.json's thanos.files, or listed in the
  // bucket when it has none. Errors: those of the bucket; NotFound "<ULID>/chunks: no chunk
  // segments" when there are none.
  static absl::StatusOr<BlockChunks> Open(objstore::Bucket& bucket, const block::Meta& meta);

  // The chunks at `refs`, in that order. Charges `budget` for every byte read, before reading
  // it, and counts the reads in `count`. Errors: ResourceExhausted; those of the bucket;
  // DataLoss "<ULID>/chunks/NNNNNN: ..." for a ref outside the segments, a
  // truncated chunk or a CRC mismatch; Unimplemented for a chunk not XOR-encoded.
  absl::StatusOr<std::vector<FetchedChunk>> Fetch(const std::vector<uint64_t>& refs,
                                                  storeapi::QueryBudget* budget,
                                                  FetchCount* count) const;

 private:
  BlockChunks(objstore::Bucket& bucket, std::string block_id, std::vector<uint64_t> sizes)
      : bucket_(&bucket), block_id_(std::move(block_id)), sizes_(std::move(sizes)) {}
  std::string SegmentObject(uint32_t segment) const;
  // Decodes the chunk at the front of `from` (at `offset` of `segment`), re-reading it whole
  // when `from` cut it short.
  absl::StatusOr<FetchedChunk> Decode(uint32_t segment, uint64_t offset, absl::string_view from,
                                      std::shared_ptr<const std::string> owner,
                                      storeapi::QueryBudget* budget, FetchCount* count) const;

  objstore::Bucket* bucket_;
  std::string block_id_;
  std::vector<uint64_t> sizes_;  // by segment index (file 000001 is index 0)
};

}  // namespace argus::store
