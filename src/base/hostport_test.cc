#include "base/hostport.h"

#include "gtest/gtest.h"

namespace argus {
namespace {

TEST(HostPortTest, Forms) {
  auto a = ParseHostPort("0.0.0.0:9090");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->host, "0.0.0.0");
  EXPECT_EQ(a->port, 9090);
  auto b = ParseHostPort(":10902");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->host, "");
  EXPECT_EQ(b->port, 10902);
  auto c = ParseHostPort("[::1]:0");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->host, "::1");
  EXPECT_EQ(c->port, 0);
  EXPECT_EQ(ParseHostPort("localhost:80")->host, "localhost");
}

TEST(HostPortTest, Errors) {
  EXPECT_FALSE(ParseHostPort("localhost").ok());
  EXPECT_FALSE(ParseHostPort("localhost:").ok());
  EXPECT_FALSE(ParseHostPort("localhost:http").ok());
  EXPECT_FALSE(ParseHostPort("localhost:65536").ok());
  EXPECT_FALSE(ParseHostPort("::1:80").ok());
  EXPECT_FALSE(ParseHostPort("[::1]80").ok());
}

}  // namespace
}  // namespace argus
