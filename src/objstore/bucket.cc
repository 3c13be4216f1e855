#include "objstore/bucket.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/status.h"

namespace argus::objstore {

absl::StatusOr<std::string> Bucket::Get(absl::string_view name, int64_t offset, int64_t length) {
  std::string out;
  if (length > 0) out.reserve(static_cast<size_t>(length));
  RETURN_IF_ERROR(GetRange(name, offset, length, [&out](absl::string_view piece) {
    out.append(piece.data(), piece.size());
    return absl::OkStatus();
  }));
  return out;
}

absl::StatusOr<bool> Bucket::Exists(absl::string_view name) {
  absl::StatusOr<ObjectAttributes> a = Attributes(name);
  if (absl::IsNotFound(a.status())) return false;
  RETURN_IF_ERROR(a.status());
  return true;
}

absl::StatusOr<size_t> StringSource::Read(char* buf, size_t n) {
  const size_t k = std::min(n, data_.size() - pos_);
  memcpy(buf, data_.data() + pos_, k);
  pos_ += k;
  return k;
}

absl::Status UploadFile(Bucket& bucket, absl::string_view name, Env* env, const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<MappedFile> file, env->MapFile(path));
  StringSource src(file->data());
  return bucket.Upload(name, src);
}

absl::Status CheckKey(absl::string_view name, bool allow_dir) {
  const auto bad = [name](absl::string_view why) {
    return absl::InvalidArgumentError(absl::StrCat("invalid object name \"", name, "\": ", why));
  };
  if (name.empty()) return bad("empty");
  if (name.find('\0') != absl::string_view::npos) return bad("contains NUL");
  if (allow_dir && name.back() == '/') name.remove_suffix(1);
  for (absl::string_view seg : absl::StrSplit(name, '/')) {
    if (seg.empty()) return bad("empty path segment");
    if (seg == "." || seg == "..") return bad("\".\" and \"..\" segments are not allowed");
  }
  return absl::OkStatus();
}

}  // namespace argus::objstore
