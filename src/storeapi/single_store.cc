#include "storeapi/single_store.h"

#include <limits>

namespace argus::storeapi {

std::vector<SourceRef> SingleStore::Sources() const {
  return {SourceRef{source_, opts_.external(), opts_.min_time(),
                    std::numeric_limits<int64_t>::max(), opts_.name}};
}

std::vector<labels::Labels> SingleStore::AnnouncedLabelSets() const {
  labels::Labels external = opts_.external();
  if (external.empty()) return {};
  return {std::move(external)};
}

}  // namespace argus::storeapi
