#include "tsdb/wlog/reader.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/coding.h"
#include "base/crc32c.h"
#include "base/status.h"
#include "snappy.h"

namespace argus::tsdb::wlog {
namespace {

bool AllZero(const char* p, size_t n) {
  static const char kZeros[kPageSize] = {};
  return std::memcmp(p, kZeros, n) == 0;
}

// Tells the kernel the mapping is read once, front to back (bigger readahead). Only a hint:
// the Env seam may hand out memory that is not an mmap, so failures are ignored.
void AdviseSequential(absl::string_view data) {
  static const uintptr_t kOsPage = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
  const uintptr_t addr = reinterpret_cast<uintptr_t>(data.data());
  if (data.empty() || addr % kOsPage != 0) return;
  void* p = const_cast<char*>(data.data());
  (void)::madvise(p, data.size(), MADV_SEQUENTIAL);
  (void)::madvise(p, data.size(), MADV_WILLNEED);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Reader>> Reader::Open(Env* env,
                                                     absl::Span<const SegmentRange> ranges) {
  std::vector<Seg> segs;
  for (const SegmentRange& r : ranges) {
    absl::StatusOr<std::vector<SegmentRef>> refs = ListSegments(env, r.dir);
    if (!refs.ok()) return Annotate(refs.status(), absl::StrCat("list segments in ", r.dir));
    for (const SegmentRef& ref : *refs) {
      if (r.first >= 0 && ref.index < r.first) continue;
      if (r.last >= 0 && ref.index > r.last) break;
      segs.push_back({r.dir, ref.index});
    }
  }
  return std::unique_ptr<Reader>(new Reader(env, std::move(segs)));
}

Reader::Reader(Env* env, std::vector<Seg> segs) : env_(env), segs_(std::move(segs)) {}

Reader::~Reader() = default;

bool Reader::OpenNextSegment() {
  while (next_seg_ < segs_.size()) {
    const Seg& seg = segs_[next_seg_++];
    map_.reset();
    data_ = {};
    num_pages_ = 0;
    absl::StatusOr<std::unique_ptr<MappedFile>> m = env_->MapFile(SegmentPath(seg.dir, seg.index));
    if (!m.ok()) {
      status_ = Annotate(m.status(), "open segment");
      done_ = true;
      return false;
    }
    map_ = *std::move(m);
    data_ = map_->data();
    segment_dir_ = seg.dir;
    segment_index_ = seg.index;
    ++segments_read_;
    num_pages_ = (data_.size() + kPageSize - 1) / kPageSize;
    if (num_pages_ == 0) continue;
    AdviseSequential(data_);
    page_index_ = 0;
    page_pos_ = 0;
    LoadPage();
    return true;
  }
  done_ = true;
  return false;
}

void Reader::LoadPage() {
  const size_t start = page_index_ * kPageSize;
  if (data_.size() - start >= kPageSize) {
    page_ = data_.data() + start;
    return;
  }
  // A short last page (torn write): the missing bytes read as zeros.
  if (tail_ == nullptr) tail_.reset(new char[kPageSize]);
  const size_t n = data_.size() - start;
  std::memcpy(tail_.get(), data_.data() + start, n);
  std::memset(tail_.get() + n, 0, kPageSize - n);
  page_ = tail_.get();
}

bool Reader::Corrupt(std::string reason) {
  CorruptionInfo info{segment_dir_, segment_index_, Position(), std::move(reason)};
  status_ = CorruptionError(info);
  corruption_ = std::move(info);
  done_ = true;
  record_ = {};
  return false;
}

bool Reader::Next() {
  if (done_) return false;
  fragments_.clear();
  int fragments = 0;  // of the record being assembled
  bool compressed = false;
  while (true) {
    if (page_pos_ == kPageSize) {
      if (page_index_ + 1 < num_pages_) {
        ++page_index_;
        page_pos_ = 0;
        LoadPage();
      } else {
        // Records never cross segments; one still open at the end of a segment is torn.
        if (fragments > 0) return Corrupt("last record is torn");
        if (!OpenNextSegment()) return false;
      }
    }
    const uint8_t header = static_cast<uint8_t>(page_[page_pos_]);
    const uint8_t type = header & kFragTypeMask;
    if (type == kFragPageTerm) {
      // The rest of the page must be zeros.
      const size_t rest = kPageSize - page_pos_ - 1;
      const bool zeros = AllZero(page_ + page_pos_ + 1, rest);
      page_pos_ = kPageSize;
      if (!zeros) return Corrupt("unexpected non-zero byte in padded page");
      continue;
    }
    if (kPageSize - page_pos_ < kHeaderSize) {
      page_pos_ = kPageSize;
      return Corrupt("fragment header crosses a page boundary");
    }
    const char* h = page_ + page_pos_;
    const size_t length = LoadBE16(h + 1);
    const uint32_t crc = LoadBE32(h + 3);
    page_pos_ += kHeaderSize;
    if (length > kMaxFragmentPayload) return Corrupt(absl::StrCat("invalid record size ", length));
    if (length > kPageSize - page_pos_) {
      return Corrupt(absl::StrCat("record would overflow current page: ", page_pos_ + length, " > ",
                                  kPageSize));
    }
    const absl::string_view payload(page_ + page_pos_, length);
    page_pos_ += length;
    if (const uint32_t got = Crc32c(payload); got != crc) {
      return Corrupt(absl::StrFormat("unexpected checksum %x, expected %x", got, crc));
    }
    switch (type) {
      case kFragFull:
        if (fragments != 0) return Corrupt("unexpected full record");
        break;
      case kFragFirst:
        if (fragments != 0) return Corrupt("unexpected first record, dropping buffer");
        break;
      case kFragMiddle:
        if (fragments == 0) return Corrupt("unexpected middle record, dropping buffer");
        if (length == 0) return Corrupt("empty middle fragment");
        break;
      case kFragLast:
        if (fragments == 0) return Corrupt("unexpected last record, dropping buffer");
        // The writer never writes an empty middle or last fragment, but a header torn right
        // after its type byte reads as one (zero length, zero CRC): without this check a torn
        // last fragment would pass as a shorter record.
        if (length == 0) return Corrupt("empty last fragment");
        break;
      default:
        return Corrupt(absl::StrCat("unexpected record type ", type));
    }
    if ((header & ~(kFragTypeMask | kSnappyFlag)) != 0) {
      return Corrupt(absl::StrFormat("unknown flags in fragment header 0x%02x", header));
    }
    const bool frag_compressed = (header & kSnappyFlag) != 0;
    if (fragments > 0 && frag_compressed != compressed) {
      return Corrupt("fragments of one record disagree on compression");
    }
    compressed = frag_compressed;
    if (type == kFragFull) return Finish(payload, compressed);
    fragments_.append(payload.data(), payload.size());
    ++fragments;
    if (type == kFragLast) return Finish(fragments_, compressed);
  }
}

bool Reader::Finish(absl::string_view payload, bool compressed) {
  offset_ = Position();
  if (!compressed || payload.empty()) {
    record_ = payload;
  } else {
    size_t n = 0;
    // A snappy element expands at most ~21x (a 3-byte copy of 64 bytes); a larger claimed
    // length is corruption, and must not become an allocation.
    if (!snappy::GetUncompressedLength(payload.data(), payload.size(), &n) ||
        n > payload.size() * 24 + 64) {
      return Corrupt("snappy: corrupt input");
    }
    if (n > decoded_cap_) {
      decoded_cap_ = std::max(n, 2 * decoded_cap_);
      decoded_.reset(new char[decoded_cap_]);
    }
    if (!snappy::RawUncompress(payload.data(), payload.size(), decoded_.get())) {
      return Corrupt("snappy: corrupt input");
    }
    record_ = absl::string_view(decoded_.get(), n);
  }
  ++records_read_;
  return true;
}

absl::StatusOr<std::unique_ptr<Reader>> NewSegmentsRangeReader(Env* env, const std::string& dir,
                                                               int first, int last) {
  const SegmentRange r{dir, first, last};
  return Reader::Open(env, absl::MakeConstSpan(&r, 1));
}

absl::StatusOr<std::unique_ptr<Reader>> NewSegmentsReader(Env* env, const std::string& dir) {
  return NewSegmentsRangeReader(env, dir, -1, -1);
}

}  // namespace argus::tsdb::wlog
