#include "tsdb/head/series_pool.h"

namespace argus::tsdb::head {

void* SeriesPool::Slot() {
  std::lock_guard l(mu_);
  if (!free_.empty()) {
    void* p = free_.back();
    free_.pop_back();
    return p;
  }
  if (used_ == kSlabSlots) {
    slabs_.emplace_back(
        ::operator new (kSlabSlots * sizeof(MemSeries), std::align_val_t{alignof(MemSeries)}));
    used_ = 0;
  }
  return static_cast<char*>(slabs_.back().get()) + sizeof(MemSeries) * used_++;
}

void SeriesPool::Delete(MemSeries* m) {
  m->~MemSeries();
  std::lock_guard l(mu_);
  free_.push_back(m);
}

}  // namespace argus::tsdb::head
