#include "base/clock.h"

#include <atomic>
#include <thread>

#include "absl/time/clock.h"
#include "gtest/gtest.h"

namespace argus {
namespace {

TEST(FakeClockTest, SleepWakesOnlyWhenAdvancedPastDeadline) {
  FakeClock clock(absl::FromUnixSeconds(1000));
  std::atomic<bool> woke{false};
  std::thread sleeper([&] {
    clock.SleepFor(absl::Seconds(10));
    woke = true;
  });
  while (clock.Sleepers() == 0) absl::SleepFor(absl::Milliseconds(1));
  clock.Advance(absl::Seconds(5));
  absl::SleepFor(absl::Milliseconds(20));
  EXPECT_FALSE(woke.load());
  clock.Advance(absl::Seconds(5));
  sleeper.join();
  EXPECT_TRUE(woke.load());
  EXPECT_EQ(clock.NowMs(), 1010000);
}

TEST(RealClockTest, MovesForward) {
  absl::Time a = Clock::Real()->Now();
  Clock::Real()->SleepFor(absl::Milliseconds(2));
  EXPECT_GT(Clock::Real()->Now(), a);
}

}  // namespace
}  // namespace argus
