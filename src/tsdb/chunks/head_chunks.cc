#include "tsdb/chunks/head_chunks.h"

#include <sys/mman.h>

#include <algorithm>
#include <cstring>

#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "base/check.h"
#include "base/coding.h"
#include "base/crc32c.h"
#include "base/logging.h"
#include "base/status.h"

namespace argus::tsdb::chunks {
namespace {

constexpr size_t kHeaderSize = 8;
// Fixed part before the data: ref, mint, maxt, encoding.
constexpr size_t kFixedSize = 8 + 8 + 8 + 1;
constexpr uint8_t kXorEncoding = 1;

std::string FileName(size_t index) { return absl::StrFormat("%06d", index + 1); }

}  // namespace

absl::StatusOr<std::unique_ptr<HeadChunks>> HeadChunks::Open(Env* env, std::string dir,
                                                             uint64_t file_size) {
  if (!dir.empty()) {
    RETURN_IF_ERROR(env->RemoveAll(dir));
    RETURN_IF_ERROR(env->CreateDirs(dir));
  }
  return std::unique_ptr<HeadChunks>(new HeadChunks(env, std::move(dir), file_size));
}

void HeadChunks::Persist(std::unique_lock<std::mutex>& l, size_t index) {
  File& f = *files_[index];
  f.persisting = true;
  // The buffer no longer changes, and only this thread replaces it.
  const absl::string_view bytes(f.data, f.size);
  l.unlock();
  const std::string path = JoinPath(dir_, FileName(index));
  absl::StatusOr<std::unique_ptr<MappedFile>> mapped = [&]() -> decltype(mapped) {
    ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> w, env_->NewWritableFile(path));
    RETURN_IF_ERROR(w->Append(bytes));
    RETURN_IF_ERROR(w->Close());
    return env_->MapFile(path);
  }();
  l.lock();
  f.persisting = false;
  if (!mapped.ok()) {
    log::Error("Keeping head chunks in memory: writing their file failed",
               {{"err", mapped.status().ToString()}});
    return;
  }
  f.data = (*mapped)->data().data();
  // Readers that took the buffer keep it alive until they are done.
  f.owner = std::shared_ptr<const MappedFile>(std::move(*mapped));
}

void HeadChunks::Cut(uint64_t need) {
  if (!files_.empty() && files_.back() != nullptr) files_.back()->buffer = nullptr;
  auto f = std::make_unique<File>();
  capacity_ = std::max(file_size_, need + kHeaderSize);
  // Straight from mmap: these megabyte buffers come and go as files fill, and from the malloc
  // heap they would leave holes that small allocations split, growing the RSS.
  void* mem =
      ::mmap(nullptr, capacity_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ARGUS_CHECK(mem != MAP_FAILED, "out of memory for a head chunk buffer");
  const uint64_t len = capacity_;
  std::shared_ptr<char> buffer(static_cast<char*>(mem), [len](char* p) { ::munmap(p, len); });
  f->buffer = buffer.get();
  f->data = buffer.get();
  f->owner = std::move(buffer);
  StoreBE32(f->buffer, kHeadChunkMagic);
  std::memset(f->buffer + 4, 0, 4);
  f->buffer[4] = 1;  // version
  f->size = kHeaderSize;
  files_.push_back(std::move(f));
}

uint64_t HeadChunks::Write(uint64_t series_ref, int64_t min_time, int64_t max_time,
                           absl::string_view data) {
  char len[kMaxVarintLen64];
  size_t len_size = 0;
  for (uint64_t v = data.size();; v >>= 7) {
    len[len_size++] = static_cast<char>((v & 0x7f) | (v >= 0x80 ? 0x80 : 0));
    if (v < 0x80) break;
  }
  const size_t body = kFixedSize + len_size + data.size();
  const uint64_t need = body + 4;
  std::unique_lock l(mu_);
  while (files_.empty() || files_.back() == nullptr || files_.back()->size + need > capacity_) {
    const bool had_active = !files_.empty() && files_.back() != nullptr;
    Cut(need);
    // Others may cut again while the lock is released: hence the loop.
    if (had_active && !dir_.empty()) Persist(l, files_.size() - 2);
  }
  File& f = *files_.back();
  char* p = f.buffer + f.size;
  const uint64_t offset = f.size;
  StoreBE64(p, series_ref);
  StoreBE64(p + 8, static_cast<uint64_t>(min_time));
  StoreBE64(p + 16, static_cast<uint64_t>(max_time));
  p[24] = static_cast<char>(kXorEncoding);
  std::memcpy(p + kFixedSize, len, len_size);
  std::memcpy(p + kFixedSize + len_size, data.data(), data.size());
  StoreBE32(p + body, Crc32c(absl::string_view(p, body)));
  f.size += need;
  f.max_time = std::max(f.max_time, max_time);
  return (static_cast<uint64_t>(files_.size() - 1) << 32) | offset;
}

absl::string_view HeadChunks::Read(uint64_t ref, std::shared_ptr<const void>* keepalive) const {
  const char* base;
  {
    std::lock_guard l(mu_);
    const File& f = *files_[ref >> 32];
    *keepalive = f.owner;
    base = f.data;
  }
  // A chunk's bytes never change once written, so they are read without the lock.
  const char* p = base + static_cast<uint32_t>(ref) + kFixedSize;
  Decoder d(absl::string_view(p, kMaxVarintLen64));
  const uint64_t len = d.Uvarint();
  return absl::string_view(p + d.position(), len);
}

std::pair<int64_t, int64_t> HeadChunks::TimeRange(uint64_t ref) const {
  const char* base;
  {
    std::lock_guard l(mu_);
    base = files_[ref >> 32]->data;
  }
  const char* p = base + static_cast<uint32_t>(ref);
  return {static_cast<int64_t>(LoadBE64(p + 8)), static_cast<int64_t>(LoadBE64(p + 16))};
}

absl::Status HeadChunks::Truncate(int64_t min_time) {
  std::lock_guard l(mu_);
  for (size_t i = 0; i + 1 < files_.size(); ++i) {
    if (files_[i] == nullptr || files_[i]->max_time >= min_time || files_[i]->persisting) continue;
    // Queries still reading it hold its owner; the mapping outlives the unlinked file.
    files_[i].reset();
    if (!dir_.empty()) RETURN_IF_ERROR(env_->RemoveFile(JoinPath(dir_, FileName(i))));
  }
  return absl::OkStatus();
}

}  // namespace argus::tsdb::chunks
