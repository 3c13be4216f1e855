#include "base/clock.h"

#include "absl/time/clock.h"

namespace argus {
namespace {

class RealClock : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
  void SleepFor(absl::Duration d) override { absl::SleepFor(d); }
};

}  // namespace

Clock* Clock::Real() {
  static Clock* const clock = new RealClock;
  return clock;
}

absl::Time FakeClock::Now() const {
  std::lock_guard<std::mutex> lock(mu_);
  return now_;
}

void FakeClock::SleepFor(absl::Duration d) {
  std::unique_lock<std::mutex> lock(mu_);
  const absl::Time wake = now_ + d;
  ++sleepers_;
  cv_.wait(lock, [&] { return now_ >= wake; });
  --sleepers_;
}

int FakeClock::Sleepers() const {
  std::lock_guard<std::mutex> lock(mu_);
  return sleepers_;
}

void FakeClock::Advance(absl::Duration d) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += d;
  }
  cv_.notify_all();
}

}  // namespace argus
