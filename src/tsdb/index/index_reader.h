// Reads the v2 index file of a Prometheus block (tsdb/index/index.go in v2.42): symbol table,
// series entries, postings lists and the postings offset table. The file is memory-mapped; every
// section's CRC32C is checked when the section is read. See docs/format/index.md.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/env.h"
#include "model/labels/labels.h"
#include "tsdb/index/decode.h"

namespace argus::tsdb::index {

// Thread-safe after Open (read-only).
class IndexReader {
 public:
  // Errors: NotFound / PermissionDenied for the file; DataLoss "<path>: ..." for a bad magic,
  // version, TOC, or a corrupt symbol table or postings offset table.
  static absl::StatusOr<std::unique_ptr<IndexReader>> Open(Env* env, const std::string& path);

  // Symbol number `i` (v2 refers to symbols by their position in the sorted table).
  absl::StatusOr<absl::string_view> Symbol(uint32_t i) const;
  size_t num_symbols() const { return symbol_offsets_.size(); }

  // The series at `ref` (its byte offset / 16). Errors: DataLoss naming the offset.
  absl::StatusOr<SeriesEntry> Series(uint64_t ref) const;

  // Series refs, ascending, of series with label name=value; empty when there are none.
  absl::StatusOr<std::vector<uint64_t>> Postings(absl::string_view name,
                                                 absl::string_view value) const;
  // Every series ref.
  absl::StatusOr<std::vector<uint64_t>> AllPostings() const { return Postings("", ""); }

  // Sorted label names, and the sorted values of one name.
  std::vector<std::string> LabelNames() const;
  std::vector<std::string> LabelValues(absl::string_view name) const;

  const std::string& path() const { return file_->path(); }
  uint64_t size() const { return file_->data().size(); }

 private:
  explicit IndexReader(std::unique_ptr<MappedFile> file) : file_(std::move(file)) {}
  absl::Status Load();
  // The bytes of a section framed as 4-byte length | data | CRC32C, CRC checked.
  absl::StatusOr<absl::string_view> Section(uint64_t offset, absl::string_view what) const;
  absl::Status Corrupt(absl::string_view what, uint64_t offset) const;
  // `s` (a decoder's DataLoss) as "<path>: <message> at offset N".
  absl::Status At(const absl::Status& s, uint64_t offset) const;

  std::unique_ptr<MappedFile> file_;
  std::vector<uint32_t> symbol_offsets_;  // absolute file offsets
  // name -> (value, postings list offset), values ascending; views point into the file.
  std::map<std::string, std::vector<std::pair<absl::string_view, uint64_t>>, std::less<>>
      postings_table_;
};

}  // namespace argus::tsdb::index
