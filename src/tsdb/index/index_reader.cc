#include "tsdb/index/index_reader.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/crc32c.h"
#include "base/status.h"

namespace argus::tsdb::index {

absl::StatusOr<std::unique_ptr<IndexReader>> IndexReader::Open(Env* env, const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<MappedFile> file, env->MapFile(path));
  auto reader = std::unique_ptr<IndexReader>(new IndexReader(std::move(file)));
  RETURN_IF_ERROR(reader->Load());
  return reader;
}

absl::Status IndexReader::Corrupt(absl::string_view what, uint64_t offset) const {
  return absl::DataLossError(absl::StrCat(path(), ": ", what, " at offset ", offset));
}

absl::StatusOr<absl::string_view> IndexReader::Section(uint64_t offset,
                                                       absl::string_view what) const {
  absl::string_view d = file_->data();
  if (offset > d.size() || d.size() - offset < 4)
    return Corrupt(absl::StrCat(what, " out of range"), offset);
  const uint32_t len = LoadBE32(d.data() + offset);
  if (d.size() - offset - 4 < static_cast<uint64_t>(len) + 4) {
    return Corrupt(absl::StrCat(what, " runs past the end of the file"), offset);
  }
  absl::string_view data = d.substr(offset + 4, len);
  if (Crc32c(data) != LoadBE32(d.data() + offset + 4 + len)) {
    return Corrupt(absl::StrCat(what, " checksum mismatch"), offset);
  }
  return data;
}

absl::Status IndexReader::Load() {
  absl::string_view d = file_->data();
  if (d.size() < 5 + kTocSize || LoadBE32(d.data()) != kMagic) {
    return Corrupt("invalid index magic", 0);
  }
  if (static_cast<uint8_t>(d[4]) != kFormatV2) {
    return absl::DataLossError(absl::StrCat(path(), ": unsupported index version ",
                                            static_cast<int>(static_cast<uint8_t>(d[4]))));
  }
  const uint64_t toc_off = d.size() - kTocSize;
  absl::string_view toc = d.substr(toc_off, kTocSize - 4);
  if (Crc32c(toc) != LoadBE32(d.data() + d.size() - 4))
    return Corrupt("TOC checksum mismatch", toc_off);
  Decoder t(toc);
  const uint64_t symbols_off = t.BE64();
  t.BE64();  // series
  t.BE64();  // label indices (legacy)
  t.BE64();  // label indices table (legacy)
  t.BE64();  // postings
  const uint64_t postings_table_off = t.BE64();

  ASSIGN_OR_RETURN(absl::string_view symbols, Section(symbols_off, "symbol table"));
  Decoder s(symbols);
  const uint32_t n = s.BE32();
  // Every symbol takes at least one byte: a count beyond that is corrupt, not a reservation.
  symbol_offsets_.reserve(std::min<size_t>(n, s.remaining()));
  for (uint32_t i = 0; i < n && s.ok(); ++i) {
    symbol_offsets_.push_back(static_cast<uint32_t>(symbols_off + 4 + s.position()));
    s.UvarintBytes();
  }
  if (!s.ok()) return Corrupt("truncated symbol table", symbols_off);

  ASSIGN_OR_RETURN(absl::string_view table, Section(postings_table_off, "postings offset table"));
  Decoder p(table);
  const uint32_t entries = p.BE32();
  for (uint32_t i = 0; i < entries && p.ok(); ++i) {
    if (p.Uvarint() != 2)
      return Corrupt("postings offset table entry without 2 keys", postings_table_off);
    absl::string_view name = p.UvarintBytes();
    absl::string_view value = p.UvarintBytes();
    const uint64_t off = p.Uvarint();
    if (!p.ok()) break;
    postings_table_[std::string(name)].emplace_back(value, off);
  }
  if (!p.ok()) return Corrupt("truncated postings offset table", postings_table_off);
  return absl::OkStatus();
}

absl::StatusOr<absl::string_view> IndexReader::Symbol(uint32_t i) const {
  if (i >= symbol_offsets_.size()) {
    return absl::DataLossError(absl::StrCat(path(), ": unknown symbol ", i));
  }
  Decoder d(file_->data().substr(symbol_offsets_[i]));
  absl::string_view sym = d.UvarintBytes();
  RETURN_IF_ERROR(d.status(absl::StrCat(path(), ": symbol ", i)));
  return sym;
}

absl::StatusOr<SeriesEntry> IndexReader::Series(uint64_t ref) const {
  const uint64_t off = ref * 16;
  absl::string_view d = file_->data();
  if (off >= d.size()) return Corrupt("series reference out of range", off);
  Decoder outer(d.substr(off));
  const uint64_t len = outer.Uvarint();
  absl::string_view body = outer.Bytes(len);
  const uint32_t crc = outer.BE32();
  if (!outer.ok()) return Corrupt("truncated series entry", off);
  if (Crc32c(body) != crc) return Corrupt("series entry checksum mismatch", off);

  Decoder b(body);
  SeriesEntry e;
  const uint64_t nlabels = b.Uvarint();
  std::vector<labels::Label> ls;
  for (uint64_t i = 0; i < nlabels && b.ok(); ++i) {
    const uint64_t name = b.Uvarint();
    const uint64_t value = b.Uvarint();
    if (!b.ok()) break;
    ASSIGN_OR_RETURN(absl::string_view n, Symbol(static_cast<uint32_t>(name)));
    ASSIGN_OR_RETURN(absl::string_view v, Symbol(static_cast<uint32_t>(value)));
    ls.push_back({std::string(n), std::string(v)});
  }
  e.labels = labels::Labels::FromSorted(std::move(ls));
  const uint64_t nchunks = b.Uvarint();
  if (nchunks > body.size()) return Corrupt("implausible chunk count in series entry", off);
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
  if (!b.ok()) return Corrupt("truncated series entry", off);
  return e;
}

absl::StatusOr<std::vector<uint64_t>> IndexReader::Postings(absl::string_view name,
                                                            absl::string_view value) const {
  std::vector<uint64_t> out;
  auto it = postings_table_.find(name);
  if (it == postings_table_.end()) return out;
  const auto& values = it->second;
  auto v = std::lower_bound(values.begin(), values.end(), value,
                            [](const auto& e, absl::string_view x) { return e.first < x; });
  if (v == values.end() || v->first != value) return out;
  ASSIGN_OR_RETURN(absl::string_view list, Section(v->second, "postings list"));
  Decoder d(list);
  const uint32_t n = d.BE32();
  if (static_cast<uint64_t>(n) * 4 != d.remaining())
    return Corrupt("postings list length mismatch", v->second);
  out.reserve(n);
  for (uint32_t i = 0; i < n; ++i) out.push_back(d.BE32());
  return out;
}

std::vector<std::string> IndexReader::LabelNames() const {
  std::vector<std::string> out;
  for (const auto& [name, values] : postings_table_) {
    if (!name.empty()) out.push_back(name);
  }
  return out;
}

std::vector<std::string> IndexReader::LabelValues(absl::string_view name) const {
  std::vector<std::string> out;
  auto it = postings_table_.find(name);
  if (it == postings_table_.end()) return out;
  for (const auto& [value, off] : it->second) out.emplace_back(value);
  return out;
}

}  // namespace argus::tsdb::index
