#include "discovery/discovery.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace argus::discovery {
namespace {

TEST(StaticGroupsTest, NumbersSourcesAndAddressesTargets) {
  std::vector<config::TargetGroup> configs = {
      {{"a:9090", "b:9090"}, labels::Labels{{"env", "prod"}}},
      {{"c:80"}, {}},
  };
  std::vector<Group> groups = StaticGroups(configs);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].source, "0");
  EXPECT_EQ(groups[0].labels, (labels::Labels{{"env", "prod"}}));
  ASSERT_EQ(groups[0].targets.size(), 2u);
  EXPECT_EQ(groups[0].targets[0], (labels::Labels{{"__address__", "a:9090"}}));
  EXPECT_EQ(groups[0].targets[1], (labels::Labels{{"__address__", "b:9090"}}));
  EXPECT_EQ(groups[1].source, "1");
  EXPECT_TRUE(groups[1].labels.empty());
  EXPECT_EQ(groups[1].targets, (std::vector<labels::Labels>{{{"__address__", "c:80"}}}));
}

TEST(StaticDiscovererTest, SendsItsGroupsOnce) {
  std::vector<Group> groups = StaticGroups({{{"a:1"}, {}}});
  StaticDiscoverer d(groups);
  std::vector<std::vector<Group>> sent;
  std::stop_source stop;
  d.Run(stop.get_token(), [&](std::vector<Group> g) { sent.push_back(std::move(g)); });
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0], groups);
}

}  // namespace
}  // namespace argus::discovery
