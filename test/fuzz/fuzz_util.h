// Helpers shared by the libFuzzer targets (src/**/*_fuzz.cc), which only the fuzz build mode
// builds (`make fuzz`; ARGUS_FUZZ in the top-level CMakeLists.txt).
//
// Seed mode: every fuzzer calls MaybeWriteSeeds from LLVMFuzzerInitialize, which libFuzzer runs
// before it parses its own flags, so `foo_fuzz -write_seeds=DIR` writes small valid inputs made
// with our own writers into DIR and exits. scripts/fuzz.sh does that before fuzzing.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/env.h"

namespace argus::fuzz {

// A read-only Env over in-memory files whose bytes the caller owns (typically the fuzz input).
// MapFile hands out the bytes themselves, not a page-rounded mmap, so ASan reports any read past
// a file's end. Writing methods fail with Unimplemented. Not thread-safe; cheap to construct
// once per input.
class MemEnv final : public Env {
 public:
  // Adds `path` (absolute, "/dir/name") and its parent directory. REQUIRES: `data` outlives the
  // env and every file mapped from it.
  void AddFile(const std::string& path, absl::string_view data);

  absl::StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override;
  absl::StatusOr<std::unique_ptr<WritableFile>> NewAppendableFile(const std::string& path) override;
  absl::StatusOr<std::string> ReadFile(const std::string& path) override;
  absl::StatusOr<std::unique_ptr<MappedFile>> MapFile(const std::string& path) override;
  absl::StatusOr<uint64_t> FileSize(const std::string& path) override;
  bool FileExists(const std::string& path) override;
  bool IsDirectory(const std::string& path) override;
  absl::StatusOr<std::vector<std::string>> ListDir(const std::string& dir) override;
  absl::Status CreateDirs(const std::string& dir) override;
  absl::Status RemoveFile(const std::string& path) override;
  absl::Status RemoveAll(const std::string& path) override;
  absl::Status Rename(const std::string& from, const std::string& to) override;
  absl::Status Truncate(const std::string& path, uint64_t size) override;
  absl::Status SyncDir(const std::string& dir) override;

 private:
  std::map<std::string, absl::string_view> files_;
  std::map<std::string, std::vector<std::string>> dirs_;  // dir -> sorted entry names
};

// A broken contract of the code under test: prints `what` and aborts, which libFuzzer records
// as a crash with the input that caused it.
[[noreturn]] void Fail(absl::string_view what);
inline void Require(bool cond, absl::string_view what) {
  if (!cond) Fail(what);
}
// Requires `status` to be OK or to carry `code` (the error code the API documents).
void RequireOkOr(const absl::Status& status, absl::StatusCode code, absl::string_view what);

// Seed mode: when argv holds `-write_seeds=DIR`, creates DIR, calls `write_seeds(DIR)` and exits
// the process, with 0 when it returned OK and 1 (after printing the error) otherwise. Returns
// without doing anything when the flag is absent.
void MaybeWriteSeeds(int argc, char** argv, absl::Status (*write_seeds)(const std::string& dir));

// Writes `data` to DIR/NAME with Env::Default().
absl::Status WriteSeed(const std::string& dir, absl::string_view name, absl::string_view data);

// A fresh scratch directory for writers that need a real file system (under /dev/shm when it
// exists, else $TMPDIR or /tmp). The caller removes it.
absl::StatusOr<std::string> MakeTempDir(absl::string_view prefix);

}  // namespace argus::fuzz
