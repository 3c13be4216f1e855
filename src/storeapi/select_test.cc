#include "storeapi/select.h"

#include <algorithm>
#include <limits>
#include <map>

#include "base/status.h"
#include "gtest/gtest.h"

namespace argus::storeapi {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

labels::Matcher M(labels::MatchType t, std::string n, std::string v) {
  return *labels::Matcher::Create(t, std::move(n), std::move(v));
}

// A source of fixed series (one empty chunk view each) that records what it was asked.
class FakeSource : public SeriesSource {
 public:
  explicit FakeSource(std::vector<labels::Labels> series, absl::Status fail = absl::OkStatus())
      : series_(std::move(series)), fail_(std::move(fail)) {}
  absl::StatusOr<std::vector<tsdb::ChunkSeries>> Select(const SelectParams& p,
                                                        QueryBudget* budget) override {
    asked = p.matchers;
    if (!fail_.ok()) return fail_;
    std::vector<tsdb::ChunkSeries> out;
    for (const labels::Labels& l : series_) {
      if (labels::MatchesAll(p.matchers, l)) out.push_back({l, {{p.min_time, p.min_time, ""}}, {}});
    }
    if (absl::Status s = budget->AddSeries(out.size()); !s.ok()) return s;
    return out;
  }
  absl::StatusOr<std::vector<std::string>> LabelNames(
      int64_t, int64_t, const std::vector<labels::Matcher>&) override {
    if (!fail_.ok()) return fail_;
    return std::vector<std::string>{"__name__", "job"};
  }
  absl::StatusOr<std::vector<std::string>> LabelValues(
      const std::string&, int64_t, int64_t, const std::vector<labels::Matcher>&) override {
    if (!fail_.ok()) return fail_;
    return std::vector<std::string>{"a"};
  }
  std::vector<labels::Matcher> asked;

 private:
  std::vector<labels::Labels> series_;
  absl::Status fail_;
};

// A source that streams its series one at a time (as the TSDB does), failing after
// `fail_after` of them when `fail` is set, and knows which labels its series have.
class StreamingSource : public FakeSource {
 public:
  StreamingSource(std::vector<labels::Labels> series, absl::Status fail = absl::OkStatus(),
                  size_t fail_after = 0)
      : FakeSource(series), series_(std::move(series)), fail_(fail), fail_after_(fail_after) {}
  absl::Status Stream(const SelectParams& p, QueryBudget*,
                      const tsdb::ChunkSeriesSink& sink) override {
    for (const labels::Labels& l : series_) {
      if (!fail_.ok() && emitted == fail_after_) return fail_;
      ++emitted;
      RETURN_IF_ERROR(sink({l, {{p.min_time, p.min_time, ""}}, {}}));
    }
    return fail_;
  }
  bool MayHaveLabel(const std::string& name) const override {
    return std::any_of(series_.begin(), series_.end(),
                       [&](const labels::Labels& l) { return l.Has(name); });
  }
  size_t emitted = 0;  // series handed to the sink so far

 private:
  std::vector<labels::Labels> series_;
  absl::Status fail_;
  size_t fail_after_;
};

class FakeStore : public Store {
 public:
  ComponentType type() const override { return ComponentType::kStore; }
  std::vector<SourceRef> Sources() const override { return sources; }
  bool RequiresMatchers() const override { return requires_matchers; }
  std::vector<SourceRef> sources;
  bool requires_matchers = false;
};

Request All() {
  Request r;
  r.min_time = 0;
  r.max_time = 1000;
  r.matchers = {M(labels::MatchType::kEqual, "__name__", "up")};
  return r;
}

TEST(SelectSeries, ExternalLabelsMatchedStrippedAndOverriding) {
  auto a = std::make_shared<FakeSource>(
      std::vector<labels::Labels>{{{"__name__", "up"}, {"cluster", "own"}, {"job", "x"}}});
  auto b =
      std::make_shared<FakeSource>(std::vector<labels::Labels>{{{"__name__", "up"}, {"job", "y"}}});
  FakeStore store;
  store.sources = {{a, {{"cluster", "eu"}}, 0, kMax, "a"}, {b, {{"cluster", "us"}}, 0, kMax, "b"}};
  Request r = All();
  r.matchers.push_back(M(labels::MatchType::kRegexMatch, "cluster", "e.*"));
  QueryBudget budget({});
  absl::StatusOr<SeriesAnswer> got = SelectSeries(store, r, false, &budget);
  ASSERT_TRUE(got.ok()) << got.status();
  ASSERT_EQ(got->series.size(), 1u);
  EXPECT_EQ(got->series[0].labels.ToString(), R"({__name__="up", cluster="eu", job="x"})");
  EXPECT_EQ(a->asked.size(), 1u);  // the cluster matcher was answered by the external label
  EXPECT_TRUE(b->asked.empty());   // b was never asked
}

TEST(SelectSeries, MergesAcrossSourcesInLabelOrder) {
  auto a = std::make_shared<FakeSource>(std::vector<labels::Labels>{
      {{"__name__", "up"}, {"job", "b"}}, {{"__name__", "up"}, {"job", "d"}}});
  auto b = std::make_shared<FakeSource>(std::vector<labels::Labels>{
      {{"__name__", "up"}, {"job", "a"}}, {{"__name__", "up"}, {"job", "b"}}});
  FakeStore store;
  store.sources = {{a, {{"c", "1"}}, 0, 10, "a"}, {b, {{"c", "1"}}, 11, 20, "b"}};
  QueryBudget budget({});
  absl::StatusOr<SeriesAnswer> got = SelectSeries(store, All(), false, &budget);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->series.size(), 3u);
  EXPECT_EQ(got->series[0].labels.Get("job"), "a");
  EXPECT_EQ(got->series[1].labels.Get("job"), "b");
  EXPECT_EQ(got->series[1].chunks.size(), 2u);  // one from each source
  EXPECT_EQ(got->series[2].labels.Get("job"), "d");
}

TEST(SelectSeries, ReplicaLabelsRemovedAndResorted) {
  auto a = std::make_shared<FakeSource>(
      std::vector<labels::Labels>{{{"__name__", "up"}, {"job", "a"}, {"replica", "2"}},
                                  {{"__name__", "up"}, {"job", "b"}, {"replica", "1"}}});
  FakeStore store;
  store.sources = {{a, {{"zone", "z"}}, 0, kMax, "a"}};
  Request r = All();
  r.without_replica_labels = {"replica", "zone"};
  QueryBudget budget({});
  absl::StatusOr<SeriesAnswer> got = SelectSeries(store, r, false, &budget);
  ASSERT_TRUE(got.ok());
  ASSERT_EQ(got->series.size(), 2u);
  EXPECT_EQ(got->series[0].labels.ToString(), R"({__name__="up", job="a"})");
}

TEST(SelectSeries, FailuresAreWarningsUnlessAbortOrBudget) {
  auto bad = std::make_shared<FakeSource>(std::vector<labels::Labels>{},
                                          absl::DataLossError("corrupt index"));
  auto good =
      std::make_shared<FakeSource>(std::vector<labels::Labels>{{{"__name__", "up"}, {"job", "x"}}});
  FakeStore store;
  store.sources = {{bad, {}, 0, kMax, "block 01A"}, {good, {}, 0, kMax, "block 01B"}};
  QueryBudget budget({});
  absl::StatusOr<SeriesAnswer> got = SelectSeries(store, All(), false, &budget);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->series.size(), 1u);
  ASSERT_EQ(got->warnings.size(), 1u);
  EXPECT_EQ(got->warnings[0], "block 01A: corrupt index");

  Request abort = All();
  abort.abort_on_partial = true;
  got = SelectSeries(store, abort, false, &budget);
  EXPECT_EQ(got.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(got.status().message().find("block 01A"), std::string::npos);

  store.sources = {{good, {}, 0, kMax, "g1"}, {good, {{"x", "1"}}, 0, kMax, "g2"}};
  QueryBudget limited({.series = 1});
  got = SelectSeries(store, All(), false, &limited);
  EXPECT_EQ(got.status().code(), absl::StatusCode::kResourceExhausted);
}

TEST(SelectSeries, SidecarRefusesWhenOnlyExternalMatchersAreLeft) {
  auto a = std::make_shared<FakeSource>(std::vector<labels::Labels>{});
  FakeStore store;
  store.sources = {{a, {{"cluster", "eu"}}, 0, kMax, "a"}};
  Request r;
  r.max_time = 10;
  r.matchers = {M(labels::MatchType::kEqual, "cluster", "eu")};
  QueryBudget budget({});
  store.requires_matchers = true;
  absl::StatusOr<SeriesAnswer> got = SelectSeries(store, r, false, &budget);
  EXPECT_EQ(got.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(got.status().message(), "no matchers specified (excluding external labels)");
  store.requires_matchers = false;  // a store gateway selects every series then
  EXPECT_TRUE(SelectSeries(store, r, false, &budget).ok());
}

Request AllNames() {
  Request r = All();
  r.matchers = {M(labels::MatchType::kRegexMatch, "__name__", ".+")};
  return r;
}

std::vector<std::string> Streamed(const Store& store, const Request& r, StreamingSource* src,
                                  std::vector<size_t>* emitted_when_sent = nullptr,
                                  std::vector<std::string>* warnings = nullptr,
                                  absl::Status* status = nullptr) {
  std::vector<std::string> got;
  QueryBudget budget({});
  absl::StatusOr<std::vector<std::string>> w =
      StreamSeries(store, r, false, &budget, [&](tsdb::ChunkSeries s) {
        got.push_back(s.labels.ToString());
        if (emitted_when_sent != nullptr) emitted_when_sent->push_back(src->emitted);
        return absl::OkStatus();
      });
  if (status != nullptr) *status = w.status();
  if (w.ok() && warnings != nullptr) *warnings = *w;
  return got;
}

TEST(StreamSeries, OneSourceStreamsInTheOrderExternalLabelsMake) {
  // {a="1"} sorts after {} on its own, before it once cluster="c" is added to both ("a" <
  // "cluster"); series that extend no other are sent as the next one arrives.
  auto src =
      std::make_shared<StreamingSource>(std::vector<labels::Labels>{{{"__name__", "m"}},
                                                                    {{"__name__", "m"}, {"a", "1"}},
                                                                    {{"__name__", "m"}, {"a", "2"}},
                                                                    {{"__name__", "n"}, {"b", "1"}},
                                                                    {{"__name__", "n"}, {"b", "2"}},
                                                                    {{"__name__", "o"}}});
  FakeStore store;
  store.sources = {{src, {{"cluster", "c"}}, 0, kMax, "tsdb"}};
  std::vector<size_t> emitted;
  EXPECT_EQ(Streamed(store, AllNames(), src.get(), &emitted),
            (std::vector<std::string>{
                R"({__name__="m", a="1", cluster="c"})", R"({__name__="m", a="2", cluster="c"})",
                R"({__name__="m", cluster="c"})", R"({__name__="n", b="1", cluster="c"})",
                R"({__name__="n", b="2", cluster="c"})", R"({__name__="o", cluster="c"})"}));
  // Sent while the source was still reading: the m series once n's first arrived, and so on.
  EXPECT_EQ(emitted, (std::vector<size_t>{4, 4, 4, 5, 6, 6}));
  EXPECT_TRUE(src->asked.empty());  // streamed: Select was not called

  // A source whose series may carry an external label's name (which then overrides) is
  // selected whole and sorted: the same answer as SelectSeries.
  auto own = std::make_shared<StreamingSource>(std::vector<labels::Labels>{
      {{"__name__", "m"}, {"cluster", "x"}, {"z", "1"}}, {{"__name__", "m"}, {"z", "0"}}});
  store.sources = {{own, {{"cluster", "c"}}, 0, kMax, "tsdb"}};
  EXPECT_EQ(Streamed(store, AllNames(), own.get()),
            (std::vector<std::string>{R"({__name__="m", cluster="c", z="0"})",
                                      R"({__name__="m", cluster="c", z="1"})"}));
  EXPECT_FALSE(own->asked.empty());
}

TEST(StreamSeries, LimitStopsTheSource) {
  std::vector<labels::Labels> many;
  for (int i = 0; i < 10; ++i) many.push_back({{"__name__", "m"}, {"i", std::to_string(i)}});
  auto src = std::make_shared<StreamingSource>(many);
  FakeStore store;
  store.sources = {{src, {{"cluster", "c"}}, 0, kMax, "tsdb"}};
  Request r = AllNames();
  r.limit = 3;
  EXPECT_EQ(Streamed(store, r, src.get()).size(), 3u);
  EXPECT_LE(src->emitted, 5u);
}

TEST(StreamSeries, SourceFailingMidStream) {
  std::vector<labels::Labels> series = {
      {{"__name__", "a"}}, {{"__name__", "b"}}, {{"__name__", "c"}}};
  auto src = std::make_shared<StreamingSource>(series, absl::DataLossError("bad chunk"), 2);
  FakeStore store;
  store.sources = {{src, {}, 0, kMax, "tsdb"}};
  std::vector<std::string> warnings;
  absl::Status status;
  // WARN: what was read, and the failure as a warning.
  EXPECT_EQ(Streamed(store, AllNames(), src.get(), nullptr, &warnings, &status),
            (std::vector<std::string>{R"({__name__="a"})", R"({__name__="b"})"}));
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(warnings, (std::vector<std::string>{"tsdb: bad chunk"}));
  // ABORT: the call fails.
  Request abort = AllNames();
  abort.abort_on_partial = true;
  src->emitted = 0;
  Streamed(store, abort, src.get(), nullptr, nullptr, &status);
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss);
  EXPECT_NE(status.message().find("tsdb"), std::string::npos) << status;
}

TEST(SelectLabels, ExternalLabelsAnswerAndSourcesOutOfRangeAreSkipped) {
  auto a = std::make_shared<FakeSource>(std::vector<labels::Labels>{});
  auto late = std::make_shared<FakeSource>(std::vector<labels::Labels>{},
                                           absl::InternalError("must not be asked"));
  FakeStore store;
  store.sources = {{a, {{"cluster", "eu"}}, 0, 100, "a"}, {late, {}, 5000, 6000, "late"}};
  Request r;
  r.max_time = 1000;
  absl::StatusOr<StringsAnswer> names = SelectLabelNames(store, r);
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(names->values, (std::vector<std::string>{"__name__", "cluster", "job"}));
  EXPECT_TRUE(names->warnings.empty());
  absl::StatusOr<StringsAnswer> values = SelectLabelValues(store, "cluster", r);
  ASSERT_TRUE(values.ok());
  EXPECT_EQ(values->values, std::vector<std::string>{"eu"});
  r.without_replica_labels = {"cluster"};
  EXPECT_TRUE(SelectLabelValues(store, "cluster", r)->values.empty());
  EXPECT_EQ(SelectLabelNames(store, r)->values, (std::vector<std::string>{"__name__", "job"}));
}

}  // namespace
}  // namespace argus::storeapi
