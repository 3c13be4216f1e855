#include "tsdb/tools/tools.h"

#include "gtest/gtest.h"

namespace argus::tsdb::tools {
namespace {

TEST(ToolsTest, GoDurationString) {
  EXPECT_EQ(GoDurationString(0), "0s");
  EXPECT_EQ(GoDurationString(500), "500ms");
  EXPECT_EQ(GoDurationString(60001), "1m0.001s");
  EXPECT_EQ(GoDurationString(7200000), "2h0m0s");
  EXPECT_EQ(GoDurationString(7199990), "1h59m59.99s");
  EXPECT_EQ(GoDurationString(1500), "1.5s");
  EXPECT_EQ(GoDurationString(-1500), "-1.5s");
}

TEST(ToolsTest, MissingDirIsNotFound) {
  EXPECT_EQ(OpenBlocks(Env::Default(), "/nonexistent/argus").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace argus::tsdb::tools
