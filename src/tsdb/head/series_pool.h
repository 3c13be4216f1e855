// Memory for the head's series: slabs of cache-line-aligned slots, handed out in order, with
// freed slots reused first. Series created together (a WAL replay creates them in ref order)
// sit together, so walking them in ref order streams through memory instead of jumping around
// the heap, and each costs exactly its size (no allocator header, no alignment slack).
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <new>
#include <utility>
#include <vector>

#include "tsdb/head/mem_series.h"

namespace argus::tsdb::head {

// Thread-safe. Series still alive when the pool is destroyed are not destroyed: their owner
// deletes them first.
class SeriesPool {
 public:
  template <typename... Args>
  MemSeries* New(Args&&... args) {
    return new (Slot()) MemSeries(std::forward<Args>(args)...);
  }
  // REQUIRES: `m` came from New on this pool.
  void Delete(MemSeries* m);

 private:
  static constexpr size_t kSlabSlots = 4096;
  struct SlabDeleter {
    void operator()(void* p) const { ::operator delete (p, std::align_val_t{alignof(MemSeries)}); }
  };

  void* Slot();

  std::mutex mu_;  // std::, see Head::visibility_mu_
  std::vector<std::unique_ptr<void, SlabDeleter>> slabs_;
  size_t used_ = kSlabSlots;  // slots handed out of the last slab
  std::vector<void*> free_;
};

}  // namespace argus::tsdb::head
