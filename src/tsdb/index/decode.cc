#include "tsdb/index/decode.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/crc32c.h"
#include "base/status.h"

namespace argus::tsdb::index {

absl::StatusOr<Toc> DecodeToc(absl::string_view toc) {
  if (toc.size() != kTocSize) return absl::DataLossError("TOC too short");
  if (Crc32c(toc.substr(0, kTocSize - 4)) != LoadBE32(toc.data() + kTocSize - 4)) {
    return absl::DataLossError("TOC checksum mismatch");
  }
  Decoder t(toc);
  Toc out;
  out.symbols = t.BE64();
  out.series = t.BE64();
  out.label_indices = t.BE64();
  out.label_offset_table = t.BE64();
  out.postings = t.BE64();
  out.postings_offset_table = t.BE64();
  return out;
}

std::optional<uint64_t> SectionSize(absl::string_view from) {
  if (from.size() < 4) return std::nullopt;
  return uint64_t{LoadBE32(from.data())} + 8;
}

absl::StatusOr<absl::string_view> DecodeSection(absl::string_view from, absl::string_view what) {
  const std::optional<uint64_t> size = SectionSize(from);
  if (!size.has_value()) return absl::DataLossError(absl::StrCat(what, " out of range"));
  if (from.size() < *size) {
    return absl::DataLossError(absl::StrCat(what, " runs past the end of the file"));
  }
  absl::string_view data = from.substr(4, *size - 8);
  if (Crc32c(data) != LoadBE32(from.data() + *size - 4)) {
    return absl::DataLossError(absl::StrCat(what, " checksum mismatch"));
  }
  return data;
}

absl::StatusOr<SymbolSamples> DecodeSymbolTable(absl::string_view body, uint32_t stride) {
  Decoder s(body);
  SymbolSamples out;
  out.count = s.BE32();
  // Every symbol takes at least one byte: a count beyond that is corrupt, not a reservation.
  out.offsets.reserve(std::min<size_t>(out.count, s.remaining()) / stride + 1);
  for (uint32_t i = 0; i < out.count && s.ok(); ++i) {
    if (i % stride == 0) out.offsets.push_back(static_cast<uint32_t>(s.position()));
    s.UvarintBytes();
  }
  if (!s.ok()) return absl::DataLossError("truncated symbol table");
  return out;
}

std::optional<PostingsOffsetEntry> DecodePostingsOffsetEntry(absl::string_view* rest) {
  Decoder p(*rest);
  if (p.Uvarint() != 2) return std::nullopt;
  PostingsOffsetEntry e;
  e.name = p.UvarintBytes();
  e.value = p.UvarintBytes();
  e.offset = p.Uvarint();
  if (!p.ok()) return std::nullopt;
  rest->remove_prefix(p.position());
  return e;
}

absl::Status ForEachPostingsOffset(absl::string_view body, const PostingsOffsetFn& fn) {
  Decoder p(body);
  const uint32_t entries = p.BE32();
  if (!p.ok()) return absl::DataLossError("truncated postings offset table");
  absl::string_view rest = body.substr(4);
  for (uint32_t i = 0; i < entries; ++i) {
    const uint64_t pos = body.size() - rest.size();
    if (rest.empty() || static_cast<uint8_t>(rest[0]) != 2) {
      return absl::DataLossError(rest.empty() ? "truncated postings offset table"
                                              : "postings offset table entry without 2 keys");
    }
    std::optional<PostingsOffsetEntry> e = DecodePostingsOffsetEntry(&rest);
    if (!e.has_value()) return absl::DataLossError("truncated postings offset table");
    fn(e->name, e->value, e->offset, pos);
  }
  return absl::OkStatus();
}

absl::StatusOr<PostingsList> DecodePostings(absl::string_view body) {
  Decoder d(body);
  const uint32_t n = d.BE32();
  if (!d.ok() || static_cast<uint64_t>(n) * 4 != d.remaining()) {
    return absl::DataLossError("postings list length mismatch");
  }
  PostingsList out;
  out.reserve(n);
  for (uint32_t i = 0; i < n; ++i) out.push_back(d.BE32());
  return out;
}

std::optional<uint64_t> SeriesEntrySize(absl::string_view from) {
  Decoder d(from.substr(0, std::min<size_t>(from.size(), 10)));
  const uint64_t len = d.Uvarint();
  if (!d.ok() || len > (uint64_t{1} << 40)) return std::nullopt;
  return d.position() + len + 4;
}

absl::StatusOr<SeriesEntry> DecodeSeriesEntry(absl::string_view from, const SymbolFn& symbol) {
  Decoder outer(from);
  const uint64_t len = outer.Uvarint();
  absl::string_view body = outer.Bytes(len);
  const uint32_t crc = outer.BE32();
  if (!outer.ok()) return absl::DataLossError("truncated series entry");
  if (Crc32c(body) != crc) return absl::DataLossError("series entry checksum mismatch");

  Decoder b(body);
  SeriesEntry e;
  const uint64_t nlabels = b.Uvarint();
  std::vector<labels::Label> ls;
  for (uint64_t i = 0; i < nlabels && b.ok(); ++i) {
    const uint64_t name = b.Uvarint();
    const uint64_t value = b.Uvarint();
    if (!b.ok()) break;
    ASSIGN_OR_RETURN(absl::string_view n, symbol(static_cast<uint32_t>(name)));
    ASSIGN_OR_RETURN(absl::string_view v, symbol(static_cast<uint32_t>(value)));
    ls.push_back({std::string(n), std::string(v)});
  }
  e.labels = labels::Labels::FromSorted(std::move(ls));
  const uint64_t nchunks = b.Uvarint();
  if (nchunks > body.size()) return absl::DataLossError("implausible chunk count in series entry");
  e.chunks.reserve(nchunks);
  int64_t prev_max = 0;
  uint64_t prev_ref = 0;
  for (uint64_t i = 0; i < nchunks && b.ok(); ++i) {
    ChunkMeta c;
    // Deltas as the v2.42 writer stores them; unsigned arithmetic matches Go's wrapping.
    if (i == 0) {
      c.min_time = b.Varint();
      c.max_time = static_cast<int64_t>(static_cast<uint64_t>(c.min_time) + b.Uvarint());
      c.ref = b.Uvarint();
    } else {
      c.min_time = static_cast<int64_t>(static_cast<uint64_t>(prev_max) + b.Uvarint());
      c.max_time = static_cast<int64_t>(static_cast<uint64_t>(c.min_time) + b.Uvarint());
      c.ref = prev_ref + static_cast<uint64_t>(b.Varint());
    }
    prev_max = c.max_time;
    prev_ref = c.ref;
    e.chunks.push_back(c);
  }
  if (!b.ok()) return absl::DataLossError("truncated series entry");
  return e;
}

}  // namespace argus::tsdb::index
