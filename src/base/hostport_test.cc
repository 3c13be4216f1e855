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
  EXPECT_FALSE(ParseHostPort("localhost:+80").ok());
  // Go's reasons, with the address.
  EXPECT_EQ(ParseHostPort("localhost").status().message(),
            "address localhost: missing port in address");
  EXPECT_EQ(ParseHostPort("::1:80").status().message(),
            "address ::1:80: too many colons in address");
  EXPECT_EQ(ParseHostPort("[::1:80").status().message(), "address [::1:80: missing ']' in address");
  EXPECT_EQ(ParseHostPort("a[b:80").status().message(),
            "address a[b:80: unexpected bracket in address");
  EXPECT_EQ(ParseHostPort("h:http").status().message(), "address h:http: invalid port \"http\"");
}

TEST(HostPortTest, Join) {
  EXPECT_EQ(JoinHostPort("10.0.0.1", 9090), "10.0.0.1:9090");
  EXPECT_EQ(JoinHostPort("::1", 10901), "[::1]:10901");
  EXPECT_EQ(JoinHostPort("fe80::1%eth0", 80), "[fe80::1%eth0]:80");
  EXPECT_EQ(ParseHostPort(JoinHostPort("::1", 8))->host, "::1");
}

}  // namespace
}  // namespace argus
