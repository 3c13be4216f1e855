// Chunk segment files of a block (`<block>/chunks/000001` ...), as Prometheus v2.42 writes and
// reads them (tsdb/chunks/chunks.go). Header: magic 0x85BD40DD (4 bytes BE), version 1,
// 3 padding bytes. Each chunk: uvarint data length | encoding byte | data | CRC32C (BE) of
// encoding + data. A chunk ref is (segment index << 32) | byte offset, the index 0-based
// (file 000001 is index 0). See docs/format/chunks.md.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/env.h"
#include "tsdb/chunkenc/xor.h"

namespace argus::tsdb::chunks {

inline constexpr uint32_t kMagic = 0x85BD40DD;
inline constexpr uint8_t kFormatVersion = 1;
inline constexpr size_t kSegmentHeaderSize = 8;
inline constexpr uint64_t kDefaultMaxSegmentSize = 512ull * 1024 * 1024;

inline uint64_t MakeRef(uint32_t segment, uint32_t offset) {
  return (static_cast<uint64_t>(segment) << 32) | offset;
}

// "000001" for index 0.
std::string SegmentName(uint32_t index);

// A chunk as stored: its encoding and its bytes (a view into the segment file).
struct ChunkData {
  chunkenc::Encoding encoding = chunkenc::Encoding::kNone;
  absl::string_view data;
};

// Writes chunks into numbered segment files, cutting a new file when the next chunk would
// pass `max_segment_size`. Not thread-safe.
class ChunkWriter {
 public:
  // Creates `dir` if needed. Errors: those of Env.
  static absl::StatusOr<std::unique_ptr<ChunkWriter>> Create(
      Env* env, std::string dir, uint64_t max_segment_size = kDefaultMaxSegmentSize);
  ~ChunkWriter();

  // Appends one chunk and returns its ref.
  absl::StatusOr<uint64_t> Write(chunkenc::Encoding encoding, absl::string_view data);
  // Syncs and closes the current segment. Must be called for the files to be complete.
  absl::Status Close();

 private:
  ChunkWriter(Env* env, std::string dir, uint64_t max)
      : env_(env), dir_(std::move(dir)), max_(max) {}
  absl::Status Cut();

  Env* env_;
  std::string dir_;
  uint64_t max_;
  std::unique_ptr<WritableFile> file_;
  uint32_t next_index_ = 0;  // index of the next segment to create
  uint64_t offset_ = 0;      // bytes in the current segment
};

// Reads chunks by ref from a block's chunks directory. Segments are memory-mapped.
// Thread-safe after Open.
class ChunkReader {
 public:
  // Errors: NotFound for a missing directory, DataLoss for a segment with a bad header.
  static absl::StatusOr<std::unique_ptr<ChunkReader>> Open(Env* env, const std::string& dir);

  // The chunk at `ref`, its CRC checked. Errors: DataLoss naming the file and offset when the
  // ref points outside the files or the checksum does not match.
  absl::StatusOr<ChunkData> Read(uint64_t ref) const;

  // Total bytes of all segments.
  uint64_t size() const;

 private:
  std::vector<std::unique_ptr<MappedFile>> segments_;
};

}  // namespace argus::tsdb::chunks
