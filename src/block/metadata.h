// A block's meta.json as Thanos keeps it in object storage (Thanos pkg/block/metadata): the
// Prometheus block meta plus a "thanos" section with the external labels of the block's
// source, its downsampling resolution, who made it and the sizes of its files.
// See docs/format/block.md for the Prometheus part.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "model/labels/labels.h"
#include "tsdb/block/meta.h"

namespace argus::block {

// Where a block came from (thanos.source).
inline constexpr char kSidecarSource[] = "sidecar";
inline constexpr char kCompactorSource[] = "compactor";
inline constexpr char kBucketUploadSource[] = "bucket.upload";

struct File {
  std::string rel_path;               // "chunks/000001", "index", "meta.json"
  std::optional<int64_t> size_bytes;  // absent for meta.json itself
};

struct Thanos {
  labels::Labels labels;              // the external labels of the block's source
  int64_t downsample_resolution = 0;  // ms: 0 (raw), 300000 (5m) or 3600000 (1h)
  std::string source;
  std::vector<File> files;  // sorted by rel_path
};

struct Meta {
  tsdb::block::BlockMeta prom;
  Thanos thanos;
};

// Parses meta.json text with its thanos section. A missing section gives empty Thanos fields;
// thanos.version missing or 0 means 1. Errors: InvalidArgument "<source>: ..." for malformed
// JSON, mistyped fields, or a thanos.version other than 1.
absl::StatusOr<Meta> ParseMeta(absl::string_view json, absl::string_view source);

// meta.json text as Thanos writes it: tab-indented, Prometheus's fields first, then
// "thanos": {"version":1, "labels", "downsample":{"resolution"}, "source", "files"} with
// label names sorted and files omitted when empty.
std::string FormatMeta(const Meta& meta);

}  // namespace argus::block
