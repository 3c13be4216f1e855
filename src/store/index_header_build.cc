// BuildIndexHeader: the index-header from ranged reads of a block's index.
#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/crc32c.h"
#include "base/status.h"
#include "store/index_header.h"
#include "tsdb/index/decode.h"

namespace argus::store {
namespace {

namespace index = tsdb::index;

absl::Status Corrupt(absl::string_view index_name, absl::string_view what) {
  return absl::DataLossError(absl::StrCat(index_name, ": ", what));
}

// The framed size of the section at `offset` of an index of `size` bytes, from its 4-byte
// length.
absl::StatusOr<uint64_t> SectionSizeAt(objstore::Bucket& bucket, const std::string& index_name,
                                       uint64_t offset, uint64_t size, absl::string_view what) {
  if (offset < 5 || offset > size - 4) {
    return Corrupt(index_name, absl::StrCat(what, " out of range at offset ", offset));
  }
  ASSIGN_OR_RETURN(std::string len, ReadRange(bucket, index_name, offset, 4));
  const uint64_t framed = *index::SectionSize(len);
  if (framed > size - offset) {
    return Corrupt(index_name, absl::StrCat(what, " runs past the end of the file"));
  }
  return framed;
}

// Appends bytes [offset, offset + length) of the index to `f`.
absl::Status Copy(objstore::Bucket& bucket, const std::string& index_name, uint64_t offset,
                  uint64_t length, WritableFile& f) {
  uint64_t copied = 0;
  RETURN_IF_ERROR(bucket.GetRange(index_name, static_cast<int64_t>(offset),
                                  static_cast<int64_t>(length), [&](absl::string_view piece) {
                                    copied += piece.size();
                                    return f.Append(piece);
                                  }));
  if (copied != length) return Corrupt(index_name, "object shorter than its TOC says");
  return absl::OkStatus();
}

}  // namespace

absl::Status BuildIndexHeader(Env* env, objstore::Bucket& bucket, const std::string& index_name,
                              const std::string& path) {
  ASSIGN_OR_RETURN(objstore::ObjectAttributes attrs, bucket.Attributes(index_name));
  const uint64_t size = static_cast<uint64_t>(attrs.size);
  if (size < 5 + index::kTocSize) return Corrupt(index_name, "too small for an index");
  ASSIGN_OR_RETURN(std::string head, ReadRange(bucket, index_name, 0, 5));
  if (LoadBE32(head.data()) != index::kMagic) return Corrupt(index_name, "invalid index magic");
  if (static_cast<uint8_t>(head[4]) != index::kFormatV2) {
    return Corrupt(index_name, absl::StrCat("unsupported index version ",
                                            static_cast<int>(static_cast<uint8_t>(head[4]))));
  }
  ASSIGN_OR_RETURN(std::string toc_bytes,
                   ReadRange(bucket, index_name, size - index::kTocSize, index::kTocSize));
  absl::StatusOr<index::Toc> toc = index::DecodeToc(toc_bytes);
  if (!toc.ok()) return Corrupt(index_name, toc.status().message());
  ASSIGN_OR_RETURN(uint64_t symbols_size,
                   SectionSizeAt(bucket, index_name, toc->symbols, size, "symbol table"));
  ASSIGN_OR_RETURN(
      uint64_t table_size,
      SectionSizeAt(bucket, index_name, toc->postings_offset_table, size, "postings offset table"));
  // Postings lists come right before the label offset table (or, without it, the table).
  const bool has_label_table =
      toc->label_offset_table != 0 && toc->label_offset_table < toc->postings_offset_table;
  const uint64_t postings_end =
      has_label_table ? toc->label_offset_table : toc->postings_offset_table;

  std::string header;
  PutBE32(&header, kIndexHeaderMagic);
  header.push_back(static_cast<char>(kIndexHeaderVersion));
  header.push_back(static_cast<char>(index::kFormatV2));
  std::string trailer;
  PutBE64(&trailer, header.size());
  PutBE64(&trailer, header.size() + symbols_size);
  PutBE64(&trailer, postings_end);
  PutBE64(&trailer, size);
  PutBE32(&trailer, Crc32cExtend(Crc32c(header), trailer.data(), trailer.size()));

  const std::string tmp = path + ".tmp";
  {
    ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> f, env->NewWritableFile(tmp));
    RETURN_IF_ERROR(f->Append(header));
    RETURN_IF_ERROR(Copy(bucket, index_name, toc->symbols, symbols_size, *f));
    RETURN_IF_ERROR(Copy(bucket, index_name, toc->postings_offset_table, table_size, *f));
    RETURN_IF_ERROR(f->Append(trailer));
    RETURN_IF_ERROR(f->Sync());
    RETURN_IF_ERROR(f->Close());
  }
  // The copied sections' CRCs and entries are checked before the file is put in place.
  if (absl::StatusOr<std::unique_ptr<IndexHeader>> check = IndexHeader::OpenFile(env, tmp);
      !check.ok()) {
    env->RemoveFile(tmp).IgnoreError();
    return Corrupt(index_name, check.status().message());
  }
  RETURN_IF_ERROR(env->Rename(tmp, path));
  const size_t slash = path.find_last_of('/');
  return env->SyncDir(slash == std::string::npos ? "." : path.substr(0, slash));
}

}  // namespace argus::store
