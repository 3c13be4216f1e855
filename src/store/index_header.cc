#include "store/index_header.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/crc32c.h"
#include "base/logging.h"
#include "base/status.h"
#include "tsdb/index/decode.h"

namespace argus::store {
namespace {

namespace index = tsdb::index;

constexpr size_t kHeaderSize = 6;
constexpr size_t kTrailerSize = 4 * 8 + 4;

}  // namespace

absl::StatusOr<std::unique_ptr<IndexHeader>> IndexHeader::Open(Env* env, objstore::Bucket& bucket,
                                                               const std::string& index_name,
                                                               const std::string& path,
                                                               bool* rebuilt) {
  if (rebuilt != nullptr) *rebuilt = false;
  if (env->FileExists(path)) {
    absl::StatusOr<std::unique_ptr<IndexHeader>> h = OpenFile(env, path);
    if (h.ok()) return h;
    log::Warn("store: invalid index-header; rebuilding it", {{"path", path}, {"err", h.status()}});
  }
  RETURN_IF_ERROR(BuildIndexHeader(env, bucket, index_name, path));
  if (rebuilt != nullptr) *rebuilt = true;
  return OpenFile(env, path);
}

absl::StatusOr<std::unique_ptr<IndexHeader>> IndexHeader::OpenFile(Env* env,
                                                                   const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<MappedFile> file, env->MapFile(path));
  auto h = std::unique_ptr<IndexHeader>(new IndexHeader(std::move(file)));
  RETURN_IF_ERROR(h->Load());
  return h;
}

absl::Status IndexHeader::Corrupt(absl::string_view what) const {
  return absl::DataLossError(absl::StrCat(file_->path(), ": ", what));
}

absl::Status IndexHeader::Load() {
  absl::string_view d = file_->data();
  if (d.size() < kHeaderSize + kTrailerSize) return Corrupt("too small for an index-header");
  if (LoadBE32(d.data()) != kIndexHeaderMagic) return Corrupt("invalid index-header magic");
  if (static_cast<uint8_t>(d[4]) != kIndexHeaderVersion ||
      static_cast<uint8_t>(d[5]) != index::kFormatV2) {
    return Corrupt("unsupported index-header or index version");
  }
  absl::string_view trailer = d.substr(d.size() - kTrailerSize);
  if (Crc32cExtend(Crc32c(d.substr(0, kHeaderSize)), trailer.data(), kTrailerSize - 4) !=
      LoadBE32(trailer.data() + kTrailerSize - 4)) {
    return Corrupt("index-header TOC checksum mismatch");
  }
  const uint64_t symbols_off = LoadBE64(trailer.data());
  const uint64_t table_off = LoadBE64(trailer.data() + 8);
  postings_end_ = LoadBE64(trailer.data() + 16);
  index_size_ = LoadBE64(trailer.data() + 24);
  const uint64_t trailer_off = d.size() - kTrailerSize;
  if (symbols_off != kHeaderSize || table_off < symbols_off || table_off > trailer_off ||
      index::SectionSize(d.substr(symbols_off)) != table_off - symbols_off ||
      index::SectionSize(d.substr(table_off)) != trailer_off - table_off) {
    return Corrupt("index-header sections do not fill the file");
  }
  absl::StatusOr<absl::string_view> symbols =
      index::DecodeSection(d.substr(symbols_off, table_off - symbols_off), "symbol table");
  if (!symbols.ok()) return Corrupt(symbols.status().message());
  symbols_ = *symbols;
  absl::StatusOr<index::SymbolSamples> samples =
      index::DecodeSymbolTable(symbols_, kIndexHeaderSampling);
  if (!samples.ok()) return Corrupt(samples.status().message());
  num_symbols_ = samples->count;
  symbol_samples_ = std::move(samples->offsets);

  absl::StatusOr<absl::string_view> table =
      index::DecodeSection(d.substr(table_off, trailer_off - table_off), "postings offset table");
  if (!table.ok()) return Corrupt(table.status().message());
  postings_ = *table;
  std::optional<uint64_t> prev_offset;
  bool ordered = true;
  absl::Status s = index::ForEachPostingsOffset(
      postings_, [&](absl::string_view name, absl::string_view value, uint64_t off, uint64_t pos) {
        // Lists lie in table order before postings_end_: that is what gives each its length.
        ordered = ordered && (!prev_offset.has_value() || off > *prev_offset) &&
                  off < postings_end_ && (names_.empty() || names_.back().name <= name);
        prev_offset = off;
        if (names_.empty() || names_.back().name != name) names_.push_back({.name = name});
        Name& n = names_.back();
        if (n.count % kIndexHeaderSampling == 0) {
          n.samples.emplace_back(value, static_cast<uint32_t>(pos));
        }
        ++n.count;
      });
  if (!s.ok()) return Corrupt(s.message());
  if (!ordered) return Corrupt("postings offset table out of order");
  return absl::OkStatus();
}

const IndexHeader::Name* IndexHeader::Find(absl::string_view name) const {
  auto it = std::lower_bound(names_.begin(), names_.end(), name,
                             [](const Name& n, absl::string_view x) { return n.name < x; });
  return it == names_.end() || it->name != name ? nullptr : &*it;
}

absl::StatusOr<absl::string_view> IndexHeader::Symbol(uint32_t i) const {
  if (i >= num_symbols_) return Corrupt(absl::StrCat("unknown symbol ", i));
  Decoder d(symbols_.substr(symbol_samples_[i / kIndexHeaderSampling]));
  for (uint32_t k = 0; k < i % kIndexHeaderSampling; ++k) d.UvarintBytes();
  absl::string_view sym = d.UvarintBytes();
  RETURN_IF_ERROR(d.status(absl::StrCat(file_->path(), ": symbol ", i)));
  return sym;
}

std::vector<std::string> IndexHeader::LabelNames() const {
  std::vector<std::string> out;
  for (const Name& n : names_) {
    if (!n.name.empty()) out.emplace_back(n.name);
  }
  return out;
}

std::vector<std::string> IndexHeader::LabelValues(absl::string_view name) const {
  std::vector<std::string> out;
  const Name* n = Find(name);
  if (n == nullptr) return out;
  // Load checked every entry, so decoding them again succeeds.
  absl::string_view rest = postings_.substr(n->samples[0].second);
  for (uint32_t i = 0; i < n->count; ++i)
    out.emplace_back(index::DecodePostingsOffsetEntry(&rest)->value);
  return out;
}

std::optional<ByteRange> IndexHeader::PostingsRange(absl::string_view name,
                                                    absl::string_view value) const {
  const Name* n = Find(name);
  if (n == nullptr) return std::nullopt;
  // The last sample not after `value`; the entry, if any, is among the next ones.
  auto it = std::upper_bound(n->samples.begin(), n->samples.end(), value,
                             [](absl::string_view x, const auto& s) { return x < s.first; });
  if (it == n->samples.begin()) return std::nullopt;
  const size_t k = static_cast<size_t>(it - n->samples.begin()) - 1;
  absl::string_view rest = postings_.substr(n->samples[k].second);
  const uint32_t left =
      std::min<uint32_t>(kIndexHeaderSampling, n->count - k * kIndexHeaderSampling);
  for (uint32_t i = 0; i < left; ++i) {
    const index::PostingsOffsetEntry e = *index::DecodePostingsOffsetEntry(&rest);
    if (e.value < value) continue;
    if (e.value != value) return std::nullopt;
    // The list ends where the next one (in table order, across names) starts.
    const std::optional<index::PostingsOffsetEntry> next = index::DecodePostingsOffsetEntry(&rest);
    const uint64_t end = next.has_value() ? next->offset : postings_end_;
    return ByteRange{e.offset, end - e.offset};
  }
  return std::nullopt;
}

size_t IndexHeader::HeapBytes() const {
  size_t n = sizeof(*this) + symbol_samples_.capacity() * sizeof(uint32_t) +
             names_.capacity() * sizeof(Name);
  for (const Name& name : names_) n += name.samples.capacity() * sizeof(name.samples[0]);
  return n;
}

}  // namespace argus::store
