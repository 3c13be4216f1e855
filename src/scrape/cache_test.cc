#include "scrape/cache.h"

#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace argus::scrape {
namespace {

// One scrape of `series` (each tracked; ref = hash = its first letter), returning the refs
// reported stale.
std::set<storage::SeriesRef> Scrape(ScrapeCache& c, const std::vector<std::string>& series,
                                    std::set<std::string>* known = nullptr) {
  for (const std::string& s : series) {
    ScrapeCache::Entry* e = c.Get(s);
    if (e != nullptr) {
      if (known != nullptr) known->insert(s);
      EXPECT_EQ(e->ref, static_cast<storage::SeriesRef>(s[0])) << s;
    } else {
      e = c.Add(s, s[0], s[0]);
    }
    c.TrackStaleness(e);
  }
  std::set<storage::SeriesRef> stale;
  c.ForEachStale([&](storage::SeriesRef ref, const labels::Labels*) {
    stale.insert(ref);
    return true;
  });
  c.IterDone(!series.empty());
  return stale;
}

TEST(ScrapeCacheTest, FindsSeriesInAnyOrderAndReportsTheVanished) {
  ScrapeCache c;
  EXPECT_TRUE(Scrape(c, {"a", "b", "c", "d"}).empty());
  std::set<std::string> known;
  EXPECT_TRUE(Scrape(c, {"a", "b", "c", "d"}, &known).empty());
  EXPECT_EQ(known.size(), 4u);
  known.clear();
  // Reordered, one gone, one new.
  EXPECT_EQ(Scrape(c, {"d", "e", "a", "c"}, &known), (std::set<storage::SeriesRef>{'b'}));
  EXPECT_EQ(known, (std::set<std::string>{"a", "c", "d"}));
  // b was forgotten with the flush: it is new again.
  known.clear();
  EXPECT_TRUE(Scrape(c, {"b", "d", "e", "a", "c"}, &known).empty());
  EXPECT_EQ(known, (std::set<std::string>{"a", "c", "d", "e"}));
}

TEST(ScrapeCacheTest, InOrderWithAVanishedTail) {
  ScrapeCache c;
  Scrape(c, {"a", "b", "c", "d"});
  std::set<std::string> known;
  EXPECT_EQ(Scrape(c, {"a", "b", "c"}, &known), (std::set<storage::SeriesRef>{'d'}));
  EXPECT_EQ(known.size(), 3u);
  known.clear();
  EXPECT_TRUE(Scrape(c, {"a", "b", "c", "d"}, &known).empty());
  EXPECT_EQ(known, (std::set<std::string>{"a", "b", "c"}));  // d was forgotten
  EXPECT_TRUE(Scrape(c, {"a", "b", "c", "d"}).empty());
}

TEST(ScrapeCacheTest, AnEmptyScrapeMarksAllOnceAndKeepsTheSeries) {
  ScrapeCache c;
  Scrape(c, {"a", "b"});
  EXPECT_EQ(Scrape(c, {}), (std::set<storage::SeriesRef>{'a', 'b'}));
  EXPECT_TRUE(Scrape(c, {}).empty());  // already marked
  std::set<std::string> known;
  EXPECT_TRUE(Scrape(c, {"a", "b"}, &known).empty());
  EXPECT_EQ(known.size(), 2u);  // still cached
}

TEST(ScrapeCacheTest, DiscardedScrapeLeavesTheLastOneAsBaseline) {
  ScrapeCache c;
  Scrape(c, {"a", "b"});
  c.TrackStaleness(c.Get("a"));  // a failed scrape saw a...
  c.DiscardIter();               // ...and was rolled back
  EXPECT_EQ(Scrape(c, {}), (std::set<storage::SeriesRef>{'a', 'b'}));
}

}  // namespace
}  // namespace argus::scrape
