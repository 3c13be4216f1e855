#include "discovery/internal/dir_watcher.h"

#include <filesystem>
#include <thread>

#include "discovery/internal/test_util.h"
#include "gtest/gtest.h"

namespace argus::discovery::internal {
namespace {

using Result = DirWatcher::Result;

TEST(DirWatcherTest, ReportsChangesTimeoutsAndWakes) {
  testing::TempDir dir;
  absl::StatusOr<std::unique_ptr<DirWatcher>> w = DirWatcher::Create();
  ASSERT_TRUE(w.ok()) << w.status();
  EXPECT_EQ((*w)->Watch(dir.Path("missing")).code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE((*w)->Watch(dir.path()).ok());
  EXPECT_TRUE((*w)->Watching(dir.path()));
  ASSERT_TRUE((*w)->Watch(dir.path()).ok());  // again: nothing happens

  EXPECT_EQ((*w)->Wait(absl::Milliseconds(10)), Result::kTimeout);
  testing::WriteFile(dir.Path("a.json"), "[]");
  EXPECT_EQ((*w)->Wait(absl::Seconds(10)), Result::kChanged);
  EXPECT_EQ((*w)->Wait(absl::Milliseconds(10)), Result::kTimeout);  // all consumed

  std::thread waker([&] { (*w)->Wake(); });
  EXPECT_EQ((*w)->Wait(absl::Seconds(10)), Result::kWoken);
  waker.join();
}

TEST(DirWatcherTest, ForgetsRemovedDirectories) {
  testing::TempDir dir;
  const std::string sub = dir.Path("sub");
  std::filesystem::create_directories(sub);
  absl::StatusOr<std::unique_ptr<DirWatcher>> w = DirWatcher::Create();
  ASSERT_TRUE(w.ok()) << w.status();
  ASSERT_TRUE((*w)->Watch(sub).ok());
  std::filesystem::remove(sub);
  EXPECT_EQ((*w)->Wait(absl::Seconds(10)), Result::kChanged);
  ASSERT_TRUE(testing::Eventually([&] {
    (*w)->Wait(absl::Milliseconds(1));
    return !(*w)->Watching(sub);
  }));
  std::filesystem::create_directories(sub);
  ASSERT_TRUE((*w)->Watch(sub).ok());
  testing::WriteFile(sub + "/a.json", "[]");
  EXPECT_EQ((*w)->Wait(absl::Seconds(10)), Result::kChanged);
}

}  // namespace
}  // namespace argus::discovery::internal
