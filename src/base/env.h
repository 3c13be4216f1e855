// The file-system seam (LevelDB's Env): storage code reaches the disk only through Env, so
// tests can substitute a fault-injecting implementation. Errors map errno to Status codes:
// ENOENT -> NotFound, EACCES/EPERM -> PermissionDenied, ENOSPC/EDQUOT -> ResourceExhausted,
// EEXIST -> AlreadyExists, anything else -> Internal; messages name the path.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace argus {

// A file opened for sequential writing. Not thread-safe. Destroying an unclosed file closes it
// and drops any error; call Close() to see it.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual absl::Status Append(absl::string_view data) = 0;
  // Hands buffered bytes to the kernel.
  virtual absl::Status Flush() = 0;
  // Flush + fdatasync: the bytes survive a machine crash once this returns OK.
  virtual absl::Status Sync() = 0;
  virtual absl::Status Close() = 0;
  // Bytes appended since the file was opened, plus its size at opening (appendable files).
  virtual uint64_t Size() const = 0;
};

// A read-only memory map of a whole file. Thread-safe to read; unmapped on destruction.
class MappedFile {
 public:
  virtual ~MappedFile() = default;
  virtual absl::string_view data() const = 0;
  virtual const std::string& path() const = 0;
};

class Env {
 public:
  virtual ~Env() = default;

  // The process-wide POSIX implementation. Thread-safe; never destroyed.
  static Env* Default();

  // Creates or truncates `path`.
  virtual absl::StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(
      const std::string& path) = 0;
  // Opens `path` for appending, creating it if needed.
  virtual absl::StatusOr<std::unique_ptr<WritableFile>> NewAppendableFile(
      const std::string& path) = 0;
  virtual absl::StatusOr<std::string> ReadFile(const std::string& path) = 0;
  // Maps `path` read-only (an empty file maps to empty data).
  virtual absl::StatusOr<std::unique_ptr<MappedFile>> MapFile(const std::string& path) = 0;
  virtual absl::StatusOr<uint64_t> FileSize(const std::string& path) = 0;
  virtual bool FileExists(const std::string& path) = 0;
  virtual bool IsDirectory(const std::string& path) = 0;
  // Names (not paths) of the entries of `dir`, sorted, without "." and "..".
  virtual absl::StatusOr<std::vector<std::string>> ListDir(const std::string& dir) = 0;
  // mkdir -p.
  virtual absl::Status CreateDirs(const std::string& dir) = 0;
  virtual absl::Status RemoveFile(const std::string& path) = 0;
  // rm -rf; a missing path is OK.
  virtual absl::Status RemoveAll(const std::string& path) = 0;
  // Atomic rename(2) within one file system.
  virtual absl::Status Rename(const std::string& from, const std::string& to) = 0;
  virtual absl::Status Truncate(const std::string& path, uint64_t size) = 0;
  // fsyncs a directory so that renames and creations in it are durable.
  virtual absl::Status SyncDir(const std::string& dir) = 0;
};

// Replaces `path` with `data` atomically: writes <path>.tmp, fsyncs it, renames it over `path`
// and fsyncs the directory, so readers see the old or the new file, never a partial one.
absl::Status WriteFileAtomically(Env* env, const std::string& path, absl::string_view data);

// Total size of the regular files under `dir`, recursively. Errors: those of Env.
absl::StatusOr<uint64_t> DirectorySize(Env* env, const std::string& dir);

// Joins path elements with single slashes.
std::string JoinPath(absl::string_view a, absl::string_view b);

// Status for a failed system call on `path`, from errno value `err`.
absl::Status ErrnoStatus(absl::string_view op, absl::string_view path, int err);

}  // namespace argus
