#include "tsdb/chunks/chunks.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/coding.h"
#include "base/crc32c.h"
#include "base/status.h"

namespace argus::tsdb::chunks {

std::string SegmentName(uint32_t index) { return absl::StrFormat("%06d", index + 1); }

namespace {

// A stored chunk's checksum covers its encoding byte and its data.
uint32_t ChunkCrc(uint8_t encoding, absl::string_view data) {
  const char enc = static_cast<char>(encoding);
  return Crc32cExtend(Crc32c(absl::string_view(&enc, 1)), data.data(), data.size());
}

}  // namespace

absl::StatusOr<std::unique_ptr<ChunkWriter>> ChunkWriter::Create(Env* env, std::string dir,
                                                                 uint64_t max_segment_size) {
  RETURN_IF_ERROR(env->CreateDirs(dir));
  return std::unique_ptr<ChunkWriter>(new ChunkWriter(env, std::move(dir), max_segment_size));
}

ChunkWriter::~ChunkWriter() { (void)Close(); }

absl::Status ChunkWriter::Cut() {
  RETURN_IF_ERROR(Close());
  ASSIGN_OR_RETURN(file_, env_->NewWritableFile(JoinPath(dir_, SegmentName(next_index_))));
  ++next_index_;
  std::string header;
  PutBE32(&header, kMagic);
  header.push_back(static_cast<char>(kFormatVersion));
  header.append(3, '\0');
  RETURN_IF_ERROR(file_->Append(header));
  offset_ = header.size();
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> ChunkWriter::Write(chunkenc::Encoding encoding, absl::string_view data) {
  const uint64_t size = UvarintLength(data.size()) + 1 + data.size() + 4;
  if (file_ == nullptr || (offset_ > kSegmentHeaderSize && offset_ + size > max_)) {
    RETURN_IF_ERROR(Cut());
  }
  const uint64_t ref = MakeRef(next_index_ - 1, static_cast<uint32_t>(offset_));
  std::string head;
  PutUvarint(&head, data.size());
  head.push_back(static_cast<char>(encoding));
  std::string tail;
  PutBE32(&tail, ChunkCrc(static_cast<uint8_t>(encoding), data));
  RETURN_IF_ERROR(file_->Append(head));
  RETURN_IF_ERROR(file_->Append(data));
  RETURN_IF_ERROR(file_->Append(tail));
  offset_ += size;
  return ref;
}

absl::Status ChunkWriter::Close() {
  if (file_ == nullptr) return absl::OkStatus();
  absl::Status s = file_->Sync();
  absl::Status c = file_->Close();
  file_.reset();
  RETURN_IF_ERROR(s);
  return c;
}

absl::StatusOr<std::unique_ptr<ChunkReader>> ChunkReader::Open(Env* env, const std::string& dir) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, env->ListDir(dir));
  auto reader = std::unique_ptr<ChunkReader>(new ChunkReader);
  for (const std::string& name : names) {
    // Segment files are the 6-digit numbers, consecutive from 000001.
    if (name.size() != 6 || name.find_first_not_of("0123456789") != std::string::npos) continue;
    if (name != SegmentName(static_cast<uint32_t>(reader->segments_.size()))) {
      return absl::DataLossError(absl::StrCat(dir, ": chunk segment ", name, " out of sequence"));
    }
    ASSIGN_OR_RETURN(std::unique_ptr<MappedFile> f, env->MapFile(JoinPath(dir, name)));
    absl::string_view d = f->data();
    if (d.size() < kSegmentHeaderSize || LoadBE32(d.data()) != kMagic) {
      return absl::DataLossError(absl::StrCat(f->path(), ": invalid chunk segment magic"));
    }
    if (static_cast<uint8_t>(d[4]) != kFormatVersion) {
      return absl::DataLossError(absl::StrCat(f->path(), ": unsupported chunk segment version ",
                                              static_cast<int>(static_cast<uint8_t>(d[4]))));
    }
    reader->segments_.push_back(std::move(f));
  }
  return reader;
}

absl::StatusOr<ChunkData> ChunkReader::Read(uint64_t ref) const {
  const uint32_t seg = static_cast<uint32_t>(ref >> 32);
  const uint32_t off = static_cast<uint32_t>(ref);
  if (seg >= segments_.size()) {
    return absl::DataLossError(absl::StrCat("chunk ref ", ref, ": segment ", seg + 1,
                                            " does not exist (", segments_.size(), " segments)"));
  }
  const MappedFile& f = *segments_[seg];
  absl::string_view d = f.data();
  if (off < kSegmentHeaderSize || off >= d.size()) {
    return absl::DataLossError(
        absl::StrCat(f.path(), ": chunk offset ", off, " outside the file (", d.size(), " bytes)"));
  }
  Decoder dec(d.substr(off));
  const uint64_t len = dec.Uvarint();
  const uint8_t enc = dec.Byte();
  const absl::string_view data = dec.Bytes(len);
  const uint32_t crc = dec.BE32();
  if (!dec.ok()) {
    return absl::DataLossError(
        absl::StrCat(f.path(), ": chunk at offset ", off, " runs past the end of the file"));
  }
  if (ChunkCrc(enc, data) != crc) {
    return absl::DataLossError(
        absl::StrCat(f.path(), ": checksum mismatch for chunk at offset ", off));
  }
  return ChunkData{static_cast<chunkenc::Encoding>(enc), data};
}

uint64_t ChunkReader::size() const {
  uint64_t n = 0;
  for (const auto& s : segments_) n += s->data().size();
  return n;
}

}  // namespace argus::tsdb::chunks
