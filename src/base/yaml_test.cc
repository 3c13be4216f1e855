#include "base/yaml.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace argus {
namespace {

using ::testing::HasSubstr;

TEST(YamlTest, SyntaxErrorNamesSourceLineAndColumn) {
  absl::StatusOr<YamlDoc> doc = YamlDoc::Parse("global:\n  a: [1, 2\n", "prometheus.yml");
  ASSERT_FALSE(doc.ok());
  EXPECT_EQ(doc.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(doc.status().message()), HasSubstr("prometheus.yml:3:"));
}

TEST(YamlTest, UnknownKeyNamesKeyAndLine) {
  absl::StatusOr<YamlDoc> doc =
      YamlDoc::Parse("global:\n  scrape_interval: 15s\n  scrape_intervl: 1m\n", "p.yml");
  ASSERT_TRUE(doc.ok());
  absl::Status s = doc->CheckKeys(doc->root()["global"], {"scrape_interval", "external_labels"},
                                  "config.GlobalConfig");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "p.yml:3:3: field scrape_intervl not found in type config.GlobalConfig");
}

TEST(YamlTest, TypedGetters) {
  absl::StatusOr<YamlDoc> doc = YamlDoc::Parse(
      "name: x\nport: 9090\nneg: -1\nflag: true\nratio: 0.5\nlist: [a, b]\nmap: {k: v}\n", "t.yml");
  ASSERT_TRUE(doc.ok());
  const YAML::Node& r = doc->root();
  EXPECT_EQ(**doc->Get<std::string>(r, "name"), "x");
  EXPECT_EQ(**doc->Get<int64_t>(r, "port"), 9090);
  EXPECT_EQ(**doc->Get<int64_t>(r, "neg"), -1);
  EXPECT_EQ(**doc->Get<bool>(r, "flag"), true);
  EXPECT_DOUBLE_EQ(**doc->Get<double>(r, "ratio"), 0.5);
  EXPECT_EQ(**doc->Get<std::vector<std::string>>(r, "list"), (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(doc->Get<std::string>(r, "absent")->has_value());

  int64_t port = 1;
  ASSERT_TRUE(doc->Read(r, "absent", &port).ok());
  EXPECT_EQ(port, 1);  // default kept

  absl::StatusOr<std::optional<int64_t>> bad = doc->Get<int64_t>(r, "name");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "t.yml:1:7: field name: cannot read \"x\" as a integer");
  EXPECT_FALSE(doc->Get<uint64_t>(r, "neg").ok());
  EXPECT_FALSE(doc->Get<bool>(r, "port").ok());
  EXPECT_FALSE(doc->Get<std::string>(r, "map").ok());
  EXPECT_FALSE(doc->Get<std::vector<std::string>>(r, "name").ok());
}

TEST(YamlTest, LoadFileErrors) {
  absl::StatusOr<YamlDoc> missing = YamlDoc::LoadFile("/nonexistent/dir/x.yml");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(missing.status().message()), HasSubstr("/nonexistent/dir/x.yml"));

  std::string path = ::testing::TempDir() + "/yaml_test_bad.yml";
  std::ofstream(path) << "a: 1\nb: : :\n";
  absl::StatusOr<YamlDoc> bad = YamlDoc::LoadFile(path);
  ASSERT_FALSE(bad.ok());
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr(path + ":2:"));
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace argus
