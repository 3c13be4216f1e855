// Where the head keeps its full (closed) chunks: memory-mapped files under
// <data>/chunks_head, so that only each series' open chunk lives on the heap (Prometheus
// v2.42's ChunkDiskMapper does the same). File layout as Prometheus's head chunk files:
// header magic 0x0130BC91 (BE32) | version 1 | 3 padding bytes, then per chunk
// series ref (BE64) | min time (BE64) | max time (BE64) | encoding | uvarint length | data |
// CRC32C (BE32) of everything before it in the chunk. The WAL stays the source of truth: the
// files are rebuilt from it on start, so an existing directory is wiped.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/env.h"

namespace argus::tsdb::chunks {

inline constexpr uint32_t kHeadChunkMagic = 0x0130BC91;
inline constexpr uint64_t kDefaultHeadChunkFileSize = 8ull << 20;

// Thread-safe. Chunks are written into an in-memory buffer of one file's size; a full buffer is
// written out as a file and memory-mapped. Without a directory the buffers simply stay in
// memory (heads that are never persisted: backfill, read-only dumps, tests).
class HeadChunks {
 public:
  // `dir` empty: memory only. Errors: those of Env.
  static absl::StatusOr<std::unique_ptr<HeadChunks>> Open(
      Env* env, std::string dir, uint64_t file_size = kDefaultHeadChunkFileSize);

  // Stores one chunk and returns its ref. Never fails: a full file that cannot be written out
  // (disk full) is logged and kept in memory instead, since the WAL holds the data anyway.
  uint64_t Write(uint64_t series_ref, int64_t min_time, int64_t max_time, absl::string_view data);
  // The data of chunk `ref` and an owner that keeps it readable while held. REQUIRES: `ref`
  // came from Write and its file has not been truncated away.
  absl::string_view Read(uint64_t ref, std::shared_ptr<const void>* keepalive) const;
  // The time range stored with chunk `ref`. REQUIRES: as for Read.
  std::pair<int64_t, int64_t> TimeRange(uint64_t ref) const;
  // Drops the files holding only chunks that end before `min_time`.
  absl::Status Truncate(int64_t min_time);

 private:
  struct File {
    std::shared_ptr<const void> owner;  // the mapping of a written file, or the buffer
    const char* data = nullptr;         // its bytes
    char* buffer = nullptr;             // the active file's buffer, while it is written to
    uint64_t size = 0;
    int64_t max_time = INT64_MIN;
    bool persisting = false;  // being written out (outside the lock): not to be truncated
  };
  HeadChunks(Env* env, std::string dir, uint64_t file_size)
      : env_(env), dir_(std::move(dir)), file_size_(file_size) {}
  // Starts a new active file big enough for `need` bytes. REQUIRES: mu_ held.
  void Cut(uint64_t need);
  // Writes out and maps file `index` (no longer active) in place of its buffer. Called with
  // `l` holding mu_; releases it during the I/O, so that other writers carry on meanwhile.
  void Persist(std::unique_lock<std::mutex>& l, size_t index);

  Env* env_;
  const std::string dir_;
  const uint64_t file_size_;
  // Guards the members below. std::, as the head's hot-path locks (see Head).
  mutable std::mutex mu_;
  // Index = file number; truncated files are null.
  std::vector<std::unique_ptr<File>> files_;
  uint64_t capacity_ = 0;  // of the active (last) file's buffer
};

}  // namespace argus::tsdb::chunks
