// Helpers shared by the wlog tests: a temporary directory, an Env without fsync (tests that
// repair thousands of times), and reading a whole WAL directory.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "base/env.h"
#include "gtest/gtest.h"
#include "tsdb/wlog/reader.h"

namespace argus::tsdb::wlog::testing {

// A fresh directory per test, on tmpfs when /dev/shm exists: the torn-tail tests rewrite and
// repair a segment tens of thousands of times.
class TempDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    const std::string base =
        std::filesystem::is_directory("/dev/shm") ? "/dev/shm" : ::testing::TempDir();
    dir_ = base + "/argus_wlog_" + info->test_suite_name() + "_" + info->name() + "_" +
           std::to_string(::getpid());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string dir_;
};

// Env::Default() with Sync and SyncDir as no-ops, for tests that repair thousands of times.
class NoSyncEnv : public Env {
 public:
  absl::StatusOr<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& p) override {
    return Wrap(base_->NewWritableFile(p));
  }
  absl::StatusOr<std::unique_ptr<WritableFile>> NewAppendableFile(const std::string& p) override {
    return Wrap(base_->NewAppendableFile(p));
  }
  absl::StatusOr<std::string> ReadFile(const std::string& p) override { return base_->ReadFile(p); }
  absl::StatusOr<std::unique_ptr<MappedFile>> MapFile(const std::string& p) override {
    return base_->MapFile(p);
  }
  absl::StatusOr<uint64_t> FileSize(const std::string& p) override { return base_->FileSize(p); }
  bool FileExists(const std::string& p) override { return base_->FileExists(p); }
  bool IsDirectory(const std::string& p) override { return base_->IsDirectory(p); }
  absl::StatusOr<std::vector<std::string>> ListDir(const std::string& d) override {
    return base_->ListDir(d);
  }
  absl::Status CreateDirs(const std::string& d) override { return base_->CreateDirs(d); }
  absl::Status RemoveFile(const std::string& p) override { return base_->RemoveFile(p); }
  absl::Status RemoveAll(const std::string& p) override { return base_->RemoveAll(p); }
  absl::Status Rename(const std::string& a, const std::string& b) override {
    return base_->Rename(a, b);
  }
  absl::Status Truncate(const std::string& p, uint64_t n) override { return base_->Truncate(p, n); }
  absl::Status SyncDir(const std::string&) override { return absl::OkStatus(); }

 private:
  class File : public WritableFile {
   public:
    explicit File(std::unique_ptr<WritableFile> f) : f_(std::move(f)) {}
    absl::Status Append(absl::string_view d) override { return f_->Append(d); }
    absl::Status Flush() override { return f_->Flush(); }
    absl::Status Sync() override { return f_->Flush(); }
    absl::Status Close() override { return f_->Close(); }
    uint64_t Size() const override { return f_->Size(); }

   private:
    std::unique_ptr<WritableFile> f_;
  };
  static absl::StatusOr<std::unique_ptr<WritableFile>> Wrap(
      absl::StatusOr<std::unique_ptr<WritableFile>> f) {
    if (!f.ok()) return f.status();
    return std::unique_ptr<WritableFile>(new File(*std::move(f)));
  }
  Env* base_ = Env::Default();
};

struct ReadResult {
  std::vector<std::string> records;
  std::vector<std::pair<int, int64_t>> ends;  // segment and end offset of each record
  absl::Status status;
};

inline ReadResult ReadAll(Env* env, const std::string& dir, int first = -1, int last = -1) {
  ReadResult out;
  auto r = NewSegmentsRangeReader(env, dir, first, last);
  if (!r.ok()) {
    out.status = r.status();
    return out;
  }
  while ((*r)->Next()) {
    out.records.emplace_back((*r)->record());
    out.ends.emplace_back((*r)->segment(), (*r)->offset());
  }
  out.status = (*r)->status();
  return out;
}

inline std::string FileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void WriteBytes(const std::string& path, const std::string& data) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << data;
}

// `n` random bytes, never zero (so that a torn tail never reads back as intact zeros).
inline std::string RandomBytes(std::mt19937_64& rng, size_t n) {
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(1 + rng() % 255);
  return s;
}

// Compressible text: words from a small vocabulary.
inline std::string Compressible(std::mt19937_64& rng, size_t n) {
  static const char* kWords[] = {"series", "sample", "__name__", "job", "instance", "le", "0.5"};
  std::string s;
  while (s.size() < n) s += kWords[rng() % 7];
  s.resize(n);
  return s;
}

}  // namespace argus::tsdb::wlog::testing
