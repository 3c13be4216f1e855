#include "model/labels/labels.h"

#include "gtest/gtest.h"

namespace argus::labels {
namespace {

TEST(LabelsTest, SortedUniqueAndPrinted) {
  Labels l{{"job", "api"}, {"__name__", "up"}, {"instance", "a:1"}};
  EXPECT_EQ(l.ToString(), R"({__name__="up", instance="a:1", job="api"})");
  EXPECT_EQ(l.Get("job"), "api");
  EXPECT_EQ(l.Get("nope"), "");
  EXPECT_TRUE(l.Has("instance"));
  Labels dup = Labels::FromUnsorted({{"a", "1"}, {"a", "2"}});
  EXPECT_EQ(dup.size(), 1u);
  EXPECT_EQ(dup.Get("a"), "2");
  EXPECT_EQ((Labels{{"room", "a \"b\"\n"}}.ToString()), "{room=\"a \\\"b\\\"\\n\"}");
}

TEST(LabelsTest, CompareAsPrometheus) {
  Labels a{{"a", "1"}}, b{{"a", "1"}, {"b", "1"}}, c{{"a", "2"}}, d{{"b", "0"}};
  EXPECT_LT(Compare(a, b), 0);  // prefix first
  EXPECT_LT(Compare(b, c), 0);  // value decides before length
  EXPECT_LT(Compare(c, d), 0);  // name decides first
  EXPECT_EQ(Compare(a, Labels{{"a", "1"}}), 0);
}

TEST(LabelsTest, HashDiffersOnBoundaries) {
  // The separator keeps {a="bc"} and {ab="c"} apart.
  EXPECT_NE((Labels{{"a", "bc"}}.Hash()), (Labels{{"ab", "c"}}.Hash()));
  EXPECT_EQ((Labels{{"a", "b"}}.Hash()), (Labels{{"a", "b"}}.Hash()));
}

}  // namespace
}  // namespace argus::labels
