#include "tsdb/wlog/segment.h"

#include <algorithm>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/coding.h"
#include "base/status.h"

namespace argus::tsdb::wlog {
namespace {

constexpr char kCorruptionPayloadUrl[] = "type.argus.dev/argus.tsdb.wlog.CorruptionInfo";

}  // namespace

std::optional<int> ParseIndex(absl::string_view name) {
  if (name.empty()) return std::nullopt;
  int64_t v = 0;
  for (char c : name) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + (c - '0');
    if (v > INT32_MAX) return std::nullopt;
  }
  return static_cast<int>(v);
}

std::string SegmentFileName(int index) { return absl::StrFormat("%08d", index); }

std::string SegmentPath(absl::string_view dir, int index) {
  return JoinPath(dir, SegmentFileName(index));
}

absl::StatusOr<std::vector<SegmentRef>> ListSegments(Env* env, const std::string& dir) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, env->ListDir(dir));
  std::vector<SegmentRef> refs;
  for (std::string& name : names) {
    std::optional<int> index = ParseIndex(name);
    if (index.has_value()) refs.push_back({std::move(name), *index});
  }
  std::sort(refs.begin(), refs.end(),
            [](const SegmentRef& a, const SegmentRef& b) { return a.index < b.index; });
  for (size_t i = 1; i < refs.size(); ++i) {
    if (refs[i - 1].index + 1 != refs[i].index) {
      return absl::DataLossError(absl::StrCat("segments in ", dir, " are not sequential: ",
                                              refs[i - 1].name, " is followed by ", refs[i].name));
    }
  }
  return refs;
}

absl::StatusOr<SegmentRange> Segments(Env* env, const std::string& dir) {
  ASSIGN_OR_RETURN(std::vector<SegmentRef> refs, ListSegments(env, dir));
  SegmentRange r{dir, -1, -1};
  if (!refs.empty()) {
    r.first = refs.front().index;
    r.last = refs.back().index;
  }
  return r;
}

absl::Status CorruptionError(const CorruptionInfo& info) {
  absl::Status s = absl::DataLossError(absl::StrCat("corruption in segment ",
                                                    SegmentPath(info.dir, info.segment), " at ",
                                                    info.offset, ": ", info.reason));
  std::string payload;
  PutVarint(&payload, info.segment);
  PutVarint(&payload, info.offset);
  PutUvarint(&payload, info.dir.size());
  payload += info.dir;
  payload += info.reason;
  s.SetPayload(kCorruptionPayloadUrl, absl::Cord(payload));
  return s;
}

std::optional<CorruptionInfo> GetCorruption(const absl::Status& status) {
  absl::optional<absl::Cord> payload = status.GetPayload(kCorruptionPayloadUrl);
  if (!payload.has_value()) return std::nullopt;
  const std::string bytes(*payload);
  Decoder d(bytes);
  CorruptionInfo info;
  info.segment = static_cast<int>(d.Varint());
  info.offset = d.Varint();
  info.dir = std::string(d.UvarintBytes());
  if (!d.ok()) return std::nullopt;
  info.reason = std::string(d.Bytes(d.remaining()));
  return info;
}

}  // namespace argus::tsdb::wlog
