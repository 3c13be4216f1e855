#include "discovery/file.h"

#include <filesystem>
#include <mutex>
#include <thread>

#include "discovery/internal/test_util.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace argus::discovery {
namespace {

using testing::Eventually;
using ::testing::HasSubstr;
using testing::TempDir;
using testing::WriteFile;

labels::Labels Addr(const std::string& a) { return labels::Labels{{"__address__", a}}; }

TEST(ParseTargetGroupsTest, Json) {
  absl::StatusOr<std::vector<Group>> groups = ParseTargetGroups("/sd/t.json", R"([
    {"targets": ["a:1", "b:2"], "labels": {"env": "prod", "__meta_filepath": "x"}},
    {"targets": []},
    {"Labels": {"team": null}}
  ])");
  ASSERT_TRUE(groups.ok()) << groups.status();
  ASSERT_EQ(groups->size(), 3u);
  EXPECT_EQ((*groups)[0].source, "/sd/t.json:0");
  EXPECT_EQ((*groups)[0].targets, (std::vector<labels::Labels>{Addr("a:1"), Addr("b:2")}));
  EXPECT_EQ((*groups)[0].labels,
            (labels::Labels{{"__meta_filepath", "/sd/t.json"}, {"env", "prod"}}));
  EXPECT_EQ((*groups)[1].source, "/sd/t.json:1");
  EXPECT_TRUE((*groups)[1].targets.empty());
  EXPECT_EQ((*groups)[1].labels, (labels::Labels{{"__meta_filepath", "/sd/t.json"}}));
  // Go's encoding/json matches field names case-insensitively; null decodes as "".
  EXPECT_EQ((*groups)[2].labels, (labels::Labels{{"__meta_filepath", "/sd/t.json"}, {"team", ""}}));

  groups = ParseTargetGroups("t.JSON", "null");
  ASSERT_TRUE(groups.ok()) << groups.status();
  EXPECT_TRUE(groups->empty());
}

TEST(ParseTargetGroupsTest, Yaml) {
  absl::StatusOr<std::vector<Group>> groups = ParseTargetGroups("sd/t.yml",
                                                                "- targets: ['a:1', b:2]\n"
                                                                "  labels:\n"
                                                                "    env: prod\n"
                                                                "    port: 80\n"
                                                                "- targets:\n");
  ASSERT_TRUE(groups.ok()) << groups.status();
  ASSERT_EQ(groups->size(), 2u);
  EXPECT_EQ((*groups)[0].source, "sd/t.yml:0");
  EXPECT_EQ((*groups)[0].targets, (std::vector<labels::Labels>{Addr("a:1"), Addr("b:2")}));
  EXPECT_EQ((*groups)[0].labels,
            (labels::Labels{{"__meta_filepath", "sd/t.yml"}, {"env", "prod"}, {"port", "80"}}));
  EXPECT_EQ((*groups)[1].source, "sd/t.yml:1");
  EXPECT_TRUE((*groups)[1].targets.empty());

  for (const char* empty : {"", "# nothing\n", "null\n"}) {
    groups = ParseTargetGroups("t.yaml", empty);
    ASSERT_TRUE(groups.ok()) << groups.status();
    EXPECT_TRUE(groups->empty());
  }
}

std::string ErrorOf(const std::string& path, const std::string& content) {
  absl::StatusOr<std::vector<Group>> groups = ParseTargetGroups(path, content);
  if (groups.ok()) return "OK";
  EXPECT_EQ(groups.status().code(), absl::StatusCode::kInvalidArgument);
  return std::string(groups.status().message());
}

TEST(ParseTargetGroupsTest, JsonErrors) {
  EXPECT_THAT(ErrorOf("t.json", ""), HasSubstr("t.json: [json.exception.parse_error"));
  EXPECT_THAT(ErrorOf("t.json", "[{\"targets\": [\"a\"]"), HasSubstr("t.json: "));
  EXPECT_EQ(ErrorOf("t.json", "{}"),
            "t.json: json: cannot unmarshal object into Go value of type []*targetgroup.Group");
  EXPECT_EQ(ErrorOf("t.json", "[{\"targets\": [\"a\"]}, null]"),
            "t.json: nil target group item found");
  EXPECT_EQ(ErrorOf("t.json", "[{\"target\": [\"a\"]}]"), "t.json: json: unknown field \"target\"");
  EXPECT_EQ(ErrorOf("t.json", "[{\"targets\": [1]}]"),
            "t.json: json: cannot unmarshal number into field targets of type string");
  EXPECT_EQ(ErrorOf("t.json", "[{\"targets\": \"a\"}]"),
            "t.json: json: cannot unmarshal string into field targets of type []string");
  EXPECT_EQ(ErrorOf("t.json", "[{\"labels\": {\"a-b\": \"x\"}}]"),
            "t.json: \"a-b\" is not a valid label name");
  EXPECT_EQ(ErrorOf("t.json", "[{\"labels\": {\"a\": true}}]"),
            "t.json: json: cannot unmarshal boolean into label value of type string");
}

TEST(ParseTargetGroupsTest, YamlErrors) {
  EXPECT_THAT(ErrorOf("t.yml", "- targets: [a\n"), HasSubstr("t.yml:"));
  EXPECT_EQ(ErrorOf("t.yml", "targets: [a]\n"), "t.yml:1:1: expected a list of target groups");
  EXPECT_THAT(ErrorOf("t.yml", "- targets: [a]\n-\n"),
              ::testing::MatchesRegex("t\\.yml:[0-9]+:[0-9]+: nil target group item found"));
  EXPECT_EQ(ErrorOf("t.yml", "- target: [a]\n"),
            "t.yml:1:3: field target not found in type targetgroup.Group");
  EXPECT_EQ(ErrorOf("t.yml", "- targets: [a]\n  targets: [b]\n"),
            "t.yml:2:3: key \"targets\" already set in map");
  EXPECT_EQ(ErrorOf("t.yml", "- targets: a\n"),
            "t.yml:1:12: field targets: expected a list of strings");
  EXPECT_EQ(ErrorOf("t.yml", "- targets: [[a]]\n"), "t.yml:1:13: targets must be a string");
  EXPECT_EQ(ErrorOf("t.yml", "- labels: {a-b: x}\n"),
            "t.yml:1:12: \"a-b\" is not a valid label name");
  EXPECT_EQ(ErrorOf("t.yml", "- labels: {a: x, a: y}\n"),
            "t.yml:1:18: key \"a\" already set in map");
  EXPECT_EQ(ErrorOf("t.yml", "- labels: {a: [x]}\n"), "t.yml:1:15: label values must be a string");
  EXPECT_EQ(ErrorOf("t.txt", "[]"), "t.txt: unhandled file extension \".txt\"");
}

TEST(FileDiscovererTest, WatchDirs) {
  config::FileSDConfig c;
  c.files = {"/a/b/*.json", "/a/b/c.yml", "x.json", "/y.json"};
  EXPECT_EQ(FileDiscoverer::WatchDirs(c), (std::vector<std::string>{"/a/b", "./", "/"}));
}

TEST(FileDiscovererTest, RefreshFollowsFilesAndKeepsGroupsOfBrokenOnes) {
  TempDir dir;
  const std::string a = dir.Path("a.json"), b = dir.Path("b.yml");
  WriteFile(a, R"([{"targets": ["a:1"]}, {"targets": ["a:2"]}])");
  WriteFile(b, "- targets: ['b:1']\n");
  WriteFile(dir.Path("c.txt"), "ignored");
  config::FileSDConfig c;
  c.files = {dir.Path("*.json"), b};
  metrics::Counter errors;
  FileDiscoverer d(c, &errors);

  std::vector<Group> groups = d.Refresh();
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].source, a + ":0");
  EXPECT_EQ(groups[1].source, a + ":1");
  EXPECT_EQ(groups[1].targets, (std::vector<labels::Labels>{Addr("a:2")}));
  EXPECT_EQ(groups[2].source, b + ":0");
  EXPECT_EQ(groups[2].labels, (labels::Labels{{"__meta_filepath", b}}));

  // One group fewer: the second comes back empty.
  WriteFile(a, R"([{"targets": ["a:1"]}])");
  groups = d.Refresh();
  ASSERT_EQ(groups.size(), 3u);
  EXPECT_EQ(groups[0].source, a + ":0");
  EXPECT_EQ(groups[1].source, b + ":0");
  EXPECT_EQ(groups[2], Group{.source = a + ":1"});

  // A broken file is neither resent nor emptied; it counts as a read error.
  WriteFile(b, "- targets: [\n");
  groups = d.Refresh();
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].source, a + ":0");
  EXPECT_EQ(errors.Value(), 1);

  // A vanished file's groups come back empty, once.
  std::filesystem::remove(a);
  groups = d.Refresh();
  EXPECT_EQ(groups, (std::vector<Group>{Group{.source = a + ":0"}}));
  EXPECT_EQ(errors.Value(), 2);
  std::filesystem::remove(b);
  groups = d.Refresh();
  EXPECT_EQ(groups, (std::vector<Group>{Group{.source = b + ":0"}}));
  EXPECT_TRUE(d.Refresh().empty());
}

// Collects what a discoverer running on its own thread sends.
class Collector {
 public:
  void Add(std::vector<Group> groups) {
    std::lock_guard<std::mutex> l(mu_);
    for (Group& g : groups) latest_[g.source] = std::move(g);
    ++sends_;
  }
  int sends() {
    std::lock_guard<std::mutex> l(mu_);
    return sends_;
  }
  std::vector<labels::Labels> Targets(const std::string& source) {
    std::lock_guard<std::mutex> l(mu_);
    auto it = latest_.find(source);
    return it == latest_.end() ? std::vector<labels::Labels>{} : it->second.targets;
  }

 private:
  std::mutex mu_;
  std::map<std::string, Group> latest_;
  int sends_ = 0;
};

TEST(FileDiscovererTest, RunRereadsChangedFilesAndStops) {
  TempDir dir;
  const std::string a = dir.Path("sub/a.json");
  std::filesystem::create_directories(dir.Path("sub"));
  WriteFile(a, R"([{"targets": ["a:1"]}])");
  config::FileSDConfig c;
  c.files = {dir.Path("sub/*.json")};
  c.refresh_interval_ms = 3600 * 1000;  // only inotify can notice changes in time
  FileDiscoverer d(c);
  Collector got;
  std::jthread run([&](std::stop_token stop) {
    d.Run(stop, [&](std::vector<Group> g) { got.Add(std::move(g)); });
  });
  ASSERT_TRUE(Eventually([&] { return got.sends() >= 1; }));
  EXPECT_EQ(got.Targets(a + ":0"), (std::vector<labels::Labels>{Addr("a:1")}));

  WriteFile(a, R"([{"targets": ["a:2"]}])");
  ASSERT_TRUE(Eventually(
      [&] { return got.Targets(a + ":0") == std::vector<labels::Labels>{Addr("a:2")}; }));

  const std::string b = dir.Path("sub/b.json");
  WriteFile(b, R"([{"targets": ["b:1"]}])");
  ASSERT_TRUE(Eventually([&] { return got.Targets(b + ":0").size() == 1; }));

  std::filesystem::remove(a);
  ASSERT_TRUE(Eventually([&] { return got.Targets(a + ":0").empty(); }));
  // Stopping wakes Run at once, although the next refresh is an hour away.
  run.request_stop();
  run.join();
}

TEST(FileDiscovererTest, RunRefreshesOnTheIntervalWhenTheDirectoryAppearsLater) {
  TempDir dir;
  const std::string a = dir.Path("later/a.yaml");
  config::FileSDConfig c;
  c.files = {a};
  c.refresh_interval_ms = 20;
  FileDiscoverer d(c);
  Collector got;
  std::jthread run([&](std::stop_token stop) {
    d.Run(stop, [&](std::vector<Group> g) { got.Add(std::move(g)); });
  });
  ASSERT_TRUE(Eventually([&] { return got.sends() >= 1; }));
  std::filesystem::create_directories(dir.Path("later"));
  WriteFile(a, "- targets: [a:1]\n");
  ASSERT_TRUE(Eventually([&] { return got.Targets(a + ":0").size() == 1; }));
}

}  // namespace
}  // namespace argus::discovery
