// Sequential reader of WAL records across a list of segment ranges (Prometheus v2.42's
// wlog.Reader over NewSegmentsRangeReader). Fragments are checked (CRC32C, sequence, zero
// padding) and joined, snappy-compressed records decoded. Segments are memory-mapped; a segment
// whose size is not a page multiple (a crash) reads as if zero-padded.
//
// Differences from Prometheus, all on input its writer never produces: a fragment must not
// cross a page (its LiveReader's rule), a record must end in the segment it started in, the
// header bits 4-7 must be zero, all fragments of a record agree on the snappy flag, and middle
// and last fragments are not empty (so a last fragment torn after its type byte is caught).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "base/env.h"
#include "tsdb/wlog/segment.h"

namespace argus::tsdb::wlog {

// Not thread-safe. Typical use:
//
//   ASSIGN_OR_RETURN(auto r, NewSegmentsReader(env, dir));
//   while (r->Next()) Use(r->record());
//   if (!r->status().ok()) ... r->corruption() says where, for Repair.
class Reader {
 public:
  // Lists the segments of each range (in order; -1 bounds are open) and reads them one after
  // the other. Errors: those of ListSegments (a missing dir, a gap).
  static absl::StatusOr<std::unique_ptr<Reader>> Open(Env* env,
                                                      absl::Span<const SegmentRange> ranges);
  ~Reader();

  // Advances to the next record. False at the end or on error; then status() tells which.
  bool Next();
  // The current record, valid until the next call to Next or the reader's destruction.
  absl::string_view record() const { return record_; }
  // OK, CorruptionError (DataLoss with a CorruptionInfo payload) for bad data, or an Env
  // error (a segment that vanished or failed to map).
  const absl::Status& status() const { return status_; }
  // Where the data went bad, when it did.
  const std::optional<CorruptionInfo>& corruption() const { return corruption_; }

  // The directory and index of the segment holding the current record (-1 before the first),
  // and the offset just past the record in it: a caller that fails to decode the record
  // reports CorruptionInfo{segment_dir(), segment(), offset(), ...}, and Repair then drops
  // this record and everything after it.
  const std::string& segment_dir() const { return segment_dir_; }
  int segment() const { return segment_index_; }
  int64_t offset() const { return offset_; }

  uint64_t records_read() const { return records_read_; }
  uint64_t segments_read() const { return segments_read_; }

 private:
  struct Seg {
    std::string dir;
    int index;
  };

  Reader(Env* env, std::vector<Seg> segs);
  // Moves to the first page of the next non-empty segment. False when there is none or on error.
  bool OpenNextSegment();
  void LoadPage();
  bool Finish(absl::string_view payload, bool compressed);
  bool Corrupt(std::string reason);
  int64_t Position() const { return static_cast<int64_t>(page_index_ * kPageSize + page_pos_); }

  Env* const env_;
  const std::vector<Seg> segs_;
  size_t next_seg_ = 0;
  std::unique_ptr<MappedFile> map_;
  absl::string_view data_;  // the mapped bytes of the current segment
  size_t num_pages_ = 0;    // pages of the current segment, the last one maybe short
  size_t page_index_ = 0;
  size_t page_pos_ = kPageSize;  // position in the current page; kPageSize when exhausted
  const char* page_ = nullptr;
  std::unique_ptr<char[]> tail_;  // a short last page, zero-padded

  std::string fragments_;  // payloads of a multi-fragment record
  std::unique_ptr<char[]> decoded_;
  size_t decoded_cap_ = 0;
  absl::string_view record_;

  std::string segment_dir_;
  int segment_index_ = -1;
  int64_t offset_ = 0;
  bool done_ = false;
  absl::Status status_;
  std::optional<CorruptionInfo> corruption_;
  uint64_t records_read_ = 0;
  uint64_t segments_read_ = 0;
};

// A reader over segments first..last of `dir` (-1: open end).
absl::StatusOr<std::unique_ptr<Reader>> NewSegmentsRangeReader(Env* env, const std::string& dir,
                                                               int first, int last);
// A reader over every segment of `dir`.
absl::StatusOr<std::unique_ptr<Reader>> NewSegmentsReader(Env* env, const std::string& dir);

}  // namespace argus::tsdb::wlog
