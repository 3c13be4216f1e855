// The index-header of a block in a bucket (Thanos's pkg/block/indexheader, binary format): a
// small local file holding the block index's symbol table and postings offset table, built from
// ranged reads of <ULID>/index so the store gateway never downloads whole indexes. The reader
// memory-maps it and keeps only every 32nd symbol offset and postings-offset entry on the heap.
//
// File layout (big-endian, CRC32C as the index uses it; see docs/format/index.md):
//   be32 magic 0xBAAAD792 | u8 version 1 | u8 index version 2
//   symbol table section, copied verbatim from the index (be32 len | body | crc32c)
//   postings offset table section, copied verbatim
//   TOC: be64 symbols offset | be64 postings offset table offset | be64 end of the last postings
//        list in the index | be64 index size | crc32c over the first 6 bytes and these 32
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "base/env.h"
#include "objstore/bucket.h"
#include "store/fetch.h"

namespace argus::store {

inline constexpr uint32_t kIndexHeaderMagic = 0xBAAAD792;
inline constexpr uint8_t kIndexHeaderVersion = 1;
inline constexpr char kIndexHeaderFilename[] = "index-header";
// Every how many symbols / postings-offset entries the reader keeps one on the heap.
inline constexpr uint32_t kIndexHeaderSampling = 32;

// Writes `path` (via `path`.tmp + rename) from ranged reads of the index object `index_name`:
// its header, TOC, symbol table and postings offset table only. Errors: those of the bucket
// (NotFound when the index is missing), DataLoss "<index_name>: ..." for a malformed index,
// those of `env`.
absl::Status BuildIndexHeader(Env* env, objstore::Bucket& bucket, const std::string& index_name,
                              const std::string& path);

// Reads an index-header file. Thread-safe after Open (read-only).
class IndexHeader {
 public:
  // Opens the index-header at `path` if it is valid (magic, version, sizes and every CRC),
  // otherwise (missing, torn, foreign) builds it anew from `index_name` in `bucket`; `rebuilt`
  // (optional) tells which. Errors: those of BuildIndexHeader, DataLoss for a header that is
  // still invalid after a rebuild.
  static absl::StatusOr<std::unique_ptr<IndexHeader>> Open(Env* env, objstore::Bucket& bucket,
                                                           const std::string& index_name,
                                                           const std::string& path,
                                                           bool* rebuilt = nullptr);
  // Opens an existing file only. Errors: those of Env::MapFile, DataLoss "<path>: ..." when
  // anything in it does not check out.
  static absl::StatusOr<std::unique_ptr<IndexHeader>> OpenFile(Env* env, const std::string& path);

  // Symbol number `i` of the index. Errors: DataLoss for an unknown symbol.
  absl::StatusOr<absl::string_view> Symbol(uint32_t i) const;
  // Sorted label names (without the all-postings key "").
  std::vector<std::string> LabelNames() const;
  // Sorted values of label `name`; empty for an unknown name.
  std::vector<std::string> LabelValues(absl::string_view name) const;
  // Where the postings list of name=value lies in the index (framing included, possibly with up
  // to 3 bytes of padding after it); nullopt when no series has that label. ("", "") is the list
  // of all series.
  std::optional<ByteRange> PostingsRange(absl::string_view name, absl::string_view value) const;

  // Size of the index object the header was built from.
  uint64_t index_size() const { return index_size_; }
  // Bytes this reader holds on the heap (the mapped file excluded).
  size_t HeapBytes() const;

 private:
  // One label name: its entries of the postings offset table, sampled.
  struct Name {
    absl::string_view name;
    uint32_t count = 0;  // entries
    // Entry k * kIndexHeaderSampling and the last one: (value, position in the table body).
    std::vector<std::pair<absl::string_view, uint32_t>> samples;
  };

  explicit IndexHeader(std::unique_ptr<MappedFile> file) : file_(std::move(file)) {}
  absl::Status Load();
  absl::Status Corrupt(absl::string_view what) const;
  const Name* Find(absl::string_view name) const;

  std::unique_ptr<MappedFile> file_;
  absl::string_view symbols_;   // symbol table body
  absl::string_view postings_;  // postings offset table body
  uint32_t num_symbols_ = 0;
  std::vector<uint32_t> symbol_samples_;  // offsets in symbols_ of every 32nd symbol
  std::vector<Name> names_;               // in table order (sorted by name)
  uint64_t postings_end_ = 0;
  uint64_t index_size_ = 0;
};

}  // namespace argus::store
