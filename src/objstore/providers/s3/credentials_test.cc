#include "objstore/providers/s3/credentials.h"

#include <filesystem>
#include <fstream>
#include <map>

#include "gtest/gtest.h"

namespace argus::objstore::s3 {
namespace {

GetEnvFn Env(std::map<std::string, std::string> vars) {
  return [vars](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

TEST(CredentialsTest, ConfigThenEnvironmentThenSharedFile) {
  const std::string file = ::testing::TempDir() + "/aws_credentials";
  std::ofstream(file) << "# comment\n[default]\naws_access_key_id = FILEKEY\n"
                         "aws_secret_access_key=FILESECRET\n\n[prod]\naws_access_key_id=P\n"
                         "aws_secret_access_key = PS\naws_session_token = PT\n";
  S3Config c;
  c.access_key = "CFG";
  c.secret_key = "CFGSECRET";
  c.session_token = "CFGTOKEN";
  Credentials got = *ResolveCredentials(c, Env({{"AWS_ACCESS_KEY_ID", "ENV"}}));
  EXPECT_EQ(got.access_key, "CFG");
  EXPECT_EQ(got.session_token, "CFGTOKEN");

  S3Config none;
  got = *ResolveCredentials(none, Env({{"AWS_ACCESS_KEY_ID", "ENV"},
                                       {"AWS_SECRET_ACCESS_KEY", "ENVSECRET"},
                                       {"AWS_SESSION_TOKEN", "ENVTOKEN"},
                                       {"AWS_SHARED_CREDENTIALS_FILE", file}}));
  EXPECT_EQ(got.access_key, "ENV");
  EXPECT_EQ(got.session_token, "ENVTOKEN");

  got = *ResolveCredentials(none, Env({{"AWS_SHARED_CREDENTIALS_FILE", file}}));
  EXPECT_EQ(got.access_key, "FILEKEY");
  EXPECT_EQ(got.secret_key, "FILESECRET");
  got = *ResolveCredentials(none,
                            Env({{"AWS_SHARED_CREDENTIALS_FILE", file}, {"AWS_PROFILE", "prod"}}));
  EXPECT_EQ(got.access_key, "P");
  EXPECT_EQ(got.session_token, "PT");

  // ~/.aws/credentials when no file is named.
  const std::string home = ::testing::TempDir() + "/home";
  std::filesystem::create_directories(home + "/.aws");
  std::filesystem::copy_file(file, home + "/.aws/credentials",
                             std::filesystem::copy_options::overwrite_existing);
  EXPECT_EQ(ResolveCredentials(none, Env({{"HOME", home}}))->access_key, "FILEKEY");

  // Nothing anywhere: anonymous.
  EXPECT_TRUE(ResolveCredentials(none, Env({{"HOME", "/nonexistent"}}))->access_key.empty());
}

TEST(CredentialsTest, HalfCredentialsAreRefused) {
  S3Config none;
  absl::StatusOr<Credentials> got = ResolveCredentials(none, Env({{"AWS_ACCESS_KEY_ID", "ID"}}));
  EXPECT_TRUE(absl::IsInvalidArgument(got.status()));
  EXPECT_NE(got.status().message().find("environment"), std::string::npos);
  const std::string file = ::testing::TempDir() + "/aws_half";
  std::ofstream(file) << "[default]\naws_secret_access_key = S\n";
  got = ResolveCredentials(none, Env({{"AWS_SHARED_CREDENTIALS_FILE", file}}));
  EXPECT_TRUE(absl::IsInvalidArgument(got.status()));
  std::ofstream(file) << "[default\n";
  got = ResolveCredentials(none, Env({{"AWS_SHARED_CREDENTIALS_FILE", file}}));
  EXPECT_TRUE(absl::IsInvalidArgument(got.status()));
}

}  // namespace
}  // namespace argus::objstore::s3
