#include "shipper/shipper.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/logging.h"
#include "base/status.h"
#include "nlohmann/json.hpp"

namespace argus::shipper {
namespace {

using tsdb::block::kMetaFilename;

metrics::Registry& RegistryOf(const ShipperOptions& o,
                              const std::unique_ptr<metrics::Registry>& own) {
  return o.registry != nullptr ? *o.registry : *own;
}

// The block directories of `dir` (ULID names; `<ULID>.tmp-for-*` and other entries are not
// blocks) with their local meta.json, oldest first by minTime.
struct LocalBlocks {
  std::vector<block::Meta> metas;
  int unreadable = 0;  // block directories whose meta.json cannot be read
};

absl::StatusOr<LocalBlocks> ListBlocks(Env* env, const std::string& dir) {
  ASSIGN_OR_RETURN(std::vector<std::string> names, env->ListDir(dir));
  LocalBlocks out;
  for (const std::string& name : names) {
    const std::string path = JoinPath(dir, name);
    if (!Ulid::Parse(name).ok() || !env->IsDirectory(path)) continue;
    absl::StatusOr<block::Meta> meta = block::ReadMeta(env, path);
    if (!meta.ok()) {
      log::Error("shipper: read metadata for block failed; skipping it",
                 {{"block", path}, {"err", meta.status()}});
      ++out.unreadable;
      continue;
    }
    out.metas.push_back(*std::move(meta));
  }
  std::stable_sort(out.metas.begin(), out.metas.end(),
                   [](const auto& a, const auto& b) { return a.prom.min_time < b.prom.min_time; });
  return out;
}

// The state file's blocks, or none when it is missing or unreadable (logged).
ShipperState ReadState(Env* env, const std::string& path) {
  if (!env->FileExists(path)) return {};
  absl::StatusOr<std::string> text = env->ReadFile(path);
  absl::StatusOr<ShipperState> state =
      text.ok() ? ParseState(*text) : absl::StatusOr<ShipperState>(text.status());
  if (state.ok()) return *std::move(state);
  log::Warn("shipper: reading meta file failed, will override it",
            {{"file", path}, {"err", state.status()}});
  return {};
}

// `base` with the labels of `over` added, replacing those of the same name.
labels::Labels Overlay(const labels::Labels& base, const labels::Labels& over) {
  std::vector<labels::Label> out(over.begin(), over.end());
  for (const labels::Label& l : base) {
    if (!over.Has(l.name)) out.push_back(l);
  }
  return labels::Labels::FromUnsorted(std::move(out));
}

}  // namespace

absl::StatusOr<ShipperState> ParseState(absl::string_view json) {
  // nlohmann::json throws; this is its boundary.
  try {
    const nlohmann::json j = nlohmann::json::parse(json.begin(), json.end());
    if (j.value("version", 0) != 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("unexpected ", kStateFile, " version ", j.value("version", 0)));
    }
    ShipperState s;
    const nlohmann::json uploaded = j.value("uploaded", nlohmann::json::array());
    for (const nlohmann::json& u : uploaded.is_null() ? nlohmann::json::array() : uploaded) {
      ASSIGN_OR_RETURN(Ulid id, Ulid::Parse(u.get<std::string>()));
      s.uploaded.push_back(id);
    }
    return s;
  } catch (const nlohmann::json::exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(kStateFile, ": ", e.what()));
  }
}

std::string FormatState(const ShipperState& state) {
  nlohmann::ordered_json j;
  j["version"] = 1;
  j["uploaded"] = nullptr;  // Go's encoding of the empty (nil) slice
  for (const Ulid& u : state.uploaded) j["uploaded"].push_back(u.ToString());
  return j.dump(1, '\t') + "\n";
}

Shipper::Shipper(objstore::Bucket& bucket, ShipperOptions options)
    : bucket_(bucket),
      opts_(std::move(options)),
      own_registry_(opts_.registry == nullptr ? std::make_unique<metrics::Registry>() : nullptr),
      dir_syncs_(RegistryOf(opts_, own_registry_)
                     .AddCounter("thanos_shipper_dir_syncs_total", "Total number of dir syncs")),
      dir_sync_failures_(RegistryOf(opts_, own_registry_)
                             .AddCounter("thanos_shipper_dir_sync_failures_total",
                                         "Total number of failed dir syncs")),
      uploads_(RegistryOf(opts_, own_registry_)
                   .AddCounter("thanos_shipper_uploads_total", "Total number of uploaded blocks")),
      upload_failures_(RegistryOf(opts_, own_registry_)
                           .AddCounter("thanos_shipper_upload_failures_total",
                                       "Total number of block upload failures")),
      corrupted_blocks_(RegistryOf(opts_, own_registry_)
                            .AddCounter("thanos_shipper_corrupted_blocks_total",
                                        "Total number of corrupted blocks")),
      upload_compacted_done_(RegistryOf(opts_, own_registry_)
                                 .AddGauge("thanos_shipper_upload_compacted_done",
                                           "If 1 it means shipper uploaded all compacted blocks "
                                           "from the filesystem.")) {}

absl::StatusOr<int> Shipper::Sync() {
  // As Thanos counts them: a cycle that stopped early is a failed dir sync; one that went
  // through all blocks is a dir sync, even when some of them failed.
  absl::StatusOr<Cycle> c = SyncOnce();
  if (!c.ok()) {
    dir_sync_failures_.Inc();
    return c.status();
  }
  dir_syncs_.Inc();
  if (c->failed > 0 || c->corrupted > 0) {
    upload_failures_.Add(c->failed);
    corrupted_blocks_.Add(c->corrupted);
    return absl::UnavailableError(absl::StrCat("failed to sync ", c->failed + c->corrupted,
                                               " blocks (", c->corrupted, " unreadable)"));
  }
  upload_compacted_done_.Set(opts_.upload_compacted ? 1 : 0);
  return c->uploaded;
}

absl::StatusOr<Shipper::Cycle> Shipper::SyncOnce() {
  const std::string state_path = JoinPath(opts_.dir, kStateFile);
  const ShipperState before = ReadState(opts_.env, state_path);
  const std::set<Ulid> recorded(before.uploaded.begin(), before.uploaded.end());
  const labels::Labels ext = opts_.external_labels();
  if (ext.empty()) {
    return absl::FailedPreconditionError(
        "shipper: empty external labels are not allowed for Thanos blocks");
  }
  ASSIGN_OR_RETURN(LocalBlocks blocks, ListBlocks(opts_.env, opts_.dir));

  Cycle cycle{.corrupted = blocks.unreadable};
  ShipperState after;  // recorded blocks that are still present locally
  for (block::Meta& m : blocks.metas) {
    const Ulid ulid = m.prom.ulid;
    if (recorded.contains(ulid)) {
      after.uploaded.push_back(ulid);
      continue;
    }
    if (m.prom.stats.num_samples == 0) continue;
    if (m.prom.compaction_level > 1 && !opts_.upload_compacted) continue;
    const std::string id = ulid.ToString();
    absl::StatusOr<bool> there = bucket_.Exists(absl::StrCat(id, "/", kMetaFilename));
    if (there.ok() && *there) {
      after.uploaded.push_back(ulid);  // uploaded by an earlier cycle that did not record it
      continue;
    }
    absl::Status st = there.ok() ? Upload(std::move(m), ext) : there.status();
    if (!st.ok()) {
      log::Error("shipper: shipping failed; will retry", {{"block", id}, {"err", st}});
      ++cycle.failed;
      continue;
    }
    after.uploaded.push_back(ulid);
    uploads_.Inc();
    ++cycle.uploaded;
  }
  if (absl::Status st = WriteFileAtomically(opts_.env, state_path, FormatState(after)); !st.ok()) {
    log::Warn("shipper: updating meta file failed", {{"file", state_path}, {"err", st}});
  }
  return cycle;
}

absl::Status Shipper::Upload(block::Meta meta, const labels::Labels& ext) {
  Env* env = opts_.env;
  const std::string id = meta.prom.ulid.ToString();
  const std::string dir = JoinPath(opts_.dir, id);
  log::Info("shipper: upload new block", {{"id", id}});
  // As Thanos: the current external labels over the block's own; this shipper's source; the
  // block's downsampling resolution kept.
  meta.thanos.labels = Overlay(meta.thanos.labels, ext);
  meta.thanos.source = opts_.source;
  ASSIGN_OR_RETURN(meta.thanos.segment_files, env->ListDir(JoinPath(dir, "chunks")));
  // Chunk segments in name order, then the index: the upload order, and with meta.json (which
  // gives no size for itself) the files list sorted by path.
  std::vector<std::string> rel_paths;
  for (const std::string& s : meta.thanos.segment_files) rel_paths.push_back("chunks/" + s);
  rel_paths.push_back("index");
  meta.thanos.files.clear();
  for (const std::string& rel : rel_paths) {
    ASSIGN_OR_RETURN(uint64_t size, env->FileSize(JoinPath(dir, rel)));
    meta.thanos.files.push_back({rel, static_cast<int64_t>(size)});
  }
  meta.thanos.files.push_back({kMetaFilename});
  for (const std::string& rel : rel_paths) {
    RETURN_IF_ERROR(
        objstore::UploadFile(bucket_, absl::StrCat(id, "/", rel), env, JoinPath(dir, rel)));
  }
  // Last: a block directory without meta.json is an unfinished upload to every reader.
  const std::string text = block::FormatMeta(meta);
  objstore::StringSource src(text);
  return bucket_.Upload(absl::StrCat(id, "/", kMetaFilename), src);
}

}  // namespace argus::shipper
