#include "tsdb/wlog/repair.h"

#include "absl/strings/str_cat.h"
#include "base/logging.h"
#include "base/status.h"
#include "tsdb/wlog/reader.h"

namespace argus::tsdb::wlog {
namespace {

absl::string_view StripSlash(absl::string_view p) {
  while (p.size() > 1 && p.back() == '/') p.remove_suffix(1);
  return p;
}

}  // namespace

absl::Status Repair(Env* env, const std::string& dir, const CorruptionInfo& corruption) {
  if (corruption.segment < 0) {
    return absl::InvalidArgumentError("corruption error does not specify a segment");
  }
  if (!corruption.dir.empty() && StripSlash(corruption.dir) != StripSlash(dir)) {
    return absl::InvalidArgumentError(absl::StrCat("corruption in ", corruption.dir,
                                                   " cannot be repaired in WAL directory ", dir));
  }
  log::Warn("Starting corruption repair", {{"dir", dir},
                                           {"segment", corruption.segment},
                                           {"offset", corruption.offset},
                                           {"err", corruption.reason}});

  // No record reaches from one segment into the next, so later segments are simply dropped.
  ASSIGN_OR_RETURN(std::vector<SegmentRef> segs, ListSegments(env, dir));
  bool found = false;
  for (const SegmentRef& s : segs) {
    if (s.index == corruption.segment) found = true;
    if (s.index <= corruption.segment) continue;
    log::Warn("Deleting segment newer than corrupted segment",
              {{"segment", s.index}, {"corrupted", corruption.segment}});
    RETURN_IF_ERROR(env->RemoveFile(JoinPath(dir, s.name)));
  }
  const std::string path = SegmentPath(dir, corruption.segment);
  if (!found) return absl::NotFoundError(absl::StrCat("corrupted segment ", path, " not found"));

  // The end of the last record wholly before the corruption.
  int64_t keep = 0;
  uint64_t records = 0;
  {
    ASSIGN_OR_RETURN(std::unique_ptr<Reader> r,
                     NewSegmentsRangeReader(env, dir, corruption.segment, corruption.segment));
    while (r->Next() && r->offset() < corruption.offset) {
      keep = r->offset();
      ++records;
    }
    // The read error expected here is the corruption itself.
  }
  ASSIGN_OR_RETURN(uint64_t size, env->FileSize(path));
  log::Warn("Rewrite corrupted segment", {{"segment", corruption.segment},
                                          {"records_kept", records},
                                          {"truncate_at", keep},
                                          {"size", size}});
  const uint64_t cut = static_cast<uint64_t>(keep);
  RETURN_IF_ERROR(env->Truncate(path, cut));
  // Zero-pad the last page so the segment is whole again.
  const uint64_t pad = (kPageSize - cut % kPageSize) % kPageSize;
  ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> f, env->NewAppendableFile(path));
  if (pad > 0) RETURN_IF_ERROR(f->Append(std::string(pad, '\0')));
  RETURN_IF_ERROR(f->Sync());
  RETURN_IF_ERROR(f->Close());
  return env->SyncDir(dir);
}

}  // namespace argus::tsdb::wlog
