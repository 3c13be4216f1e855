#include "tsdb/tombstones/tombstones.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/crc32c.h"
#include "base/status.h"

namespace argus::tsdb::tombstones {

void Tombstones::Add(uint64_t ref, Interval iv) {
  std::vector<Interval>& ivs = by_ref_[ref];
  ivs.push_back(iv);
  std::sort(ivs.begin(), ivs.end(),
            [](const Interval& a, const Interval& b) { return a.min_time < b.min_time; });
  std::vector<Interval> merged;
  for (const Interval& i : ivs) {
    // Touching (max + 1 == min) merges too, as Prometheus's Intervals.Add does.
    if (!merged.empty() && i.min_time <= merged.back().max_time + 1) {
      merged.back().max_time = std::max(merged.back().max_time, i.max_time);
    } else {
      merged.push_back(i);
    }
  }
  ivs = std::move(merged);
}

const std::vector<Interval>* Tombstones::Get(uint64_t ref) const {
  auto it = by_ref_.find(ref);
  return it == by_ref_.end() ? nullptr : &it->second;
}

uint64_t Tombstones::NumIntervals() const {
  uint64_t n = 0;
  for (const auto& [ref, ivs] : by_ref_) n += ivs.size();
  return n;
}

bool IsDeleted(const std::vector<Interval>& intervals, int64_t t) {
  auto it = std::upper_bound(intervals.begin(), intervals.end(), t,
                             [](int64_t x, const Interval& i) { return x < i.min_time; });
  return it != intervals.begin() && t <= std::prev(it)->max_time;
}

absl::StatusOr<Tombstones> Read(Env* env, const std::string& dir) {
  const std::string path = JoinPath(dir, kFilename);
  Tombstones ts;
  if (!env->FileExists(path)) return ts;
  ASSIGN_OR_RETURN(std::string data, env->ReadFile(path));
  if (data.size() < 9 || LoadBE32(data.data()) != kMagic) {
    return absl::DataLossError(absl::StrCat(path, ": invalid tombstones magic"));
  }
  if (static_cast<uint8_t>(data[4]) != 1) {
    return absl::DataLossError(absl::StrCat(path, ": unsupported tombstones version ",
                                            static_cast<int>(static_cast<uint8_t>(data[4]))));
  }
  const absl::string_view records = absl::string_view(data).substr(5, data.size() - 9);
  if (Crc32c(records) != LoadBE32(data.data() + data.size() - 4)) {
    return absl::DataLossError(absl::StrCat(path, ": tombstones checksum mismatch"));
  }
  Decoder d(records);
  while (d.ok() && d.remaining() > 0) {
    const uint64_t ref = d.Uvarint();
    const int64_t mint = d.Varint();
    const int64_t maxt = d.Varint();
    if (d.ok()) ts.Add(ref, {mint, maxt});
  }
  RETURN_IF_ERROR(d.status(path));
  return ts;
}

absl::Status Write(Env* env, const std::string& dir, const Tombstones& tombstones) {
  std::string records;
  for (const auto& [ref, ivs] : tombstones.all()) {
    for (const Interval& iv : ivs) {
      PutUvarint(&records, ref);
      PutVarint(&records, iv.min_time);
      PutVarint(&records, iv.max_time);
    }
  }
  std::string out;
  PutBE32(&out, kMagic);
  out.push_back(1);
  out += records;
  PutBE32(&out, Crc32c(records));
  return WriteFileAtomically(env, JoinPath(dir, kFilename), out);
}

}  // namespace argus::tsdb::tombstones
