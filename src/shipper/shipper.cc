#include "shipper/shipper.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/logging.h"
#include "base/status.h"
#include "nlohmann/json.hpp"

namespace argus::shipper {
namespace {

metrics::Registry& RegistryOf(const ShipperOptions& o, std::unique_ptr<metrics::Registry>* own) {
  if (o.registry != nullptr) return *o.registry;
  if (*own == nullptr) *own = std::make_unique<metrics::Registry>();
  return **own;
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
  j["uploaded"] = nlohmann::ordered_json::array();
  for (const Ulid& u : state.uploaded) j["uploaded"].push_back(u.ToString());
  return j.dump(1, '\t') + "\n";
}

Shipper::Shipper(objstore::Bucket& bucket, ShipperOptions options)
    : bucket_(bucket),
      opts_(std::move(options)),
      dir_syncs_(RegistryOf(opts_, &own_registry_)
                     .AddCounter("thanos_shipper_dir_syncs_total", "Total number of dir syncs")),
      dir_sync_failures_(RegistryOf(opts_, &own_registry_)
                             .AddCounter("thanos_shipper_dir_sync_failures_total",
                                         "Total number of failed dir syncs")),
      uploads_(RegistryOf(opts_, &own_registry_)
                   .AddCounter("thanos_shipper_uploads_total", "Total number of uploaded blocks")),
      upload_failures_(RegistryOf(opts_, &own_registry_)
                           .AddCounter("thanos_shipper_upload_failures_total",
                                       "Total number of block upload failures")) {}

absl::StatusOr<int> Shipper::Sync() {
  absl::StatusOr<int> n = SyncOnce();
  // Counted when done, as Thanos counts them: a test or an operator reading 1 knows a whole
  // cycle is behind it.
  dir_syncs_.Inc();
  if (!n.ok()) dir_sync_failures_.Inc();
  return n;
}

absl::StatusOr<int> Shipper::SyncOnce() {
  Env* env = opts_.env;
  const std::string state_path = JoinPath(opts_.dir, kStateFile);
  ShipperState before;
  if (env->FileExists(state_path)) {
    absl::StatusOr<std::string> text = env->ReadFile(state_path);
    absl::StatusOr<ShipperState> parsed =
        text.ok() ? ParseState(*text) : absl::StatusOr<ShipperState>(text.status());
    // As Thanos: an unreadable state file is replaced; the bucket check below keeps blocks
    // already there from being uploaded twice.
    if (parsed.ok()) {
      before = *std::move(parsed);
    } else {
      log::Warn("shipper: reading meta file failed, will override it",
                {{"file", state_path}, {"err", parsed.status()}});
    }
  }
  const labels::Labels ext = opts_.external_labels();
  if (ext.empty()) {
    return absl::FailedPreconditionError(
        "shipper: empty external labels are not allowed for Thanos blocks");
  }

  // The block directories, oldest first.
  absl::StatusOr<std::vector<std::string>> names = env->ListDir(opts_.dir);
  RETURN_IF_ERROR(names.status());
  std::vector<tsdb::block::BlockMeta> blocks;
  int failed = 0;
  for (const std::string& name : *names) {
    if (!Ulid::Parse(name).ok() || !env->IsDirectory(JoinPath(opts_.dir, name))) continue;
    absl::StatusOr<tsdb::block::BlockMeta> meta =
        tsdb::block::ReadMeta(env, JoinPath(opts_.dir, name));
    if (!meta.ok()) {
      log::Warn("shipper: cannot read block meta; skipping it",
                {{"block", name}, {"err", meta.status()}});
      ++failed;
      continue;
    }
    blocks.push_back(*std::move(meta));
  }
  std::stable_sort(blocks.begin(), blocks.end(),
                   [](const auto& a, const auto& b) { return a.min_time < b.min_time; });

  ShipperState after;
  int uploaded = 0;
  for (const tsdb::block::BlockMeta& m : blocks) {
    if (m.stats.num_samples == 0) continue;
    if (std::find(before.uploaded.begin(), before.uploaded.end(), m.ulid) !=
        before.uploaded.end()) {
      after.uploaded.push_back(m.ulid);
      continue;
    }
    if (m.compaction_level > 1 && !opts_.upload_compacted) continue;
    const std::string id = m.ulid.ToString();
    absl::StatusOr<bool> there = bucket_.Exists(absl::StrCat(id, "/", tsdb::block::kMetaFilename));
    absl::Status st = there.status();
    if (st.ok() && *there) {
      after.uploaded.push_back(m.ulid);  // uploaded by an earlier run that did not record it
      continue;
    }
    if (st.ok()) st = Upload(m, ext);
    if (!st.ok()) {
      log::Error("shipper: block upload failed; will retry", {{"block", id}, {"err", st}});
      ++failed;
      continue;
    }
    log::Info("shipper: upload new block", {{"id", id}});
    after.uploaded.push_back(m.ulid);
    uploads_.Inc();
    ++uploaded;
  }
  if (absl::Status st = WriteFileAtomically(env, state_path, FormatState(after)); !st.ok()) {
    log::Warn("shipper: writing meta file failed", {{"file", state_path}, {"err", st}});
  }
  if (failed > 0) {
    upload_failures_.Add(failed);
    return absl::UnavailableError(absl::StrCat("failed to sync ", failed, " blocks"));
  }
  return uploaded;
}

absl::Status Shipper::Upload(const tsdb::block::BlockMeta& meta, const labels::Labels& ext) {
  Env* env = opts_.env;
  const std::string id = meta.ulid.ToString();
  const std::string dir = JoinPath(opts_.dir, id);
  block::Meta full{meta, {ext, 0, opts_.source, {}}};
  // Chunk segments in name order, then the index; meta.json (no size) closes the list.
  std::vector<std::string> rel_paths;
  ASSIGN_OR_RETURN(std::vector<std::string> segments, env->ListDir(JoinPath(dir, "chunks")));
  for (const std::string& s : segments) rel_paths.push_back(absl::StrCat("chunks/", s));
  rel_paths.push_back("index");
  for (const std::string& rel : rel_paths) {
    ASSIGN_OR_RETURN(uint64_t size, env->FileSize(JoinPath(dir, rel)));
    full.thanos.files.push_back({rel, static_cast<int64_t>(size)});
  }
  full.thanos.files.push_back({tsdb::block::kMetaFilename, std::nullopt});
  for (const std::string& rel : rel_paths) {
    RETURN_IF_ERROR(objstore::UploadFile(bucket_, absl::StrCat(id, "/", rel), JoinPath(dir, rel)));
  }
  const std::string text = block::FormatMeta(full);
  objstore::StringSource src(text);
  return bucket_.Upload(absl::StrCat(id, "/", tsdb::block::kMetaFilename), src);
}

}  // namespace argus::shipper
