#include "tsdb/head/ref_table.h"

namespace argus::tsdb::head {

RefTable::RefTable() : pages_(new std::atomic<std::atomic<MemSeries*>*>[kPages]) {
  for (uint64_t i = 0; i < kPages; ++i) pages_[i].store(nullptr, std::memory_order_relaxed);
}

RefTable::~RefTable() {
  for (uint64_t i = 0; i < kPages; ++i) delete[] pages_[i].load(std::memory_order_relaxed);
}

void RefTable::Set(uint64_t ref, MemSeries* m) {
  if (ref >= kCapacity) return;
  std::atomic<MemSeries*>* page = pages_[ref >> kPageBits].load(std::memory_order_acquire);
  if (page == nullptr) {
    if (m == nullptr) return;
    std::lock_guard l(grow_mu_);
    page = pages_[ref >> kPageBits].load(std::memory_order_acquire);
    if (page == nullptr) {
      page = new std::atomic<MemSeries*>[kPageMask + 1];
      for (uint64_t i = 0; i <= kPageMask; ++i) page[i].store(nullptr, std::memory_order_relaxed);
      pages_[ref >> kPageBits].store(page, std::memory_order_release);
    }
  }
  page[ref & kPageMask].store(m, std::memory_order_release);
}

}  // namespace argus::tsdb::head
