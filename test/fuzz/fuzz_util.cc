#include "fuzz/fuzz_util.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status.h"

namespace argus::fuzz {
namespace {

class MemMappedFile final : public MappedFile {
 public:
  MemMappedFile(std::string path, absl::string_view data) : path_(std::move(path)), data_(data) {}
  absl::string_view data() const override { return data_; }
  const std::string& path() const override { return path_; }

 private:
  const std::string path_;
  const absl::string_view data_;
};

absl::Status ReadOnly(const std::string& path) {
  return absl::UnimplementedError(absl::StrCat("MemEnv is read-only: ", path));
}

// "/a/b" -> {"/a", "b"}; a path without a slash lives in "".
std::pair<std::string, std::string> SplitPath(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return {"", path};
  return {path.substr(0, slash), path.substr(slash + 1)};
}

}  // namespace

void MemEnv::AddFile(const std::string& path, absl::string_view data) {
  auto [dir, name] = SplitPath(path);
  std::vector<std::string>& names = dirs_[dir];
  if (files_.insert_or_assign(path, data).second) {
    names.insert(std::lower_bound(names.begin(), names.end(), name), name);
  }
}

absl::StatusOr<std::unique_ptr<WritableFile>> MemEnv::NewWritableFile(const std::string& path) {
  return ReadOnly(path);
}

absl::StatusOr<std::unique_ptr<WritableFile>> MemEnv::NewAppendableFile(const std::string& path) {
  return ReadOnly(path);
}

absl::StatusOr<std::string> MemEnv::ReadFile(const std::string& path) {
  auto it = files_.find(path);
  if (it == files_.end()) return absl::NotFoundError(absl::StrCat("open ", path));
  return std::string(it->second);
}

absl::StatusOr<std::unique_ptr<MappedFile>> MemEnv::MapFile(const std::string& path) {
  auto it = files_.find(path);
  if (it == files_.end()) return absl::NotFoundError(absl::StrCat("open ", path));
  return std::make_unique<MemMappedFile>(path, it->second);
}

absl::StatusOr<uint64_t> MemEnv::FileSize(const std::string& path) {
  auto it = files_.find(path);
  if (it == files_.end()) return absl::NotFoundError(absl::StrCat("stat ", path));
  return it->second.size();
}

bool MemEnv::FileExists(const std::string& path) {
  return files_.contains(path) || dirs_.contains(path);
}

bool MemEnv::IsDirectory(const std::string& path) { return dirs_.contains(path); }

absl::StatusOr<std::vector<std::string>> MemEnv::ListDir(const std::string& dir) {
  auto it = dirs_.find(dir);
  if (it == dirs_.end()) return absl::NotFoundError(absl::StrCat("open ", dir));
  return it->second;
}

absl::Status MemEnv::CreateDirs(const std::string& dir) { return ReadOnly(dir); }
absl::Status MemEnv::RemoveFile(const std::string& path) { return ReadOnly(path); }
absl::Status MemEnv::RemoveAll(const std::string& path) { return ReadOnly(path); }
absl::Status MemEnv::Rename(const std::string& from, const std::string&) { return ReadOnly(from); }
absl::Status MemEnv::Truncate(const std::string& path, uint64_t) { return ReadOnly(path); }
absl::Status MemEnv::SyncDir(const std::string& dir) { return ReadOnly(dir); }

void Fail(absl::string_view what) {
  std::fprintf(stderr, "fuzz contract violated: %.*s\n", static_cast<int>(what.size()),
               what.data());
  std::abort();
}

void RequireOkOr(const absl::Status& status, absl::StatusCode code, absl::string_view what) {
  if (status.ok() || status.code() == code) return;
  Fail(absl::StrCat(what, ": want OK or ", absl::StatusCodeToString(code), ", got ",
                    status.ToString()));
}

void MaybeWriteSeeds(int argc, char** argv, absl::Status (*write_seeds)(const std::string& dir)) {
  constexpr absl::string_view kFlag = "-write_seeds=";
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    if (!absl::StartsWith(arg, kFlag)) continue;
    const std::string dir(arg.substr(kFlag.size()));
    absl::Status s = Env::Default()->CreateDirs(dir);
    if (s.ok()) s = write_seeds(dir);
    if (!s.ok()) {
      std::fprintf(stderr, "%s: writing seeds to %s: %s\n", argv[0], dir.c_str(),
                   s.ToString().c_str());
      std::exit(1);
    }
    std::exit(0);
  }
}

absl::Status WriteSeed(const std::string& dir, absl::string_view name, absl::string_view data) {
  ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> f,
                   Env::Default()->NewWritableFile(JoinPath(dir, name)));
  RETURN_IF_ERROR(f->Append(data));
  return f->Close();
}

absl::StatusOr<std::string> MakeTempDir(absl::string_view prefix) {
  std::string base = "/dev/shm";
  if (!Env::Default()->IsDirectory(base)) {
    const char* tmp = std::getenv("TMPDIR");
    base = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  }
  std::string templ = JoinPath(base, absl::StrCat(prefix, ".XXXXXX"));
  if (::mkdtemp(templ.data()) == nullptr) return ErrnoStatus("mkdtemp", templ, errno);
  return templ;
}

}  // namespace argus::fuzz
