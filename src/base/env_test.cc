#include "base/env.h"

#include <filesystem>
#include <string>

#include "gtest/gtest.h"

namespace argus {
namespace {

class EnvTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/env_test_" + std::to_string(::getpid());
    std::filesystem::remove_all(dir_);
    ASSERT_TRUE(env_->CreateDirs(dir_ + "/a/b").ok());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  Env* env_ = Env::Default();
  std::string dir_;
};

TEST_F(EnvTest, WriteReadRenameList) {
  std::string path = JoinPath(dir_, "a/f.tmp");
  auto f = env_->NewWritableFile(path);
  ASSERT_TRUE(f.ok());
  ASSERT_TRUE((*f)->Append("hello ").ok());
  ASSERT_TRUE((*f)->Append(std::string(100000, 'x')).ok());  // larger than the buffer
  ASSERT_TRUE((*f)->Sync().ok());
  EXPECT_EQ((*f)->Size(), 100006u);
  ASSERT_TRUE((*f)->Close().ok());

  ASSERT_TRUE(env_->Rename(path, JoinPath(dir_, "a/f")).ok());
  EXPECT_FALSE(env_->FileExists(path));
  auto content = env_->ReadFile(JoinPath(dir_, "a/f"));
  ASSERT_TRUE(content.ok());
  EXPECT_EQ(content->size(), 100006u);
  EXPECT_EQ(content->substr(0, 6), "hello ");
  EXPECT_EQ(*env_->FileSize(JoinPath(dir_, "a/f")), 100006u);
  auto mapped = env_->MapFile(JoinPath(dir_, "a/f"));
  ASSERT_TRUE(mapped.ok());
  EXPECT_EQ((*mapped)->data(), *content);

  auto names = env_->ListDir(JoinPath(dir_, "a"));
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, (std::vector<std::string>{"b", "f"}));
  EXPECT_TRUE(env_->IsDirectory(JoinPath(dir_, "a/b")));
  EXPECT_TRUE(env_->SyncDir(JoinPath(dir_, "a")).ok());
}

TEST_F(EnvTest, AppendTruncateAndRemove) {
  std::string path = JoinPath(dir_, "log");
  {
    auto f = env_->NewAppendableFile(path);
    ASSERT_TRUE(f.ok());
    ASSERT_TRUE((*f)->Append("abc").ok());
  }  // closed by the destructor
  auto f = env_->NewAppendableFile(path);
  ASSERT_TRUE(f.ok());
  EXPECT_EQ((*f)->Size(), 3u);
  ASSERT_TRUE((*f)->Append("def").ok());
  ASSERT_TRUE((*f)->Close().ok());
  EXPECT_EQ(*env_->ReadFile(path), "abcdef");
  ASSERT_TRUE(env_->Truncate(path, 2).ok());
  EXPECT_EQ(*env_->ReadFile(path), "ab");
  ASSERT_TRUE(env_->RemoveFile(path).ok());
  EXPECT_EQ(env_->RemoveFile(path).code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(env_->RemoveAll(JoinPath(dir_, "a")).ok());
  EXPECT_FALSE(env_->FileExists(JoinPath(dir_, "a")));
  EXPECT_TRUE(env_->RemoveAll(JoinPath(dir_, "missing")).ok());
}

TEST_F(EnvTest, ErrorsNamePathAndCode) {
  auto r = env_->ReadFile(JoinPath(dir_, "nope"));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(r.status().message().find("nope"), absl::string_view::npos);
  EXPECT_EQ(env_->ListDir(JoinPath(dir_, "nope")).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ErrnoStatus("write", "x", ENOSPC).code(), absl::StatusCode::kResourceExhausted);
}

TEST(JoinPathTest, Slashes) {
  EXPECT_EQ(JoinPath("a", "b"), "a/b");
  EXPECT_EQ(JoinPath("a/", "b"), "a/b");
  EXPECT_EQ(JoinPath("a/", "/b"), "a/b");
  EXPECT_EQ(JoinPath("", "b"), "b");
}

}  // namespace
}  // namespace argus
