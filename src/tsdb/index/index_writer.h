// Writes a v2 index file laid out as Prometheus v2.42's index.Writer lays it out: symbols,
// 16-byte aligned series, label indices, 4-byte aligned postings, label offset table,
// postings offset table, TOC. See docs/format/index.md.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/env.h"
#include "model/labels/labels.h"
#include "tsdb/index/index_reader.h"

namespace argus::tsdb::index {

// Not thread-safe. Call AddSymbols once, then AddSeries in label order, then Close.
class IndexWriter {
 public:
  static absl::StatusOr<std::unique_ptr<IndexWriter>> Create(Env* env, const std::string& path);

  // Every label name and value used by the series. Errors: InvalidArgument when not sorted
  // and unique, FailedPrecondition when called twice.
  absl::Status AddSymbols(const std::vector<std::string>& sorted_symbols);
  // Errors: InvalidArgument for series out of label order or using an unknown symbol.
  absl::Status AddSeries(const labels::Labels& lset, const std::vector<ChunkMeta>& chunks);
  // Writes the remaining sections and syncs the file.
  absl::Status Close();

 private:
  IndexWriter(std::unique_ptr<WritableFile> file) : file_(std::move(file)) {}
  absl::Status Write(absl::string_view data);
  absl::Status Pad(size_t alignment);
  // Writes 4-byte length | data | CRC32C(data).
  absl::Status WriteSection(absl::string_view data);

  std::unique_ptr<WritableFile> file_;
  uint64_t pos_ = 0;
  bool have_symbols_ = false;
  absl::flat_hash_map<std::string, uint32_t> symbol_ids_;
  labels::Labels last_;
  bool any_series_ = false;
  uint64_t toc_[6] = {};  // symbols, series, label indices, label table, postings, postings table
  std::vector<uint32_t> all_postings_;
  // name -> value -> series refs (ascending, as series are added in order).
  std::map<std::string, std::map<std::string, std::vector<uint32_t>>> postings_;
};

}  // namespace argus::tsdb::index
