#include "promql/engine.h"

#include <atomic>
#include <cmath>
#include <thread>

#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace argus::promql {
namespace {

using ::testing::HasSubstr;

// An in-memory storage: series with their samples; optionally blocks in NewQuerier until
// `release` is notified, to hold a query inside the engine.
class FakeStorage : public storage::Queryable {
 public:
  struct Data {
    labels::Labels lset;
    std::vector<FPoint> points;
  };

  void Add(labels::Labels lset, std::vector<FPoint> points) {
    series_.push_back({std::move(lset), std::move(points)});
  }

  absl::StatusOr<std::unique_ptr<storage::Querier>> NewQuerier(int64_t, int64_t) override {
    entered.fetch_add(1);
    if (block != nullptr) block->WaitForNotification();
    if (sleep > absl::ZeroDuration()) absl::SleepFor(sleep);
    return std::make_unique<Querier>(series_);
  }

  absl::Notification* block = nullptr;
  absl::Duration sleep = absl::ZeroDuration();
  std::atomic<int> entered{0};

 private:
  class Iterator : public storage::SampleIterator {
   public:
    Iterator(const std::vector<FPoint>& p, int64_t mint, int64_t maxt)
        : p_(p), mint_(mint), maxt_(maxt) {}
    bool Next() override {
      ++i_;
      while (i_ < p_.size() && p_[i_].t < mint_) ++i_;
      return i_ < p_.size() && p_[i_].t <= maxt_;
    }
    bool Seek(int64_t t) override {
      if (i_ == static_cast<size_t>(-1)) ++i_;
      while (i_ < p_.size() && (p_[i_].t < t || p_[i_].t < mint_)) ++i_;
      return i_ < p_.size() && p_[i_].t <= maxt_;
    }
    int64_t t() const override { return p_[i_].t; }
    double v() const override { return p_[i_].v; }
    absl::Status status() const override { return absl::OkStatus(); }

   private:
    const std::vector<FPoint>& p_;
    int64_t mint_, maxt_;
    size_t i_ = static_cast<size_t>(-1);
  };

  class OneSeries : public storage::Series {
   public:
    OneSeries(const Data* d, int64_t mint, int64_t maxt) : d_(d), mint_(mint), maxt_(maxt) {}
    const labels::Labels& labels() const override { return d_->lset; }
    std::unique_ptr<storage::SampleIterator> Iterator() const override {
      return std::make_unique<FakeStorage::Iterator>(d_->points, mint_, maxt_);
    }

   private:
    const Data* d_;
    int64_t mint_, maxt_;
  };

  class Set : public storage::SeriesSet {
   public:
    Set(std::vector<const Data*> matched, int64_t mint, int64_t maxt)
        : matched_(std::move(matched)), mint_(mint), maxt_(maxt) {}
    bool Next() override {
      if (next_ >= matched_.size()) return false;
      cur_ = std::make_unique<OneSeries>(matched_[next_++], mint_, maxt_);
      return true;
    }
    const storage::Series& At() const override { return *cur_; }
    absl::Status status() const override { return absl::OkStatus(); }

   private:
    std::vector<const Data*> matched_;
    int64_t mint_, maxt_;
    size_t next_ = 0;
    std::unique_ptr<OneSeries> cur_;
  };

  class Querier : public storage::Querier {
   public:
    explicit Querier(const std::vector<Data>& series) : series_(series) {}
    std::unique_ptr<storage::SeriesSet> Select(
        bool, const storage::SelectHints& hints,
        const std::vector<labels::Matcher>& matchers) override {
      std::vector<const Data*> matched;
      for (const Data& d : series_) {
        if (labels::MatchesAll(matchers, d.lset)) matched.push_back(&d);
      }
      std::sort(matched.begin(), matched.end(),
                [](const Data* a, const Data* b) { return a->lset < b->lset; });
      return std::make_unique<Set>(std::move(matched), hints.start, hints.end);
    }
    absl::StatusOr<std::vector<std::string>> LabelValues(
        const std::string&, const std::vector<labels::Matcher>&) override {
      return std::vector<std::string>{};
    }
    absl::StatusOr<std::vector<std::string>> LabelNames(
        const std::vector<labels::Matcher>&) override {
      return std::vector<std::string>{};
    }

   private:
    const std::vector<Data>& series_;
  };

  std::vector<Data> series_;
};

constexpr int64_t kMin = 60'000;

// `n` series x{i="0"}..x{i="n-1"} with a sample every minute from 0 to 60m of value i*t/1m.
void AddSeries(FakeStorage& s, int n, absl::string_view name = "x") {
  for (int i = 0; i < n; ++i) {
    std::vector<FPoint> pts;
    for (int64_t t = 0; t <= 60 * kMin; t += kMin) pts.push_back({t, double(i) * (t / kMin)});
    s.Add(labels::Labels{{"__name__", std::string(name)}, {"i", std::to_string(i)}},
          std::move(pts));
  }
}

QueryParams Instant(int64_t t) { return {t, t, 0, {}}; }

TEST(EngineTest, MaxSamplesIsResourceExhausted) {
  FakeStorage s;
  AddSeries(s, 10);
  EngineOptions opts;
  opts.max_samples = 9;
  Engine small(opts);
  auto r = small.Query(s, "x", Instant(30 * kMin));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kResourceExhausted);
  EXPECT_EQ(r.status().message(),
            "query processing would load too many samples into memory in query execution");

  opts.max_samples = 10;
  Engine enough(opts);
  auto ok = enough.Query(s, "x", Instant(30 * kMin));
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ(std::get<Vector>(ok->value).size(), 10u);

  // A 10m window holds 11 samples per series: the range function's window counts.
  auto window = enough.Query(s, "sum(rate(x[10m]))", Instant(30 * kMin));
  ASSERT_FALSE(window.ok());
  EXPECT_EQ(window.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(EngineTest, TimeoutIsDeadlineExceeded) {
  FakeStorage s;
  AddSeries(s, 1);
  s.sleep = absl::Milliseconds(100);
  EngineOptions opts;
  opts.timeout = absl::Milliseconds(20);
  Engine engine(opts);
  auto r = engine.Query(s, "x", Instant(0));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(r.status().message(), "query timed out in expression evaluation");
}

TEST(EngineTest, CancellationIsCancelled) {
  FakeStorage s;
  AddSeries(s, 3);
  Engine engine;
  QueryParams p{0, 60 * kMin, kMin, [] { return true; }};
  auto r = engine.Query(s, "sum(x)", p);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(r.status().message(), "query was canceled in expression evaluation");
}

TEST(EngineTest, ConcurrencyGateQueuesQueries) {
  FakeStorage blocking;
  AddSeries(blocking, 1);
  absl::Notification release;
  blocking.block = &release;
  FakeStorage free;
  AddSeries(free, 1);

  EngineOptions opts;
  opts.max_concurrency = 1;
  opts.timeout = absl::Milliseconds(200);
  Engine engine(opts);
  absl::StatusOr<QueryResult> first = absl::UnknownError("not run");
  std::thread t([&] { first = engine.Query(blocking, "x", Instant(0)); });
  while (blocking.entered.load() == 0) absl::SleepFor(absl::Milliseconds(1));

  // The slot is taken: a second query waits in the queue until its timeout...
  auto queued = engine.Query(free, "x", Instant(0));
  ASSERT_FALSE(queued.ok());
  EXPECT_EQ(queued.status().code(), absl::StatusCode::kDeadlineExceeded);
  EXPECT_EQ(queued.status().message(), "query timed out in query queue");
  // ... or until it is cancelled.
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    absl::SleepFor(absl::Milliseconds(20));
    cancel = true;
  });
  auto cancelled = engine.Query(free, "x", {0, 0, 0, [&] { return cancel.load(); }});
  canceller.join();
  ASSERT_FALSE(cancelled.ok());
  EXPECT_EQ(cancelled.status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(cancelled.status().message(), "query was canceled in query queue");

  release.Notify();
  t.join();
  // The first query ran past its own timeout while blocked in the storage.
  EXPECT_EQ(first.status().code(), absl::StatusCode::kDeadlineExceeded);
  // The slot is free again.
  auto after = engine.Query(free, "x", Instant(0));
  EXPECT_TRUE(after.ok()) << after.status();
}

TEST(EngineTest, RangeQueryOfRangeVectorIsInvalid) {
  FakeStorage s;
  AddSeries(s, 1);
  Engine engine;
  auto r = engine.Query(s, "x[5m]", {0, kMin, kMin, {}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().message(),
            "invalid expression type \"range vector\" for range query, must be Scalar or "
            "instant Vector");
}

TEST(EngineTest, LookbackWindowIsClosedAtBothEnds) {
  FakeStorage s;
  s.Add(labels::Labels{{"__name__", "y"}}, {{0, 1}});
  Engine engine;
  auto at_edge = engine.Query(s, "y", Instant(5 * kMin));
  ASSERT_TRUE(at_edge.ok()) << at_edge.status();
  EXPECT_EQ(std::get<Vector>(at_edge->value).size(), 1u);
  auto past = engine.Query(s, "y", Instant(5 * kMin + 1));
  ASSERT_TRUE(past.ok()) << past.status();
  EXPECT_TRUE(std::get<Vector>(past->value).empty());
}

TEST(EngineTest, SubqueryWithoutStepAsksForTheEvaluationInterval) {
  FakeStorage s;
  AddSeries(s, 1);
  int64_t interval = 30'000;
  EngineOptions opts;
  opts.no_step_subquery_interval_ms = [&interval] { return interval; };
  Engine engine(opts);
  auto count_at = [&](int64_t step) {
    interval = step;
    auto r = engine.Query(s, "count_over_time(x[10m:])", Instant(30 * kMin));
    EXPECT_TRUE(r.ok()) << r.status();
    const Vector& v = std::get<Vector>(r->value);
    return v.empty() ? -1.0 : v[0].v;
  };
  EXPECT_EQ(count_at(30'000), 21);   // [20m, 30m] every 30 s
  EXPECT_EQ(count_at(2 * kMin), 6);  // a reload changed the interval: every 2 m
}

TEST(EngineTest, InstantQueryKeepsSortOrderRangeQuerySortsByLabels) {
  FakeStorage s;
  AddSeries(s, 4);
  Engine engine;
  auto desc = engine.Query(s, "sort_desc(x)", Instant(10 * kMin));
  ASSERT_TRUE(desc.ok()) << desc.status();
  const auto& v = std::get<Vector>(desc->value);
  ASSERT_EQ(v.size(), 4u);
  for (size_t i = 0; i < v.size(); ++i) {
    EXPECT_EQ(v[i].metric.Get("i"), std::to_string(3 - i));
    EXPECT_EQ(v[i].t, 10 * kMin);
  }
  auto range = engine.Query(s, "sort_desc(x)", {0, 10 * kMin, kMin, {}});
  ASSERT_TRUE(range.ok()) << range.status();
  const auto& m = std::get<Matrix>(range->value);
  ASSERT_EQ(m.size(), 4u);
  for (size_t i = 0; i < m.size(); ++i) {
    EXPECT_EQ(m[i].metric.Get("i"), std::to_string(i));
    EXPECT_EQ(m[i].points.size(), 11u);
  }
}

TEST(EngineTest, VectorMatchingErrors) {
  FakeStorage s;
  AddSeries(s, 2, "x");
  s.Add(labels::Labels{{"__name__", "y"}, {"i", "0"}, {"j", "a"}}, {{0, 1}});
  s.Add(labels::Labels{{"__name__", "y"}, {"i", "0"}, {"j", "b"}}, {{0, 1}});
  Engine engine;
  auto one_to_one = engine.Query(s, "x + on(i) y", Instant(0));
  ASSERT_FALSE(one_to_one.ok());
  EXPECT_EQ(one_to_one.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(std::string(one_to_one.status().message()),
            "found duplicate series for the match group {i=\"0\"} on the right hand-side of the "
            "operation: [{__name__=\"y\", i=\"0\", j=\"b\"}, {__name__=\"y\", i=\"0\", "
            "j=\"a\"}];many-to-many matching not "
            "allowed: matching labels must be unique on one side");
  auto many_to_one = engine.Query(s, "y + on(i) x", Instant(0));
  ASSERT_FALSE(many_to_one.ok());
  EXPECT_EQ(many_to_one.status().message(),
            "multiple matches for labels: many-to-one matching must be explicit "
            "(group_left/group_right)");
  auto grouped = engine.Query(s, "y + on(i) group_left x", Instant(0));
  ASSERT_TRUE(grouped.ok()) << grouped.status();
  EXPECT_EQ(std::get<Vector>(grouped->value).size(), 2u);
  auto same = engine.Query(s, "label_replace(x, \"i\", \"same\", \"\", \"\")", Instant(0));
  ASSERT_FALSE(same.ok());
  EXPECT_EQ(same.status().message(), "vector cannot contain metrics with the same labelset");
}

}  // namespace
}  // namespace argus::promql
