#include "tsdb/index/index_writer.h"

#include "absl/strings/str_cat.h"
#include "base/coding.h"
#include "base/crc32c.h"
#include "base/status.h"

namespace argus::tsdb::index {
namespace {

void PutUvarintStr(std::string* dst, absl::string_view s) {
  PutUvarint(dst, s.size());
  dst->append(s.data(), s.size());
}

}  // namespace

absl::StatusOr<std::unique_ptr<IndexWriter>> IndexWriter::Create(Env* env,
                                                                 const std::string& path) {
  ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> f, env->NewWritableFile(path));
  auto w = std::unique_ptr<IndexWriter>(new IndexWriter(std::move(f)));
  std::string header;
  PutBE32(&header, kMagic);
  header.push_back(static_cast<char>(kFormatV2));
  RETURN_IF_ERROR(w->Write(header));
  return w;
}

absl::Status IndexWriter::Write(absl::string_view data) {
  pos_ += data.size();
  return file_->Append(data);
}

absl::Status IndexWriter::Pad(size_t alignment) {
  const size_t pad = (alignment - pos_ % alignment) % alignment;
  return pad == 0 ? absl::OkStatus() : Write(std::string(pad, '\0'));
}

absl::Status IndexWriter::WriteSection(absl::string_view data) {
  std::string head, tail;
  PutBE32(&head, static_cast<uint32_t>(data.size()));
  PutBE32(&tail, Crc32c(data));
  RETURN_IF_ERROR(Write(head));
  RETURN_IF_ERROR(Write(data));
  return Write(tail);
}

absl::Status IndexWriter::AddSymbols(const std::vector<std::string>& sorted_symbols) {
  if (have_symbols_) return absl::FailedPreconditionError("index symbols added twice");
  have_symbols_ = true;
  toc_[0] = pos_;
  std::string body;
  PutBE32(&body, static_cast<uint32_t>(sorted_symbols.size()));
  for (size_t i = 0; i < sorted_symbols.size(); ++i) {
    if (i > 0 && sorted_symbols[i] <= sorted_symbols[i - 1]) {
      return absl::InvalidArgumentError(
          absl::StrCat("index symbol \"", sorted_symbols[i], "\" out of order"));
    }
    PutUvarintStr(&body, sorted_symbols[i]);
    symbol_ids_.emplace(sorted_symbols[i], static_cast<uint32_t>(i));
  }
  RETURN_IF_ERROR(WriteSection(body));
  toc_[1] = pos_;
  return absl::OkStatus();
}

absl::Status IndexWriter::AddSeries(const labels::Labels& lset,
                                    const std::vector<ChunkMeta>& chunks) {
  if (!have_symbols_) RETURN_IF_ERROR(AddSymbols({}));
  if (any_series_ && labels::Compare(lset, last_) <= 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("out-of-order series added with label set ", lset.ToString()));
  }
  RETURN_IF_ERROR(Pad(16));
  const uint32_t ref = static_cast<uint32_t>(pos_ / 16);
  std::string body;
  PutUvarint(&body, lset.size());
  for (const labels::Label& l : lset) {
    auto n = symbol_ids_.find(l.name);
    auto v = symbol_ids_.find(l.value);
    if (n == symbol_ids_.end() || v == symbol_ids_.end()) {
      return absl::InvalidArgumentError(
          absl::StrCat("series ", lset.ToString(), " uses a symbol missing from the table"));
    }
    PutUvarint(&body, n->second);
    PutUvarint(&body, v->second);
    postings_[l.name][l.value].push_back(ref);
  }
  PutUvarint(&body, chunks.size());
  for (size_t i = 0; i < chunks.size(); ++i) {
    const ChunkMeta& c = chunks[i];
    if (i == 0) {
      PutVarint(&body, c.min_time);
      PutUvarint(&body, static_cast<uint64_t>(c.max_time - c.min_time));
      PutUvarint(&body, c.ref);
    } else {
      PutUvarint(&body, static_cast<uint64_t>(c.min_time - chunks[i - 1].max_time));
      PutUvarint(&body, static_cast<uint64_t>(c.max_time - c.min_time));
      PutVarint(&body, static_cast<int64_t>(c.ref - chunks[i - 1].ref));
    }
  }
  std::string head, tail;
  PutUvarint(&head, body.size());
  PutBE32(&tail, Crc32c(body));
  RETURN_IF_ERROR(Write(head));
  RETURN_IF_ERROR(Write(body));
  RETURN_IF_ERROR(Write(tail));
  all_postings_.push_back(ref);
  last_ = lset;
  any_series_ = true;
  return absl::OkStatus();
}

absl::Status IndexWriter::Close() {
  if (!have_symbols_) RETURN_IF_ERROR(AddSymbols({}));
  // Label indices (legacy, still written by Prometheus): one per name, its values' symbols.
  toc_[2] = pos_;
  std::vector<std::pair<std::string, uint64_t>> label_index_offsets;
  for (const auto& [name, values] : postings_) {
    RETURN_IF_ERROR(Pad(4));
    label_index_offsets.emplace_back(name, pos_);
    std::string body;
    PutBE32(&body, 1);
    PutBE32(&body, static_cast<uint32_t>(values.size()));
    for (const auto& [value, refs] : values) PutBE32(&body, symbol_ids_.at(value));
    RETURN_IF_ERROR(WriteSection(body));
  }
  // Postings: the all-series list under ("", ""), then every name=value, sorted.
  RETURN_IF_ERROR(Pad(4));
  toc_[4] = pos_;
  std::string offset_table;
  uint32_t offset_entries = 0;
  auto write_postings = [&](absl::string_view name, absl::string_view value,
                            const std::vector<uint32_t>& refs) -> absl::Status {
    RETURN_IF_ERROR(Pad(4));
    PutUvarint(&offset_table, 2);
    PutUvarintStr(&offset_table, name);
    PutUvarintStr(&offset_table, value);
    PutUvarint(&offset_table, pos_);
    ++offset_entries;
    std::string body;
    PutBE32(&body, static_cast<uint32_t>(refs.size()));
    for (uint32_t r : refs) PutBE32(&body, r);
    return WriteSection(body);
  };
  RETURN_IF_ERROR(write_postings("", "", all_postings_));
  for (const auto& [name, values] : postings_) {
    for (const auto& [value, refs] : values) RETURN_IF_ERROR(write_postings(name, value, refs));
  }
  // Label offset table.
  toc_[3] = pos_;
  std::string label_table;
  PutBE32(&label_table, static_cast<uint32_t>(label_index_offsets.size()));
  for (const auto& [name, off] : label_index_offsets) {
    PutUvarint(&label_table, 1);
    PutUvarintStr(&label_table, name);
    PutUvarint(&label_table, off);
  }
  RETURN_IF_ERROR(WriteSection(label_table));
  // Postings offset table.
  toc_[5] = pos_;
  std::string counted;
  PutBE32(&counted, offset_entries);
  counted += offset_table;
  RETURN_IF_ERROR(WriteSection(counted));
  // TOC.
  std::string toc;
  for (uint64_t off : toc_) PutBE64(&toc, off);
  PutBE32(&toc, Crc32c(toc));
  RETURN_IF_ERROR(Write(toc));
  RETURN_IF_ERROR(file_->Sync());
  return file_->Close();
}

}  // namespace argus::tsdb::index
