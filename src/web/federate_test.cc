#include "web/federate.h"

#include <filesystem>
#include <limits>

#include "gtest/gtest.h"
#include "model/value.h"
#include "tsdb/db/db.h"

namespace argus::web {
namespace {

class FederateTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::testing::TempDir() + "/federate_" + std::to_string(::getpid());
    std::filesystem::remove_all(dir_);
    tsdb::DbOptions opts;
    opts.compaction_interval_ms = 0;
    auto db = tsdb::DB::Open(dir_, opts);
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    auto app = db_->Appender();
    using L = labels::Labels;
    ASSERT_TRUE(
        app->Append(0, L({{"__name__", "up"}, {"instance", "a:1"}, {"job", "j"}}), kNow - 20000, 1)
            .ok());
    ASSERT_TRUE(
        app->Append(0, L({{"__name__", "up"}, {"instance", "a:1"}, {"job", "j"}}), kNow - 5000, 0)
            .ok());
    ASSERT_TRUE(
        app->Append(0, L({{"__name__", "temp"}, {"room", "x\"y"}}), kNow - 1000, 21.5).ok());
    ASSERT_TRUE(app->Append(0, L({{"__name__", "gone"}}), kNow - 2000, model::StaleNaN()).ok());
    ASSERT_TRUE(app->Append(0, L({{"__name__", "old"}}), kNow - kLookbackDeltaMs - 1, 1).ok());
    ASSERT_TRUE(app->Commit().ok());
  }
  void TearDown() override {
    db_.reset();
    std::filesystem::remove_all(dir_);
  }

  static constexpr int64_t kNow = 1700000000000;
  std::string dir_;
  std::unique_ptr<tsdb::DB> db_;
};

TEST_F(FederateTest, LatestSamplesWithExternalLabelsAsPrometheusWritesThem) {
  absl::StatusOr<std::string> out = Federate(*db_, {"{__name__=~\".+\"}", "up"}, kNow,
                                             labels::Labels({{"cluster", "c1"}, {"job", "x"}}));
  ASSERT_TRUE(out.ok()) << out.status();
  EXPECT_EQ(*out,
            "# TYPE temp untyped\n"
            "temp{room=\"x\\\"y\",cluster=\"c1\",instance=\"\",job=\"x\"} 21.5 1699999999000\n"
            "# TYPE up untyped\n"
            "up{instance=\"a:1\",job=\"j\",cluster=\"c1\"} 0 1699999995000\n");
}

TEST_F(FederateTest, BadSelectorIsInvalidArgument) {
  EXPECT_EQ(Federate(*db_, {"up{"}, kNow, {}).status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace argus::web
