#include "tsdb/index/index_reader.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/coding.h"
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

absl::Status IndexReader::At(const absl::Status& s, uint64_t offset) const {
  if (s.code() != absl::StatusCode::kDataLoss) return s;
  return Corrupt(s.message(), offset);
}

absl::StatusOr<absl::string_view> IndexReader::Section(uint64_t offset,
                                                       absl::string_view what) const {
  absl::string_view d = file_->data();
  if (offset > d.size()) return Corrupt(absl::StrCat(what, " out of range"), offset);
  absl::StatusOr<absl::string_view> s = DecodeSection(d.substr(offset), what);
  if (!s.ok()) return At(s.status(), offset);
  return s;
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
  absl::StatusOr<Toc> toc = DecodeToc(d.substr(toc_off));
  if (!toc.ok()) return At(toc.status(), toc_off);

  ASSIGN_OR_RETURN(absl::string_view symbols, Section(toc->symbols, "symbol table"));
  absl::StatusOr<SymbolSamples> samples = DecodeSymbolTable(symbols, 1);
  if (!samples.ok()) return At(samples.status(), toc->symbols);
  symbol_offsets_ = std::move(samples->offsets);
  for (uint32_t& off : symbol_offsets_) off += static_cast<uint32_t>(toc->symbols + 4);

  ASSIGN_OR_RETURN(absl::string_view table,
                   Section(toc->postings_offset_table, "postings offset table"));
  absl::Status s = ForEachPostingsOffset(
      table, [&](absl::string_view name, absl::string_view value, uint64_t off, uint64_t) {
        postings_table_[std::string(name)].emplace_back(value, off);
      });
  return s.ok() ? s : At(s, toc->postings_offset_table);
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
  absl::StatusOr<SeriesEntry> e =
      DecodeSeriesEntry(d.substr(off), [this](uint32_t i) { return Symbol(i); });
  if (!e.ok()) return At(e.status(), off);
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
  absl::StatusOr<PostingsList> p = DecodePostings(list);
  if (!p.ok()) return At(p.status(), v->second);
  return p;
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
