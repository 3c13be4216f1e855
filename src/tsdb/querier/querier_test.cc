#include "tsdb/querier/querier.h"

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace argus::tsdb {
namespace {

using labels::Matcher;
using labels::MatchType;

Matcher M(MatchType t, const std::string& n, const std::string& v) {
  return *Matcher::Create(t, n, v);
}

// Series with a mix of present and absent labels.
std::unique_ptr<head::Head> MakeHead() {
  auto h = std::make_unique<head::Head>(head::HeadOptions{});
  auto app = h->NewAppender();
  const std::vector<std::string> names = {"up", "cpu", "mem"};
  for (int i = 0; i < 60; ++i) {
    std::vector<labels::Label> ls = {{"__name__", names[i % 3]}};
    if (i % 2 == 0) ls.push_back({"job", i % 4 == 0 ? "api" : "db"});
    if (i % 5 != 0) ls.push_back({"instance", absl::StrCat("host", i % 7)});
    EXPECT_TRUE(app->Append(0, labels::Labels::FromUnsorted(ls), 1000 + i, i).ok());
  }
  EXPECT_TRUE(app->Commit().ok());
  return h;
}

TEST(PostingsForMatchersTest, AgreesWithMatchingEverySeries) {
  auto h = MakeHead();
  auto ix = HeadIndexView(*h);
  const std::vector<std::vector<Matcher>> cases = {
      {M(MatchType::kEqual, "__name__", "up")},
      {M(MatchType::kEqual, "job", "")},
      {M(MatchType::kNotEqual, "job", "")},
      {M(MatchType::kNotEqual, "job", "api")},
      {M(MatchType::kEqual, "__name__", "cpu"), M(MatchType::kNotEqual, "job", "db")},
      {M(MatchType::kRegexMatch, "instance", "host[0-3]")},
      {M(MatchType::kRegexMatch, "instance", "host1|host2|")},
      {M(MatchType::kRegexNoMatch, "instance", "host1|host2")},
      {M(MatchType::kRegexMatch, "job", ".*")},
      {M(MatchType::kRegexMatch, "job", ".+"), M(MatchType::kRegexNoMatch, "__name__", "up")},
      {M(MatchType::kRegexNoMatch, "job", ".*")},
      {M(MatchType::kEqual, "nope", "x")},
      {M(MatchType::kEqual, "nope", "")},
      {M(MatchType::kEqual, "job", "api"), M(MatchType::kEqual, "job", "db")},
  };
  for (const auto& ms : cases) {
    std::vector<uint64_t> want;
    for (uint64_t ref : h->AllPostings()) {
      labels::Labels l;
      ASSERT_TRUE(h->SeriesLabels(ref, &l));
      if (labels::MatchesAll(ms, l)) want.push_back(ref);
    }
    absl::StatusOr<index::PostingsList> got = PostingsForMatchers(*ix, ms);
    ASSERT_TRUE(got.ok());
    std::string desc;
    for (const auto& m : ms) desc += m.ToString() + " ";
    EXPECT_EQ(*got, want) << desc;
  }
}

TEST(TsdbQuerierTest, SelectsFromTheHeadInLabelOrder) {
  auto h = MakeHead();
  TsdbQuerier q({}, h.get(), 1010, 1020);
  auto set = q.Select(true, {}, {M(MatchType::kEqual, "job", "api")});
  std::vector<std::string> got;
  while (set->Next()) {
    auto it = set->At().Iterator();
    while (it->Next()) got.push_back(absl::StrCat(set->At().labels().ToString(), " ", it->t()));
  }
  ASSERT_TRUE(set->status().ok());
  EXPECT_EQ(got, (std::vector<std::string>{
                     "{__name__=\"cpu\", instance=\"host2\", job=\"api\"} 1016",
                     "{__name__=\"mem\", job=\"api\"} 1020",
                     "{__name__=\"up\", instance=\"host5\", job=\"api\"} 1012",
                 }));
  EXPECT_EQ(*q.LabelValues("job", {}), (std::vector<std::string>{"api", "db"}));
  EXPECT_EQ(*q.LabelNames({M(MatchType::kEqual, "job", "db")}),
            (std::vector<std::string>{"__name__", "instance", "job"}));
}

}  // namespace
}  // namespace argus::tsdb
