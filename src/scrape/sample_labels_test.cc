#include "scrape/sample_labels.h"

#include "gtest/gtest.h"

namespace argus::scrape {
namespace {

using labels::Labels;

TEST(MergeTargetLabelsTest, TargetLabelsWinAndClashesAreExported) {
  const Labels exposed({{"__name__", "m"}, {"job", "a"}, {"exported_job", "b"}, {"x", "1"}});
  const Labels target({{"job", "j"}, {"instance", "i:1"}});
  // exported_job is taken by an exposed label, so the clash moves one prefix further.
  EXPECT_EQ(MergeTargetLabels(exposed, target, false).ToString(),
            R"({__name__="m", exported_exported_job="a", exported_job="b", instance="i:1", )"
            R"(job="j", x="1"})");
}

TEST(MergeTargetLabelsTest, ShorterClashesAreRenamedFirst) {
  const Labels exposed({{"__name__", "m"}, {"a", "1"}, {"exported_a", "2"}});
  const Labels target({{"a", "t"}, {"exported_a", "u"}});
  EXPECT_EQ(MergeTargetLabels(exposed, target, false).ToString(),
            R"({__name__="m", a="t", exported_a="u", exported_exported_a="1", )"
            R"(exported_exported_exported_a="2"})");
}

TEST(MergeTargetLabelsTest, HonorLabelsKeepsExposedValues) {
  const Labels exposed({{"__name__", "m"}, {"job", "a"}});
  const Labels target({{"job", "j"}, {"instance", "i:1"}});
  EXPECT_EQ(MergeTargetLabels(exposed, target, true).ToString(),
            R"({__name__="m", instance="i:1", job="a"})");
}

}  // namespace
}  // namespace argus::scrape
