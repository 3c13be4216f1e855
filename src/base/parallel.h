// Runs independent pieces of work on a few threads: what the store gateway's sync and a
// StoreAPI call over several sources need (I/O-bound work, so more threads than cores).
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <thread>
#include <vector>

namespace argus {

// Calls fn(i) for every i in [0, n), at most `parallelism` (at least 1) at a time, the calling
// thread among them; returns when all calls have returned. fn must be safe to call
// concurrently for different i.
template <typename Fn>
void ParallelFor(size_t n, size_t parallelism, const Fn& fn) {
  std::atomic<size_t> next{0};
  const auto work = [&] {
    for (size_t i; (i = next.fetch_add(1)) < n;) fn(i);
  };
  std::vector<std::thread> helpers;
  for (size_t t = 1; t < std::min(n, std::max<size_t>(parallelism, 1)); ++t) {
    helpers.emplace_back(work);
  }
  work();
  for (std::thread& t : helpers) t.join();
}

}  // namespace argus
