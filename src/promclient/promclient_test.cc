#include "promclient/promclient.h"

#include <gtest/gtest.h>

namespace argus::promclient {
namespace {

TEST(ParseHttpClient, TakesWhatTheClientAppliesAndRefusesTheRest) {
  absl::StatusOr<config::HTTPClientConfig> c = ParseHttpClient(
      "basic_auth:\n  username: u\n  password: p\ntls_config:\n  insecure_skip_verify: true\n",
      "f.yaml");
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->basic_auth->username, "u");
  EXPECT_TRUE(c->tls_config.insecure_skip_verify);
  EXPECT_TRUE(ParseHttpClient("", "empty").ok());

  for (const char* refused :
       {"proxy_url: http://p:3128\n", "tls_config:\n  server_name: x\n",
        "tls_config:\n  min_version: TLS12\n", "tls_config:\n  max_version: TLS13\n"}) {
    c = ParseHttpClient(refused, "f.yaml");
    EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument) << refused;
    EXPECT_NE(c.status().message().find("f.yaml: "), std::string::npos) << c.status();
    EXPECT_NE(c.status().message().find("not supported"), std::string::npos) << c.status();
  }
  EXPECT_EQ(ParseHttpClient("nonsense_key: 1\n", "f.yaml").status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace argus::promclient
