#include "tsdb/head/head.h"

#include <algorithm>

#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "base/check.h"
#include "base/logging.h"
#include "base/status.h"
#include "tsdb/head/appender.h"
#include "tsdb/head/head_metrics.h"

namespace argus::tsdb::head {

namespace {

bool SameLabels(const MemSeries& s, const labels::Labels& lset) {
  const auto& ls = s.interned_labels();
  if (ls.size() != lset.size()) return false;
  for (size_t i = 0; i < ls.size(); ++i) {
    if (*ls[i].first != lset[i].name || *ls[i].second != lset[i].value) return false;
  }
  return true;
}

// Series sets hold only pointers (8 bytes a slot rather than 16 for a key and a pointer); the
// keys are read from the series. Lookups are heterogeneous: by ref, or by label set and hash.
// Elements are distinct by identity: a corrupt WAL naming one ref twice leaves two series under
// it (the lookup finds one), which are freed like any other.
struct ByRefHash {
  using is_transparent = void;
  size_t operator()(uint64_t ref) const { return absl::Hash<uint64_t>()(ref); }
  size_t operator()(const MemSeries* m) const { return (*this)(m->ref()); }
};
struct ByRefEq {
  using is_transparent = void;
  bool operator()(const MemSeries* a, const MemSeries* b) const { return a == b; }
  bool operator()(const MemSeries* a, uint64_t ref) const { return a->ref() == ref; }
  bool operator()(uint64_t ref, const MemSeries* a) const { return a->ref() == ref; }
};
struct LabelsKey {
  const labels::Labels& lset;
  uint64_t hash;
};
// Remixed: the low bits of a label hash pick the stripe, so within one they are all alike.
struct ByLabelsHash {
  using is_transparent = void;
  size_t operator()(const LabelsKey& k) const { return absl::Hash<uint64_t>()(k.hash); }
  size_t operator()(const MemSeries* m) const { return absl::Hash<uint64_t>()(m->LabelsHash()); }
};
struct ByLabelsEq {
  using is_transparent = void;
  bool operator()(const MemSeries* a, const MemSeries* b) const { return a == b; }
  bool operator()(const MemSeries* a, const LabelsKey& k) const { return SameLabels(*a, k.lset); }
  bool operator()(const LabelsKey& k, const MemSeries* a) const { return SameLabels(*a, k.lset); }
};

}  // namespace

struct Head::Stripe {
  mutable std::mutex mu;  // guards the sets below
  // The series whose ref falls in this stripe (owned by the head, memory from its pool).
  absl::flat_hash_set<MemSeries*, ByRefHash, ByRefEq> by_ref;
  // The series whose label hash falls in this stripe.
  absl::flat_hash_set<MemSeries*, ByLabelsHash, ByLabelsEq> by_labels;
};

Head::Head(HeadOptions opts) : opts_(std::move(opts)) {
  ARGUS_CHECK(opts_.stripes > 0 && (opts_.stripes & (opts_.stripes - 1)) == 0,
              "stripe count must be a power of two");
  if (opts_.registry == nullptr) {
    own_registry_ = std::make_unique<metrics::Registry>();
    opts_.registry = own_registry_.get();
  }
  metrics_ = std::make_unique<HeadMetrics>(*opts_.registry);
  chunks_ = opts_.chunks;
  if (chunks_ == nullptr) chunks_ = *chunks::HeadChunks::Open(nullptr, "");  // memory only
  stripes_ = std::make_unique<Stripe[]>(opts_.stripes);
  series_mu_ = std::make_unique<std::mutex[]>(opts_.stripes);
  mask_ = static_cast<uint64_t>(opts_.stripes - 1);
}

Head::~Head() {
  for (int j = 0; j < opts_.stripes; ++j) {
    for (MemSeries* m : stripes_[j].by_ref) pool_.Delete(m);
  }
}

Head::Stripe& Head::StripeFor(uint64_t key) const { return stripes_[key & mask_]; }
std::mutex& Head::SeriesMutex(uint64_t ref) const { return series_mu_[ref & mask_]; }

std::unique_ptr<storage::Appender> Head::NewAppender() {
  // Ids wrap after 2^32 appenders (skipping 0); the ones alive at a time are far fewer.
  uint32_t id = next_appender_id_.fetch_add(1);
  if (id == 0) id = next_appender_id_.fetch_add(1);
  return std::make_unique<HeadAppender>(this, id);
}

int64_t Head::MinValidTime() const {
  const int64_t floor = min_valid_time_.load(std::memory_order_acquire);
  if (empty()) return floor;
  return std::max(floor, max_time() - opts_.chunk_range / 2);
}

void Head::SetMinValidTime(int64_t t) { min_valid_time_.store(t, std::memory_order_release); }

// REQUIRES: s.mu held.
MemSeries* Head::FindInStripe(const Stripe& s, const labels::Labels& lset, uint64_t hash) {
  auto it = s.by_labels.find(LabelsKey{lset, hash});
  return it == s.by_labels.end() ? nullptr : *it;
}

MemSeries* Head::GetByRef(uint64_t ref, std::unique_lock<std::mutex>* lock) const {
  if (MemSeries* m = refs_.Get(ref); m != nullptr) {
    if (lock == nullptr) return m;
    // Garbage collection unregisters a series under its mutex before freeing it: still
    // registered once the mutex is ours, it stays alive while we hold it.
    std::unique_lock l(SeriesMutex(ref));
    if (refs_.Get(ref) != m) return nullptr;
    *lock = std::move(l);
    return m;
  }
  Stripe& s = StripeFor(ref);
  std::lock_guard l(s.mu);
  auto it = s.by_ref.find(ref);
  if (it == s.by_ref.end()) return nullptr;
  // Taken before the stripe is released: garbage collection needs this mutex to free it.
  if (lock != nullptr) *lock = std::unique_lock(SeriesMutex(ref));
  return *it;
}

MemSeries* Head::GetOrCreate(const labels::Labels& lset, uint64_t ref_hint,
                             std::unique_lock<std::mutex>* lock, bool* created) {
  const uint64_t hash = lset.Hash();
  Stripe& hs = StripeFor(hash);
  MemSeries* owned = nullptr;
  {
    std::lock_guard l(hs.mu);
    MemSeries* m = FindInStripe(hs, lset, hash);
    if (m == nullptr) {
      const uint64_t ref = ref_hint != 0 ? ref_hint : last_ref_.fetch_add(1) + 1;
      std::vector<InternedLabel> interned;
      interned.reserve(lset.size());
      for (const labels::Label& l : lset) {
        interned.emplace_back(interner_.Intern(l.name), interner_.Intern(l.value));
      }
      owned = pool_.New(ref, std::move(interned));
      m = owned;
      hs.by_labels.insert(m);
    }
    *created = owned != nullptr;
    if (owned == nullptr) {
      if (lock != nullptr) *lock = std::unique_lock(SeriesMutex(m->ref()));
      return m;
    }
  }
  // Not yet in the ref map: nobody else can know this ref, and garbage collection walks the
  // ref map, so the series is safe between the two stripes.
  MemSeries* m = owned;
  {
    Stripe& rs = StripeFor(m->ref());
    std::lock_guard l(rs.mu);
    rs.by_ref.insert(m);
  }
  refs_.Set(m->ref(), m);
  postings_.Add(m->ref(), m->interned_labels());
  num_series_.fetch_add(1, std::memory_order_relaxed);
  metrics_->series_created.Inc();
  metrics_->series.Inc();
  if (lock != nullptr) *lock = std::unique_lock(SeriesMutex(m->ref()));
  return m;
}

void Head::UpdateTimeBounds(int64_t mint, int64_t maxt) {
  int64_t cur = min_time_.load(std::memory_order_relaxed);
  while (mint < cur && !min_time_.compare_exchange_weak(cur, mint)) {
  }
  cur = max_time_.load(std::memory_order_relaxed);
  while (maxt > cur && !max_time_.compare_exchange_weak(cur, maxt)) {
  }
  metrics_->min_time.Set(static_cast<double>(min_time()));
  metrics_->max_time.Set(static_cast<double>(max_time()));
}

bool Head::SeriesChunks(uint64_t ref, int64_t mint, int64_t maxt, ChunkSeries* out,
                        std::vector<tombstones::Interval>* deleted) const {
  {
    Stripe& s = StripeFor(ref);
    std::lock_guard l(s.mu);
    auto it = s.by_ref.find(ref);
    if (it == s.by_ref.end()) return false;
    std::lock_guard sl(SeriesMutex(ref));
    out->labels = (*it)->Labels();
    (*it)->Chunks(mint, maxt, *chunks_, out);
  }
  absl::MutexLock l(&tombstones_mu_);
  if (const auto* ivs = tombstones_.Get(ref); ivs != nullptr) *deleted = *ivs;
  return true;
}

bool Head::SeriesLabels(uint64_t ref, labels::Labels* out) const {
  Stripe& s = StripeFor(ref);
  std::lock_guard l(s.mu);
  auto it = s.by_ref.find(ref);
  if (it == s.by_ref.end()) return false;
  *out = (*it)->Labels();
  return true;
}

bool Head::HasSeries(uint64_t ref) const { return GetByRef(ref, nullptr) != nullptr; }

void Head::WithConsistentView(const std::function<void()>& fn) const {
  std::unique_lock l(visibility_mu_);
  fn();
}

absl::Status Head::Delete(const std::vector<uint64_t>& refs, int64_t mint, int64_t maxt) {
  std::vector<record::Stone> stones;
  for (uint64_t ref : refs) stones.push_back({ref, {mint, maxt}});
  if (opts_.log && !stones.empty()) {
    std::string rec;
    record::EncodeTombstones(stones, &rec);
    RETURN_IF_ERROR(opts_.log({&rec, 1}));
  }
  absl::MutexLock l(&tombstones_mu_);
  for (const record::Stone& s : stones) tombstones_.Add(s.ref, s.interval);
  return absl::OkStatus();
}

size_t Head::NumChunks() const {
  size_t n = 0;
  for (int j = 0; j < opts_.stripes; ++j) {
    const Stripe& st = stripes_[j];
    std::lock_guard l(st.mu);
    for (const MemSeries* m : st.by_ref) {
      std::lock_guard sl(SeriesMutex(m->ref()));
      n += m->num_chunks();
    }
  }
  return n;
}

void Head::Truncate(int64_t mint) {
  metrics_->truncations.Inc();
  SetMinValidTime(std::max(min_valid_time_.load(), mint));
  std::vector<MemSeries*> dead;
  int64_t new_min = std::numeric_limits<int64_t>::max();
  for (int j = 0; j < opts_.stripes; ++j) {
    Stripe& rs = stripes_[j];
    std::lock_guard l(rs.mu);
    for (auto it = rs.by_ref.begin(); it != rs.by_ref.end();) {
      MemSeries* m = *it;
      bool removable;
      {
        std::lock_guard sl(SeriesMutex(m->ref()));
        m->TruncateBefore(mint, *chunks_);
        removable = m->empty() && m->pending().pins == 0;
        if (removable) refs_.Set(m->ref(), nullptr);  // see GetByRef
        if (!m->empty()) new_min = std::min(new_min, m->min_time(*chunks_));
      }
      if (!removable) {
        ++it;
        continue;
      }
      Stripe& hs = StripeFor(m->LabelsHash());
      // Lock order: ref stripe, then hash stripe (creation never nests them).
      if (&hs != &rs) hs.mu.lock();
      hs.by_labels.erase(m);
      if (&hs != &rs) hs.mu.unlock();
      dead.push_back(m);
      rs.by_ref.erase(it++);
    }
  }
  std::vector<std::pair<uint64_t, const std::vector<InternedLabel>*>> gone;
  gone.reserve(dead.size());
  for (const MemSeries* m : dead) gone.emplace_back(m->ref(), &m->interned_labels());
  postings_.Delete(gone);
  if (absl::Status st = chunks_->Truncate(mint); !st.ok()) {
    log::Error("Removing old head chunk files failed", {{"err", st.ToString()}});
  }
  {
    absl::MutexLock l(&tombstones_mu_);
    tombstones::Tombstones kept;
    for (const auto& [ref, ivs] : tombstones_.all()) {
      if (!HasSeries(ref)) continue;
      for (const tombstones::Interval& iv : ivs) {
        if (iv.max_time >= mint) kept.Add(ref, iv);
      }
    }
    tombstones_ = std::move(kept);
  }
  for (MemSeries* m : dead) {
    for (const auto& [n, v] : m->interned_labels()) {
      interner_.Release(n);
      interner_.Release(v);
    }
    pool_.Delete(m);
  }
  num_series_.fetch_sub(dead.size(), std::memory_order_relaxed);
  metrics_->series_removed.Add(static_cast<double>(dead.size()));
  metrics_->series.Set(static_cast<double>(num_series()));
  // The head's time range now starts at its oldest remaining sample.
  if (new_min == std::numeric_limits<int64_t>::max()) {
    min_time_.store(std::numeric_limits<int64_t>::max());
    max_time_.store(std::numeric_limits<int64_t>::min());
  } else {
    min_time_.store(std::max(new_min, mint));
  }
  UpdateTimeBounds(min_time(), max_time());
}

uint64_t Head::ReplaySeries(uint64_t ref, const labels::Labels& lset) {
  bool created;
  MemSeries* m = GetOrCreate(lset, ref, nullptr, &created);
  uint64_t last = last_ref_.load();
  while (ref > last && !last_ref_.compare_exchange_weak(last, ref)) {
  }
  // Refs are dense from 1; beyond this a (corrupt or odd) ref falls back to the hash lookup.
  constexpr uint64_t kMaxCachedRef = uint64_t{1} << 28;
  if (ref < kMaxCachedRef) {
    if (ref >= replay_cache_.size())
      replay_cache_.resize(std::max<size_t>(ref + 1, replay_cache_.size() * 2));
    replay_cache_[ref] = m;
  }
  return m->ref();
}

size_t Head::ReplaySamples(absl::Span<const record::RefSample> samples, uint64_t shard,
                           uint64_t num_shards) {
  auto lookup = [this](uint64_t ref) -> MemSeries* {
    if (ref < replay_cache_.size() && replay_cache_[ref] != nullptr) return replay_cache_[ref];
    return GetByRef(ref, nullptr);
  };
  // Samples between prefetching a series, prefetching its chunk, and appending.
  constexpr size_t kSeriesAhead = 16, kChunkAhead = 8;
  auto cached = [this, &samples, shard, num_shards](size_t i) -> const MemSeries* {
    if (i >= samples.size() || samples[i].ref % num_shards != shard) return nullptr;
    const uint64_t r = samples[i].ref;
    return r < replay_cache_.size() ? replay_cache_[r] : nullptr;
  };
  size_t dropped = 0;
  int64_t mint = std::numeric_limits<int64_t>::max(), maxt = std::numeric_limits<int64_t>::min();
  for (size_t i = 0; i < samples.size(); ++i) {
    if (const MemSeries* p = cached(i + kSeriesAhead); p != nullptr) p->PrefetchSeries();
    if (const MemSeries* p = cached(i + kChunkAhead); p != nullptr) p->PrefetchChunk();
    const record::RefSample& s = samples[i];
    if (s.ref % num_shards != shard) continue;
    MemSeries* m = lookup(s.ref);
    // No series mutex: replay owns the head, and each series belongs to one shard.
    if (m == nullptr || !m->Append(s.t, s.v, opts_.chunk_range, *chunks_)) {
      ++dropped;
      continue;
    }
    mint = std::min(mint, s.t);
    maxt = std::max(maxt, s.t);
  }
  if (maxt >= mint) UpdateTimeBounds(mint, maxt);
  return dropped;
}

void Head::ReplayTombstone(uint64_t ref, tombstones::Interval iv) {
  absl::MutexLock l(&tombstones_mu_);
  tombstones_.Add(ref, iv);
}

}  // namespace argus::tsdb::head
