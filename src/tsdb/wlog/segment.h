// Segment files of a write-ahead log directory and the fragment framing inside them, as
// Prometheus v2.42 lays them out (tsdb/wlog). See docs/format/wal.md.
//
// A WAL directory holds segments named %08d with contiguous indexes, each a sequence of 32 KiB
// pages. A record is split into fragments that never cross a page:
//
//   type u8 (bits 0-2 fragment type, bit 3 snappy) | length be16 | crc32c be32 | payload
//
// Fragment types: 0 rest of page is zero padding, 1 full, 2 first, 3 middle, 4 last.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/env.h"

namespace argus::tsdb::wlog {

inline constexpr uint64_t kDefaultSegmentSize = 128ull << 20;
inline constexpr size_t kPageSize = 32 * 1024;
inline constexpr size_t kHeaderSize = 7;
// The largest payload one fragment can carry.
inline constexpr size_t kMaxFragmentPayload = kPageSize - kHeaderSize;

inline constexpr uint8_t kFragPageTerm = 0;
inline constexpr uint8_t kFragFull = 1;
inline constexpr uint8_t kFragFirst = 2;
inline constexpr uint8_t kFragMiddle = 3;
inline constexpr uint8_t kFragLast = 4;
inline constexpr uint8_t kFragTypeMask = 0x07;
inline constexpr uint8_t kSnappyFlag = 0x08;

// "00000012" for index 12.
std::string SegmentFileName(int index);
// <dir>/%08d.
std::string SegmentPath(absl::string_view dir, int index);

// The index of a segment or checkpoint name made of decimal digits only ("00000012" -> 12);
// nullopt for anything else or a value past INT32_MAX.
std::optional<int> ParseIndex(absl::string_view digits);

// One segment file found in a directory.
struct SegmentRef {
  std::string name;
  int index;
};

// The segments of `dir` (entries whose names are all digits), ordered by index. Errors: those of
// Env (NotFound for a missing dir), DataLoss naming the gap when indexes are not contiguous.
absl::StatusOr<std::vector<SegmentRef>> ListSegments(Env* env, const std::string& dir);

// A span of segments in a directory. As a read request, first/last of -1 leave that end open.
// As returned by Segments(), it holds the existing segments, both -1 when there are none.
struct SegmentRange {
  std::string dir;
  int first = -1;
  int last = -1;
};

// The first and last segment index of `dir`. Errors: as ListSegments.
absl::StatusOr<SegmentRange> Segments(Env* env, const std::string& dir);

// Where a WAL read failed. Records that end before `offset` in `segment` are intact
// (Prometheus's CorruptionErr); Repair keeps exactly those.
struct CorruptionInfo {
  std::string dir;
  int segment = -1;
  int64_t offset = 0;
  std::string reason;
};

// DataLoss "corruption in segment <dir>/<%08d> at <offset>: <reason>", carrying `info` as a
// payload that GetCorruption recovers (argus::Annotate drops payloads; keep the original).
absl::Status CorruptionError(const CorruptionInfo& info);
// The CorruptionInfo of a status made by CorruptionError, if any.
std::optional<CorruptionInfo> GetCorruption(const absl::Status& status);

}  // namespace argus::tsdb::wlog
