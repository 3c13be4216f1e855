#include "base/logging.h"

#include <sstream>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"

namespace argus::log {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;

class LoggingTest : public ::testing::Test {
 protected:
  void TearDown() override { ASSERT_TRUE(Configure("info", "logfmt").ok()); }
  std::ostringstream out_;
};

TEST_F(LoggingTest, LogfmtLineAndQuoting) {
  ASSERT_TRUE(Configure("info", "logfmt", &out_).ok());
  Info("Server is ready", {{"address", ":9090"}, {"n", 3}, {"note", "a \"b\"=c"}, {"e", ""}});
  std::string line = out_.str();
  EXPECT_THAT(line, MatchesRegex("ts=[0-9T:.-]+Z caller=logging_test.cc:[0-9]+ level=info "
                                 "msg=\"Server is ready\" address=:9090 n=3 "
                                 "note=\"a \\\\\"b\\\\\"=c\" e=\"\"\n"));
}

TEST_F(LoggingTest, LevelFilters) {
  ASSERT_TRUE(Configure("warn", "logfmt", &out_).ok());
  Debug("d");
  Info("i");
  Warn("w");
  Error("e", {{"err", absl::InternalError("boom")}});
  std::string s = out_.str();
  EXPECT_THAT(s, Not(HasSubstr("msg=d")));
  EXPECT_THAT(s, Not(HasSubstr("msg=i")));
  EXPECT_THAT(s, HasSubstr("level=warn msg=w"));
  EXPECT_THAT(s, HasSubstr("level=error msg=e err=\"INTERNAL: boom\""));
  EXPECT_FALSE(Enabled(Level::kInfo));
}

TEST_F(LoggingTest, JsonFormat) {
  ASSERT_TRUE(Configure("debug", "json", &out_).ok());
  Debug("hello\nworld", {{"k", "v"}, {"ok", true}});
  nlohmann::json j = nlohmann::json::parse(out_.str());
  EXPECT_EQ(j["level"], "debug");
  EXPECT_EQ(j["msg"], "hello\nworld");
  EXPECT_EQ(j["k"], "v");
  EXPECT_EQ(j["ok"], "true");
  EXPECT_TRUE(j.contains("ts"));
  EXPECT_TRUE(j.contains("caller"));
}

TEST_F(LoggingTest, BadFlagValues) {
  absl::Status s = Configure("verbose", "logfmt");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("verbose"));
  EXPECT_FALSE(Configure("info", "xml").ok());
}

}  // namespace
}  // namespace argus::log
