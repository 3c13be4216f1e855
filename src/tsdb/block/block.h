// An immutable on-disk block: meta.json, index and chunk segments, opened read-only.
// See docs/format/block.md.
#pragma once

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "base/env.h"
#include "tsdb/block/meta.h"
#include "tsdb/chunks/chunks.h"
#include "tsdb/index/index_reader.h"
#include "tsdb/tombstones/tombstones.h"

namespace argus::tsdb::block {

// Thread-safe after Open.
class Block {
 public:
  // Errors: those of ReadMeta, IndexReader::Open and ChunkReader::Open, annotated with the
  // block directory.
  static absl::StatusOr<std::unique_ptr<Block>> Open(Env* env, const std::string& dir);

  const BlockMeta& meta() const { return meta_; }
  const std::string& dir() const { return dir_; }
  const index::IndexReader& index() const { return *index_; }
  const chunks::ChunkReader& chunks() const { return *chunks_; }
  // Deleted intervals by series ref; readers must skip samples inside them.
  const tombstones::Tombstones& tombstones() const { return tombstones_; }
  // Bytes of the block's files when it was opened (a DB reopens a block whose tombstones it
  // rewrites).
  uint64_t size_bytes() const { return size_bytes_; }

 private:
  Block() = default;
  std::string dir_;
  BlockMeta meta_;
  std::unique_ptr<index::IndexReader> index_;
  std::unique_ptr<chunks::ChunkReader> chunks_;
  tombstones::Tombstones tombstones_;
  uint64_t size_bytes_ = 0;
};

}  // namespace argus::tsdb::block
