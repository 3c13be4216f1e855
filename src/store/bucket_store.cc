#include "store/bucket_store.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "base/logging.h"
#include "base/parallel.h"
#include "base/status.h"
#include "base/ulid.h"
#include "store/deletion_mark.h"

namespace argus::store {

BucketStore::BucketStore(Env* env, objstore::Bucket& bucket, BucketStoreOptions options,
                         metrics::Registry& registry, Clock* clock)
    : env_(env),
      bucket_(bucket),
      options_(std::move(options)),
      clock_(clock),
      cache_(options_.index_cache_bytes, &registry),
      metrics_(MakeMetrics(registry)) {}

BucketStore::Metrics BucketStore::MakeMetrics(metrics::Registry& r) {
  Metrics m;
  m.blocks_loaded =
      &r.AddGauge("thanos_bucket_store_blocks_loaded", "Number of currently loaded blocks.");
  m.loads = &r.AddCounter("thanos_bucket_store_block_loads_total",
                          "Total number of remote block loading attempts.");
  m.load_failures = &r.AddCounter("thanos_bucket_store_block_load_failures_total",
                                  "Total number of failed remote block loading attempts.");
  m.drops = &r.AddCounter("thanos_bucket_store_block_drops_total",
                          "Total number of local blocks that were dropped.");
  m.drop_failures = &r.AddCounter("thanos_bucket_store_block_drop_failures_total",
                                  "Total number of local blocks that failed to be dropped.");
  std::vector<double> bounds;
  for (double b = 1024; b <= 1024.0 * 1024 * 1024; b *= 4) bounds.push_back(b);
  auto& fetched = r.AddHistogramVec("thanos_bucket_store_series_data_size_fetched_bytes",
                                    "Size in bytes of the data fetched to respond to a query.",
                                    {"data_type"}, bounds);
  m.block.fetched_bytes[static_cast<int>(DataType::kPostings)] =
      &fetched.WithLabelValues({"postings"});
  m.block.fetched_bytes[static_cast<int>(DataType::kSeries)] = &fetched.WithLabelValues({"series"});
  m.block.fetched_bytes[static_cast<int>(DataType::kChunks)] = &fetched.WithLabelValues({"chunks"});
  return m;
}

bool BucketStore::Deleted(const std::string& id) {
  absl::StatusOr<std::string> mark = bucket_.Get(absl::StrCat(id, "/", kDeletionMarkFilename));
  if (!mark.ok()) {
    if (!absl::IsNotFound(mark.status())) {
      log::Warn("store: reading deletion mark failed", {{"block", id}, {"err", mark.status()}});
    }
    return false;
  }
  absl::StatusOr<int64_t> t = ParseDeletionTime(*mark);
  if (!t.ok()) {
    log::Warn("store: ignoring unreadable deletion mark", {{"block", id}, {"err", t.status()}});
    return false;
  }
  return clock_->Now() - absl::FromUnixSeconds(*t) > options_.ignore_deletion_marks_delay;
}

absl::StatusOr<std::vector<std::string>> BucketStore::ListBlocks() {
  std::vector<std::string> ids;
  RETURN_IF_ERROR(bucket_.Iter("", false, [&](const std::string& name) {
    absl::string_view id = name;
    if (absl::ConsumeSuffix(&id, "/") && Ulid::Parse(id).ok()) ids.emplace_back(id);
    return absl::OkStatus();
  }));
  return ids;
}

void BucketStore::Examine(Listed* l) {
  if (Deleted(l->id)) return;
  if (Block(l->id) != nullptr) {
    l->serve = true;
    return;
  }
  const std::string meta_name = absl::StrCat(l->id, "/meta.json");
  absl::StatusOr<std::string> text = bucket_.Get(meta_name);
  if (absl::IsNotFound(text.status())) return;  // a partial upload
  absl::StatusOr<block::Meta> meta =
      text.ok() ? block::ParseMeta(*text, meta_name) : absl::StatusOr<block::Meta>(text.status());
  if (meta.ok() && meta->prom.ulid.ToString() != l->id) {
    meta =
        absl::DataLossError(absl::StrCat(meta_name, ": names block ", meta->prom.ulid.ToString()));
  }
  if (!meta.ok()) {
    metrics_.load_failures->Inc();
    log::Warn("store: reading block meta failed; will retry",
              {{"block", l->id}, {"err", meta.status()}});
    return;
  }
  if (meta->prom.max_time <= options_.min_time || meta->prom.min_time > options_.max_time) {
    return;
  }
  l->serve = true;  // kept (with its local directory) even when opening fails: retried
  metrics_.loads->Inc();
  absl::StatusOr<std::shared_ptr<BucketBlock>> b =
      BucketBlock::Open(env_, bucket_, *std::move(meta), JoinPath(options_.data_dir, l->id),
                        &cache_, &metrics_.block);
  if (b.ok()) {
    l->opened = *std::move(b);
  } else {
    metrics_.load_failures->Inc();
    log::Warn("store: loading block failed; will retry", {{"block", l->id}, {"err", b.status()}});
  }
}

void BucketStore::RemoveStaleDirs(const absl::flat_hash_set<std::string>& keep) {
  absl::StatusOr<std::vector<std::string>> names = env_->ListDir(options_.data_dir);
  if (!names.ok()) return;
  for (const std::string& n : *names) {
    if (!Ulid::Parse(n).ok() || keep.contains(n)) continue;
    if (absl::Status s = env_->RemoveAll(JoinPath(options_.data_dir, n)); !s.ok()) {
      metrics_.drop_failures->Inc();
      log::Warn("store: removing local block directory failed", {{"block", n}, {"err", s}});
    }
  }
}

absl::Status BucketStore::Sync() {
  std::lock_guard<std::mutex> sync(sync_mu_);
  RETURN_IF_ERROR(env_->CreateDirs(options_.data_dir));
  ASSIGN_OR_RETURN(std::vector<std::string> ids, ListBlocks());
  // Deletion marks, metas and index-headers: object-storage round trips, so in parallel.
  std::vector<Listed> listed(ids.size());
  ParallelFor(ids.size(), static_cast<size_t>(options_.sync_parallelism), [&](size_t i) {
    listed[i].id = std::move(ids[i]);
    Examine(&listed[i]);
  });
  absl::flat_hash_set<std::string> serve;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (Listed& l : listed) {
      if (!l.serve) continue;
      serve.insert(l.id);
      if (l.opened != nullptr) blocks_[l.id] = std::move(l.opened);
    }
    for (auto it = blocks_.begin(); it != blocks_.end();) {
      if (serve.contains(it->first)) {
        ++it;
        continue;
      }
      log::Info("store: dropping block", {{"block", it->first}});
      metrics_.drops->Inc();
      it = blocks_.erase(it);
    }
    metrics_.blocks_loaded->Set(static_cast<double>(blocks_.size()));
  }
  RemoveStaleDirs(serve);
  return absl::OkStatus();
}

std::vector<storeapi::SourceRef> BucketStore::Sources() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<storeapi::SourceRef> out;
  for (const auto& [id, b] : blocks_) {
    const tsdb::block::BlockMeta& m = b->meta().prom;
    out.push_back({.source = b,
                   .external = b->meta().thanos.labels,
                   .min_time = m.min_time,
                   .max_time = m.max_time - 1,
                   .name = absl::StrCat("block ", id)});
  }
  return out;
}

std::shared_ptr<BucketBlock> BucketStore::Block(const std::string& id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = blocks_.find(id);
  return it == blocks_.end() ? nullptr : it->second;
}

}  // namespace argus::store
