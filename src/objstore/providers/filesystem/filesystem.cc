#include "objstore/providers/filesystem/filesystem.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "base/status.h"

namespace argus::objstore::filesystem {
namespace {

// Where uploads are written before they are renamed into place; never listed.
constexpr char kTmpDir[] = ".tmp-upload";

absl::Status ErrnoStatus(absl::string_view op, const std::string& path, int err) {
  const std::string msg = absl::StrCat(op, " ", path, ": ", strerror(err));
  if (err == ENOENT || err == ENOTDIR) return absl::NotFoundError(msg);
  if (err == EACCES || err == EPERM) return absl::PermissionDeniedError(msg);
  return absl::InternalError(msg);
}

absl::Status MakeDirs(const std::string& path) {
  for (size_t i = 1; i <= path.size(); ++i) {
    if (i < path.size() && path[i] != '/') continue;
    const std::string prefix = path.substr(0, i);
    if (mkdir(prefix.c_str(), 0755) != 0 && errno != EEXIST) {
      return ErrnoStatus("mkdir", prefix, errno);
    }
  }
  return absl::OkStatus();
}

// Entries of `dir` but "." and "..", sorted; NotFound when `dir` does not exist.
absl::StatusOr<std::vector<std::pair<std::string, bool>>> ReadDir(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return ErrnoStatus("opendir", dir, errno);
  std::vector<std::pair<std::string, bool>> out;  // name, is directory
  while (struct dirent* e = readdir(d)) {
    const absl::string_view name = e->d_name;
    if (name == "." || name == "..") continue;
    struct stat st;
    const std::string path = absl::StrCat(dir, "/", name);
    if (stat(path.c_str(), &st) != 0) continue;  // removed meanwhile
    out.emplace_back(std::string(name), S_ISDIR(st.st_mode));
  }
  closedir(d);
  std::sort(out.begin(), out.end());
  return out;
}

class FsBucket : public Bucket {
 public:
  explicit FsBucket(std::string root) : root_(std::move(root)) {}

  std::string Name() const override { return root_; }

  absl::Status Upload(absl::string_view name, UploadSource& src) override {
    RETURN_IF_ERROR(CheckKey(name));
    const std::string path = PathOf(name);
    const std::string tmp =
        absl::StrCat(root_, "/", kTmpDir, "/", getpid(), "-", next_tmp_.fetch_add(1));
    RETURN_IF_ERROR(MakeDirs(absl::StrCat(root_, "/", kTmpDir)));
    RETURN_IF_ERROR(MakeDirs(path.substr(0, path.rfind('/'))));
    const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return ErrnoStatus("create", tmp, errno);
    absl::Status st = Copy(src, fd, tmp);
    if (st.ok() && fsync(fd) != 0) st = ErrnoStatus("fsync", tmp, errno);
    if (close(fd) != 0 && st.ok()) st = ErrnoStatus("close", tmp, errno);
    if (st.ok() && rename(tmp.c_str(), path.c_str()) != 0) st = ErrnoStatus("rename", path, errno);
    if (!st.ok()) unlink(tmp.c_str());
    return st;
  }

  absl::Status GetRange(absl::string_view name, int64_t offset, int64_t length,
                        const ByteSink& sink) override {
    RETURN_IF_ERROR(CheckKey(name));
    const std::string path = PathOf(name);
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus("open", path, errno);
    absl::Status st = Stream(fd, path, offset, length, sink);
    close(fd);
    return st;
  }

  absl::StatusOr<ObjectAttributes> Attributes(absl::string_view name) override {
    RETURN_IF_ERROR(CheckKey(name));
    const std::string path = PathOf(name);
    struct stat st;
    if (stat(path.c_str(), &st) != 0) return ErrnoStatus("stat", path, errno);
    if (S_ISDIR(st.st_mode)) return absl::NotFoundError(absl::StrCat(path, " is a directory"));
    return ObjectAttributes{st.st_size, absl::TimeFromTimespec(st.st_mtim)};
  }

  absl::Status Iter(absl::string_view dir, bool recursive, const NameSink& sink) override {
    std::string prefix(absl::StripSuffix(dir, "/"));
    if (!prefix.empty()) {
      RETURN_IF_ERROR(CheckKey(prefix));
      prefix += "/";
    }
    return Walk(prefix, recursive, sink);
  }

  absl::Status Delete(absl::string_view name) override {
    RETURN_IF_ERROR(CheckKey(name));
    const std::string path = PathOf(name);
    if (unlink(path.c_str()) != 0 && errno != ENOENT) return ErrnoStatus("delete", path, errno);
    // Remove the directories the object leaves empty, up to (not including) the root.
    std::string dir = path;
    for (size_t slash = dir.rfind('/'); slash > root_.size(); slash = dir.rfind('/')) {
      dir.resize(slash);
      if (rmdir(dir.c_str()) != 0) break;  // not empty (or gone): stop
    }
    return absl::OkStatus();
  }

 private:
  std::string PathOf(absl::string_view name) const { return absl::StrCat(root_, "/", name); }

  static absl::Status Copy(UploadSource& src, int fd, const std::string& path) {
    std::vector<char> buf(1 << 20);
    for (;;) {
      ASSIGN_OR_RETURN(size_t n, src.Read(buf.data(), buf.size()));
      if (n == 0) return absl::OkStatus();
      for (size_t done = 0; done < n;) {
        const ssize_t k = write(fd, buf.data() + done, n - done);
        if (k < 0 && errno == EINTR) continue;
        if (k < 0) return ErrnoStatus("write", path, errno);
        done += k;
      }
    }
  }

  static absl::Status Stream(int fd, const std::string& path, int64_t offset, int64_t length,
                             const ByteSink& sink) {
    if (offset < 0) return absl::InvalidArgumentError("negative offset");
    std::vector<char> buf(1 << 20);
    int64_t left = length < 0 ? INT64_MAX : length;
    while (left > 0) {
      const ssize_t k = pread(fd, buf.data(), std::min<int64_t>(left, buf.size()), offset);
      if (k < 0 && errno == EINTR) continue;
      if (k < 0) return ErrnoStatus("read", path, errno);
      if (k == 0) break;
      RETURN_IF_ERROR(sink(absl::string_view(buf.data(), k)));
      offset += k;
      left -= k;
    }
    return absl::OkStatus();
  }

  // Lists `prefix` ("" or "dir/"), depth first in name order.
  absl::Status Walk(const std::string& prefix, bool recursive, const NameSink& sink) {
    absl::StatusOr<std::vector<std::pair<std::string, bool>>> entries =
        ReadDir(absl::StrCat(root_, "/", prefix));
    if (absl::IsNotFound(entries.status())) return absl::OkStatus();
    RETURN_IF_ERROR(entries.status());
    for (const auto& [entry, is_dir] : *entries) {
      if (prefix.empty() && entry == kTmpDir) continue;
      const std::string name = absl::StrCat(prefix, entry, is_dir ? "/" : "");
      if (!is_dir) {
        RETURN_IF_ERROR(sink(name));
      } else if (recursive) {
        RETURN_IF_ERROR(Walk(name, true, sink));
      } else {
        RETURN_IF_ERROR(sink(name));
      }
    }
    return absl::OkStatus();
  }

  const std::string root_;
  std::atomic<uint64_t> next_tmp_{0};
};

}  // namespace

absl::StatusOr<std::string> ParseConfig(const YamlDoc& doc, const YAML::Node& config) {
  ASSIGN_OR_RETURN(std::optional<std::string> dir, doc.Get<std::string>(config, "directory"));
  if (!dir.has_value() || dir->empty()) {
    return doc.Error(config, "missing directory for filesystem bucket");
  }
  return *dir;
}

absl::StatusOr<std::unique_ptr<Bucket>> NewBucket(const std::string& root) {
  std::string dir(absl::StripSuffix(root, "/"));
  if (dir.empty()) dir.push_back('/');  // (assigning "/" trips GCC 12 -Wrestrict at -O2)
  RETURN_IF_ERROR(MakeDirs(dir));
  return std::unique_ptr<Bucket>(new FsBucket(dir));
}

}  // namespace argus::objstore::filesystem
