// A lock-free map from series ref to series for the refs the head hands out (small, dense
// integers): pages of atomic pointers, allocated as refs reach them. A lookup is two loads
// instead of a stripe lock and a hash probe; the head's stripes stay the authority, this is
// the fast path in front of them.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>

namespace argus::tsdb::head {

class MemSeries;

// Thread-safe.
class RefTable {
 public:
  RefTable();
  ~RefTable();
  RefTable(const RefTable&) = delete;
  RefTable& operator=(const RefTable&) = delete;

  // The series registered under `ref`, or nullptr (never registered, removed, or out of range).
  MemSeries* Get(uint64_t ref) const {
    if (ref >= kCapacity) return nullptr;
    const std::atomic<MemSeries*>* page = pages_[ref >> kPageBits].load(std::memory_order_acquire);
    return page == nullptr ? nullptr : page[ref & kPageMask].load(std::memory_order_acquire);
  }
  // Registers (or, with nullptr, removes) `m` under `ref`; refs past the capacity are ignored
  // (lookups for them fall back to the stripes).
  void Set(uint64_t ref, MemSeries* m);

 private:
  static constexpr int kPageBits = 16;
  static constexpr uint64_t kPageMask = (uint64_t{1} << kPageBits) - 1;
  static constexpr uint64_t kPages = uint64_t{1} << 14;
  static constexpr uint64_t kCapacity = kPages << kPageBits;  // 2^30 refs

  std::mutex grow_mu_;  // allocating pages
  std::unique_ptr<std::atomic<std::atomic<MemSeries*>*>[]> pages_;
};

}  // namespace argus::tsdb::head
