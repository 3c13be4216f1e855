#include "scrape/scraper.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/fnv.h"
#include "base/logging.h"

namespace argus::scrape {

struct Scraper::Loop {
  TargetSpec spec;
  std::string key;
  absl::Time next;
  bool in_flight = false;  // a scrape is being fetched or appended
  bool stopped = false;    // removed by Sync: mark stale once idle
  TargetHealth health;
  ScrapeCache cache;  // used by the one scrape in flight only
  size_t last_body_size = 0;
  size_t last_samples = 0;  // appended by the last scrape
};

namespace {

int64_t Ms(absl::Time t) { return absl::ToUnixMillis(t); }

// Prometheus's Target.offset: the first scrape's delay, pinned to absolute time so that a
// target keeps its phase across restarts.
absl::Duration FirstDelay(const TargetSpec& t, uint64_t seed, absl::Time now) {
  const int64_t interval = absl::ToInt64Nanoseconds(t.interval);
  if (interval <= 0) return absl::ZeroDuration();
  const uint64_t hash =
      Fnv1a64(absl::StrCat(absl::StrFormat("%016d", t.labels.Hash()), t.request.url));
  const int64_t base = interval - absl::ToUnixNanos(now) % interval;
  int64_t next = base + static_cast<int64_t>((hash ^ seed) % static_cast<uint64_t>(interval));
  if (next > interval) next -= interval;
  return absl::Nanoseconds(next);
}

// Prometheus's timeLimitAppender: samples more than 10 minutes ahead of the scrape are refused
// as out of bounds (skipped and counted like other refusals), so a target with a wrong clock
// cannot write far into the future.
class TimeLimitAppender : public storage::Appender {
 public:
  TimeLimitAppender(std::unique_ptr<storage::Appender> app, int64_t max_t)
      : app_(std::move(app)), max_t_(max_t) {}
  absl::StatusOr<storage::SeriesRef> Append(storage::SeriesRef ref, const labels::Labels& lset,
                                            int64_t t, double v) override {
    if (t > max_t_) return absl::OutOfRangeError("out of bounds");
    return app_->Append(ref, lset, t, v);
  }
  void ExpectSamples(size_t n) override { app_->ExpectSamples(n); }
  absl::Status Commit() override { return app_->Commit(); }
  absl::Status Rollback() override { return app_->Rollback(); }

 private:
  std::unique_ptr<storage::Appender> app_;
  const int64_t max_t_;
};

constexpr absl::Duration kMaxAhead = absl::Minutes(10);
// Prometheus's ScrapeTimestampTolerance: a scrape that starts this close to its tick is
// stamped with the tick, so timestamps stay evenly spaced and compress better.
constexpr absl::Duration kTimestampTolerance = absl::Milliseconds(2);

}  // namespace

Scraper::Scraper(AppenderFactory appender, uint64_t jitter_seed, int workers)
    : appender_(std::move(appender)),
      jitter_seed_(jitter_seed),
      fetcher_(std::make_unique<Fetcher>()) {
  scheduler_ = std::thread([this] { Schedule(); });
  for (int i = 0; i < std::max(1, workers); ++i) workers_.emplace_back([this] { Work(); });
}

Scraper::~Scraper() {
  {
    std::lock_guard l(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  work_cv_.notify_all();
  scheduler_.join();
  fetcher_.reset();  // cancels fetches in flight; their results are dropped
  for (auto& w : workers_) w.join();
}

std::string Scraper::Key(const TargetSpec& t) {
  return absl::StrCat(t.labels.ToString(), " ", t.request.url);
}

void Scraper::Sync(std::vector<TargetSpec> targets) {
  const absl::Time now = absl::Now();
  std::map<std::string, TargetSpec> want;
  for (TargetSpec& t : targets) want.emplace(Key(t), std::move(t));
  std::lock_guard l(mu_);
  for (auto it = loops_.begin(); it != loops_.end();) {
    auto w = want.find(it->first);
    if (w != want.end()) {
      // Same target: keep the loop and its cache (no staleness in between), take the new
      // options; a new interval re-phases the next scrape.
      Loop& cur = *it->second;
      if (w->second.interval != cur.spec.interval && !cur.in_flight) {
        cur.next = now + FirstDelay(w->second, jitter_seed_, now);
      }
      cur.spec = std::move(w->second);
      want.erase(w);
      ++it;
      continue;
    }
    std::shared_ptr<Loop> gone = it->second;
    gone->stopped = true;
    if (!gone->in_flight) {
      gone->in_flight = true;
      work_.push_back([this, gone, now] { MarkStale(*gone, now); });
    }
    it = loops_.erase(it);
  }
  for (auto& [key, spec] : want) {
    auto loop = std::make_shared<Loop>();
    loop->next = now + FirstDelay(spec, jitter_seed_, now);
    loop->spec = std::move(spec);
    loop->key = key;
    loops_.emplace(key, std::move(loop));
  }
  cv_.notify_all();
  work_cv_.notify_all();
}

std::vector<Scraper::TargetStatus> Scraper::Targets() const {
  std::lock_guard l(mu_);
  std::vector<TargetStatus> out;
  for (const auto& [key, loop] : loops_) {
    out.push_back({loop->spec, loop->health, loop->cache.shared_metadata()});
  }
  return out;
}

void Scraper::Schedule() {
  std::unique_lock l(mu_);
  while (!stopping_) {
    const absl::Time now = absl::Now();
    absl::Time wake = now + absl::Seconds(1);
    for (auto& [key, loop] : loops_) {
      if (!loop->in_flight && loop->next <= now) {
        loop->in_flight = true;
        const absl::Time start = now - loop->next <= kTimestampTolerance &&
                                         loop->spec.interval > 100 * kTimestampTolerance
                                     ? loop->next
                                     : now;
        // Missed intervals are skipped, not caught up.
        while (loop->next <= now) loop->next += loop->spec.interval;
        std::shared_ptr<Loop> self = loop;
        if (!loop->spec.forced_error.ok()) {
          FetchResult failed;
          failed.status = loop->spec.forced_error;
          OnFetchedLocked(self, start, std::move(failed));
        } else {
          FetchRequest req = loop->spec.request;
          req.body_size_hint = loop->last_body_size;
          fetcher_->Fetch(std::move(req), [this, self, start](FetchResult r) {
            OnFetched(self, start, std::move(r));
          });
        }
      }
      if (!loop->in_flight) wake = std::min(wake, loop->next);
    }
    cv_.wait_until(l, absl::ToChronoTime(wake));
  }
}

void Scraper::OnFetched(const std::shared_ptr<Loop>& loop, absl::Time start, FetchResult r) {
  std::lock_guard l(mu_);
  OnFetchedLocked(loop, start, std::move(r));
}

void Scraper::OnFetchedLocked(const std::shared_ptr<Loop>& loop, absl::Time start, FetchResult r) {
  const absl::Duration took = absl::Now() - start;
  if (stopping_) return;
  work_.push_back([this, loop, start, took, r = std::move(r)] {
    bool stopped;
    AppendOptions append;  // Sync may replace the loop's options meanwhile
    {
      std::lock_guard l(mu_);
      stopped = loop->stopped;
      append = loop->spec.append;
    }
    if (stopped) {
      MarkStale(*loop, start);
      return;
    }
    const int64_t t = Ms(start);
    std::unique_ptr<storage::Appender> app =
        std::make_unique<TimeLimitAppender>(appender_(), Ms(absl::Now() + kMaxAhead));
    app->ExpectSamples(loop->last_samples + 8);  // the body's, plus the synthetic series
    AppendCounts counts;
    absl::Status err = r.status;
    if (err.ok()) err = AppendScrape(r.body, r.content_type, t, append, loop->cache, *app, &counts);
    if (!err.ok()) {
      // Nothing of a failed scrape is kept; its series are marked stale instead.
      app->Rollback().IgnoreError();
      AppendCounts none;
      if (absl::Status st = AppendScrape("", "", t, append, loop->cache, *app, &none); !st.ok()) {
        log::Warn("Marking a failed target's series stale failed", {{"err", st.ToString()}});
      }
    }
    absl::Status st = ReportScrape(loop->spec.labels, t, took, counts, err, loop->cache, *app);
    if (st.ok()) st = app->Commit();
    if (!st.ok()) {
      app->Rollback().IgnoreError();
      log::Warn("Appending scrape results failed",
                {{"target", loop->spec.request.url}, {"err", st.ToString()}});
    }
    std::lock_guard l(mu_);
    loop->health.state = err.ok() ? TargetHealth::State::kUp : TargetHealth::State::kDown;
    loop->health.last_scrape = start;
    loop->health.last_duration = took;
    loop->last_body_size = r.body.size();
    loop->last_samples = counts.added;
    loop->health.last_error = err.ok() ? "" : std::string(err.message());
    if (loop->stopped) {
      work_.push_back([this, loop] { MarkStale(*loop, absl::Now()); });
      work_cv_.notify_one();
    } else {
      loop->in_flight = false;
      cv_.notify_all();
    }
  });
  work_cv_.notify_one();
}

void Scraper::MarkStale(Loop& loop, absl::Time t) {
  std::unique_ptr<storage::Appender> app = appender_();
  AppendCounts none;
  absl::Status st = AppendScrape("", "", Ms(t), loop.spec.append, loop.cache, *app, &none);
  if (st.ok()) st = ReportStale(loop.spec.labels, Ms(t), loop.cache, *app);
  if (st.ok()) st = app->Commit();
  if (!st.ok()) {
    app->Rollback().IgnoreError();
    log::Warn("Marking a stopped target's series stale failed",
              {{"target", loop.spec.request.url}, {"err", st.ToString()}});
  }
}

void Scraper::Work() {
  std::unique_lock l(mu_);
  for (;;) {
    work_cv_.wait(l, [this] { return stopping_ || !work_.empty(); });
    if (stopping_) return;
    std::function<void()> job = std::move(work_.front());
    work_.pop_front();
    l.unlock();
    job();
    l.lock();
  }
}

}  // namespace argus::scrape
