// A block's meta.json (Prometheus tsdb/block.go BlockMeta, version 1). See docs/format/block.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/env.h"
#include "base/ulid.h"
#include "nlohmann/json.hpp"

namespace argus::tsdb::block {

struct BlockStats {
  uint64_t num_samples = 0;
  uint64_t num_series = 0;
  uint64_t num_chunks = 0;
  uint64_t num_tombstones = 0;
};

struct BlockDesc {
  Ulid ulid;
  int64_t min_time = 0;
  int64_t max_time = 0;
};

struct BlockMeta {
  Ulid ulid;
  int64_t min_time = 0;  // inclusive, ms
  int64_t max_time = 0;  // exclusive, ms
  BlockStats stats;
  int compaction_level = 1;
  std::vector<Ulid> sources;
  std::vector<BlockDesc> parents;
  int version = 1;
};

inline constexpr char kMetaFilename[] = "meta.json";

// Parses meta.json text. Errors: InvalidArgument "<source>: ..." for malformed JSON, a missing
// or mistyped field, a bad ULID, or a version other than 1.
absl::StatusOr<BlockMeta> ParseMeta(absl::string_view json, absl::string_view source);
// Reads <dir>/meta.json.
absl::StatusOr<BlockMeta> ReadMeta(Env* env, const std::string& dir);
// meta.json's object, its keys in Prometheus's order (for writers that extend it, as Thanos's
// meta.json does).
nlohmann::ordered_json MetaJson(const BlockMeta& meta);
// meta.json text as Prometheus writes it (tab-indented).
std::string FormatMeta(const BlockMeta& meta);
// Writes <dir>/meta.json atomically (temporary file, fsync, rename).
absl::Status WriteMeta(Env* env, const std::string& dir, const BlockMeta& meta);

}  // namespace argus::tsdb::block
