// A block's meta.json as Thanos keeps it in object storage (Thanos pkg/block/metadata): the
// Prometheus block meta plus a "thanos" section with the external labels of the block's
// source, its downsampling resolution, who made it and the sizes of its files.
// See docs/format/block.md for the Prometheus part.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/env.h"
#include "model/labels/labels.h"
#include "tsdb/block/meta.h"

namespace argus::block {

// Where a block came from (thanos.source).
inline constexpr char kSidecarSource[] = "sidecar";
inline constexpr char kCompactorSource[] = "compactor";
inline constexpr char kBucketUploadSource[] = "bucket.upload";

// One file of a block directory (thanos.files[]).
struct File {
  std::string rel_path;    // "chunks/000001", "index", "meta.json"
  int64_t size_bytes = 0;  // 0: not given (meta.json lists none for itself), as Thanos omits it
};

// The thanos section. Thanos's readers treat a missing section as an empty one.
struct Thanos {
  // The external labels of the block's source. Thanos reads an empty set but refuses to upload
  // a block without labels (the shipper checks, not the parser).
  labels::Labels labels;
  int64_t downsample_resolution = 0;  // ms: 0 (raw), 300000 (5m) or 3600000 (1h)
  std::string source;                 // kSidecarSource, ...
  // Chunk segment file names ("000001"), sorted. Deprecated by `files` but still written by
  // Thanos's shipper and read by its store gateway (it then need not list chunks/).
  std::vector<std::string> segment_files;
  std::vector<File> files;  // every file of the block, sorted by rel_path
};

struct Meta {
  tsdb::block::BlockMeta prom;
  Thanos thanos;
};

// Parses meta.json text with its thanos section. thanos.version missing or 0 means 1; fields
// Argus does not model (hashes, rewrites, index_stats, extensions) are ignored, null ones read
// as empty. Errors: InvalidArgument "<source>: ..." for what tsdb::block::ParseMeta rejects,
// mistyped thanos fields, or "unexpected meta file Thanos section version N" for N other than 1.
absl::StatusOr<Meta> ParseMeta(absl::string_view json, absl::string_view source);

// Reads and parses <dir>/meta.json. Errors: those of Env::ReadFile and ParseMeta.
absl::StatusOr<Meta> ReadMeta(Env* env, const std::string& dir);

// meta.json text byte for byte as Thanos's encoder writes it: tab-indented, the Prometheus
// fields in Prometheus's order, then "thanos" with labels (sorted), downsample, source,
// segment_files and files (both omitted when empty), and an empty index_stats; no
// thanos.version (Thanos's writers leave it 0, omitted); <, >, &, U+2028 and U+2029 escaped
// as Go escapes them; a final newline. File sizes of 0 are omitted.
std::string FormatMeta(const Meta& meta);

}  // namespace argus::block
