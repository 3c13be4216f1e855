// Decoders for the pieces of a v2 index file (docs/format/index.md), over byte spans that may
// come from a memory-mapped file or from ranged reads of an object: the TOC, CRC-framed
// sections, the symbol table, the postings offset table, postings lists and series entries.
// Errors are DataLoss with a message naming the piece, without a file name or offset: callers
// add where the bytes came from.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "model/labels/labels.h"
#include "tsdb/index/postings.h"

namespace argus::tsdb::index {

inline constexpr uint32_t kMagic = 0xBAAAD700;
inline constexpr uint8_t kFormatV2 = 2;
inline constexpr size_t kTocSize = 6 * 8 + 4;

// Where a chunk of a series is and what time range it covers (both ends inclusive).
struct ChunkMeta {
  int64_t min_time = 0;
  int64_t max_time = 0;
  uint64_t ref = 0;
  friend bool operator==(const ChunkMeta&, const ChunkMeta&) = default;
};

struct SeriesEntry {
  labels::Labels labels;
  std::vector<ChunkMeta> chunks;
};

// The index's table of contents (section offsets, absolute in the file; 0 = absent).
struct Toc {
  uint64_t symbols = 0;
  uint64_t series = 0;
  uint64_t label_indices = 0;
  uint64_t label_offset_table = 0;
  uint64_t postings = 0;
  uint64_t postings_offset_table = 0;
};

// Decodes the last kTocSize bytes of an index. Errors: DataLoss for a wrong size or CRC.
absl::StatusOr<Toc> DecodeToc(absl::string_view toc);

// The body of a section framed as be32 len | body | CRC32C starting at the front of `from`
// (which may run on past the section), CRC checked. `what` names the section in errors.
absl::StatusOr<absl::string_view> DecodeSection(absl::string_view from, absl::string_view what);

// Bytes the section starting at the front of `from` takes, framing included, or nullopt when
// `from` is too short to hold its length.
std::optional<uint64_t> SectionSize(absl::string_view from);

// Offsets (relative to the start of `body`) of symbols 0, stride, 2*stride, ... of a symbol
// table section body, and the symbol count. REQUIRES: stride > 0.
struct SymbolSamples {
  uint32_t count = 0;
  std::vector<uint32_t> offsets;
};
absl::StatusOr<SymbolSamples> DecodeSymbolTable(absl::string_view body, uint32_t stride);

// Calls `fn(name, value, postings_offset, entry_position)` for every entry of a postings
// offset table section body, in order; entry_position is relative to `body`.
using PostingsOffsetFn = std::function<void(absl::string_view name, absl::string_view value,
                                            uint64_t offset, uint64_t entry_position)>;
absl::Status ForEachPostingsOffset(absl::string_view body, const PostingsOffsetFn& fn);

// One entry of a postings offset table read at `*d` (entry count already consumed): false when
// the bytes are malformed. Shared by the table scan and by readers that resume mid-table.
struct PostingsOffsetEntry {
  absl::string_view name, value;
  uint64_t offset = 0;
};
std::optional<PostingsOffsetEntry> DecodePostingsOffsetEntry(absl::string_view* rest);

// The series refs of a postings list section body. Errors: DataLoss on a length mismatch.
absl::StatusOr<PostingsList> DecodePostings(absl::string_view body);

// Bytes the series entry starting at the front of `from` takes (uvarint length, body, CRC), or
// nullopt when `from` is too short to hold its length.
std::optional<uint64_t> SeriesEntrySize(absl::string_view from);

// Symbol number `i` of the index the entry belongs to.
using SymbolFn = std::function<absl::StatusOr<absl::string_view>(uint32_t i)>;

// Decodes the series entry at the front of `from`, CRC checked, resolving symbols with
// `symbol`. Errors: DataLoss for truncation, a CRC mismatch or implausible counts; those of
// `symbol`.
absl::StatusOr<SeriesEntry> DecodeSeriesEntry(absl::string_view from, const SymbolFn& symbol);

}  // namespace argus::tsdb::index
