// The clock seam: code that stamps or waits reads time through a Clock, so tests can drive time
// with FakeClock instead of sleeping.
#pragma once

#include <condition_variable>
#include <mutex>

#include "absl/base/thread_annotations.h"
#include "absl/time/time.h"

namespace argus {

class Clock {
 public:
  virtual ~Clock() = default;
  // The wall clock (never destroyed, thread-safe).
  static Clock* Real();

  virtual absl::Time Now() const = 0;
  virtual void SleepFor(absl::Duration d) = 0;
  int64_t NowMs() const { return absl::ToUnixMillis(Now()); }
};

// A clock that moves only when told. SleepFor blocks until another thread advances the clock
// past the wake-up time. Thread-safe.
class FakeClock : public Clock {
 public:
  explicit FakeClock(absl::Time start) : now_(start) {}

  absl::Time Now() const override;
  void SleepFor(absl::Duration d) override;
  void Advance(absl::Duration d);
  // Threads blocked in SleepFor now (lets a test wait until a sleeper is parked).
  int Sleepers() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
  int sleepers_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace argus
