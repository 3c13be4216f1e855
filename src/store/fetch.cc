#include "store/fetch.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/status.h"

namespace argus::store {

absl::StatusOr<std::string> ReadRange(objstore::Bucket& bucket, absl::string_view name,
                                      uint64_t offset, uint64_t length) {
  ASSIGN_OR_RETURN(std::string out,
                   bucket.Get(name, static_cast<int64_t>(offset), static_cast<int64_t>(length)));
  if (out.size() != length) {
    return absl::DataLossError(absl::StrCat(name, ": object ends at ", offset + out.size(),
                                            ", before the range read ends at ", offset + length));
  }
  return out;
}

std::vector<ByteRange> MergeRanges(std::vector<ByteRange> ranges, uint64_t max_gap) {
  std::sort(ranges.begin(), ranges.end(),
            [](const ByteRange& a, const ByteRange& b) { return a.offset < b.offset; });
  std::vector<ByteRange> out;
  for (const ByteRange& r : ranges) {
    if (!out.empty() && r.offset <= out.back().end() + max_gap) {
      out.back().length = std::max(out.back().end(), r.end()) - out.back().offset;
    } else {
      out.push_back(r);
    }
  }
  return out;
}

absl::StatusOr<FetchedRanges> FetchedRanges::Fetch(objstore::Bucket& bucket, absl::string_view name,
                                                   std::vector<ByteRange> wanted,
                                                   uint64_t object_size,
                                                   storeapi::QueryBudget* budget,
                                                   FetchCount* count) {
  FetchedRanges out;
  for (ByteRange r : MergeRanges(std::move(wanted), kMaxRangeGap)) {
    if (r.offset >= object_size) continue;
    r.length = std::min(r.length, object_size - r.offset);
    RETURN_IF_ERROR(budget->Reserve(r.length));
    ASSIGN_OR_RETURN(std::string data, ReadRange(bucket, name, r.offset, r.length));
    ++count->requests;
    count->bytes += r.length;
    out.offsets_.push_back(r.offset);
    out.data_.push_back(std::make_shared<const std::string>(std::move(data)));
  }
  return out;
}

int FetchedRanges::Find(uint64_t offset) const {
  auto it = std::upper_bound(offsets_.begin(), offsets_.end(), offset);
  if (it == offsets_.begin()) return -1;
  const size_t i = static_cast<size_t>(it - offsets_.begin()) - 1;
  return offset - offsets_[i] < data_[i]->size() ? static_cast<int>(i) : -1;
}

absl::string_view FetchedRanges::From(uint64_t offset) const {
  const int i = Find(offset);
  if (i < 0) return {};
  return absl::string_view(*data_[i]).substr(offset - offsets_[i]);
}

std::shared_ptr<const std::string> FetchedRanges::Owner(uint64_t offset) const {
  const int i = Find(offset);
  return i < 0 ? nullptr : data_[i];
}

}  // namespace argus::store
