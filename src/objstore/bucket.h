// Object storage as Thanos's objstore package sees it: a flat key space of immutable objects
// ("dir/sub/name"), read whole or by range, written whole, listed by "directory".
//
// Errors are told apart by code, so callers can decide without parsing messages:
//   NotFound          the object does not exist (IsObjNotFoundErr upstream);
//   PermissionDenied  credentials refused or access denied (IsAccessDeniedErr);
//   Unavailable       transient: 5xx, timeouts, connection resets, truncated bodies; the
//                     providers have already retried these up to their limit;
//   InvalidArgument   a bad key (empty, or escaping the bucket like "../x") or bad config;
//   anything else     a permanent failure with the provider's message.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "base/env.h"

namespace argus::objstore {

// What Attributes returns.
struct ObjectAttributes {
  int64_t size = 0;
  absl::Time last_modified;
};

// The bytes of one upload, read once from start to end. Not thread-safe.
class UploadSource {
 public:
  virtual ~UploadSource() = default;
  // The total length in bytes, known before the first Read.
  virtual int64_t Size() const = 0;
  // Fills up to `n` bytes of `buf`; returns how many were read, 0 only at the end.
  virtual absl::StatusOr<size_t> Read(char* buf, size_t n) = 0;
};

// Receives an object's bytes in order, piece by piece. A non-OK return stops the read and is
// what the read returns.
using ByteSink = std::function<absl::Status(absl::string_view piece)>;

// Receives one name while listing. A non-OK return stops the listing and is what Iter returns.
using NameSink = std::function<absl::Status(const std::string& name)>;

// Thread-safe: every method may be called concurrently.
class Bucket {
 public:
  virtual ~Bucket() = default;

  // The bucket's name, for logs and the `bucket` metric label.
  virtual std::string Name() const = 0;

  // Stores `src` under `name`, replacing any object there. Atomic to readers: they see the old
  // object or the whole new one, never a part.
  virtual absl::Status Upload(absl::string_view name, UploadSource& src) = 0;

  // Streams bytes [offset, offset + length) of `name` to `sink`; length < 0 reads to the end.
  // A range reaching past the end is cut at the end. Retries that resume after a transient
  // error never send a byte twice.
  virtual absl::Status GetRange(absl::string_view name, int64_t offset, int64_t length,
                                const ByteSink& sink) = 0;

  // Whether `name` exists. NotFound is never returned: it is `false`. By default, whether
  // Attributes finds it.
  virtual absl::StatusOr<bool> Exists(absl::string_view name);

  // Size and modification time of `name`.
  virtual absl::StatusOr<ObjectAttributes> Attributes(absl::string_view name) = 0;

  // Calls `sink` with the names under `dir` ("" is the root; a trailing "/" is optional), in
  // lexicographic order. Not recursive: objects directly under `dir` by full name, and each
  // deeper "directory" once, as its full name with a trailing "/". Recursive: every object
  // under `dir` by full name. A missing `dir` lists nothing.
  virtual absl::Status Iter(absl::string_view dir, bool recursive, const NameSink& sink) = 0;

  // Removes `name`. Removing an object that does not exist is not an error.
  virtual absl::Status Delete(absl::string_view name) = 0;

  // The object's bytes from `offset`, `length` of them (to the end when -1), in memory: the
  // whole of a small object (meta.json, markers), or a range the caller holds (the store
  // gateway's index and chunk reads). Errors: those of GetRange.
  absl::StatusOr<std::string> Get(absl::string_view name, int64_t offset = 0, int64_t length = -1);
};

// An UploadSource over bytes the caller keeps alive.
class StringSource : public UploadSource {
 public:
  explicit StringSource(absl::string_view data) : data_(data) {}
  int64_t Size() const override { return static_cast<int64_t>(data_.size()); }
  absl::StatusOr<size_t> Read(char* buf, size_t n) override;

 private:
  absl::string_view data_;
  size_t pos_ = 0;
};

// Uploads the local file at `path` (read through `env`, memory-mapped) as `name`. Errors: those
// of Env::MapFile, then of Upload.
absl::Status UploadFile(Bucket& bucket, absl::string_view name, Env* env, const std::string& path);

// Validates an object key: not empty, no "." or ".." segment, no empty segment (except a
// trailing "/" when `allow_dir`), no NUL. Errors: InvalidArgument naming the key.
absl::Status CheckKey(absl::string_view name, bool allow_dir = false);

}  // namespace argus::objstore
