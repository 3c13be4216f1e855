#include "tsdb/block/block.h"

#include "base/status.h"

namespace argus::tsdb::block {

absl::StatusOr<std::unique_ptr<Block>> Block::Open(Env* env, const std::string& dir) {
  auto b = std::unique_ptr<Block>(new Block);
  b->dir_ = dir;
  absl::StatusOr<BlockMeta> meta = ReadMeta(env, dir);
  if (!meta.ok()) return Annotate(meta.status(), "open block");
  b->meta_ = *std::move(meta);
  auto idx = index::IndexReader::Open(env, JoinPath(dir, "index"));
  if (!idx.ok()) return Annotate(idx.status(), "open block index");
  b->index_ = *std::move(idx);
  auto chk = chunks::ChunkReader::Open(env, JoinPath(dir, "chunks"));
  if (!chk.ok()) return Annotate(chk.status(), "open block chunks");
  b->chunks_ = *std::move(chk);
  auto ts = tombstones::Read(env, dir);
  if (!ts.ok()) return Annotate(ts.status(), "open block tombstones");
  b->tombstones_ = *std::move(ts);
  auto size = DirectorySize(env, dir);
  if (!size.ok()) return Annotate(size.status(), "open block");
  b->size_bytes_ = *size;
  return b;
}

}  // namespace argus::tsdb::block
