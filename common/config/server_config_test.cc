#include "common/config/server_config.h"

#include <vector>

#include "gtest/gtest.h"

namespace slihub {
namespace {

absl::StatusOr<ServerConfig> Parse(std::vector<const char*> args, std::vector<const char*> env) {
  args.insert(args.begin(), "slihub-workforce");
  env.push_back(nullptr);
  return ParseServerConfig("workforce", static_cast<int>(args.size()), args.data(), env.data());
}

const std::vector<const char*> kRequired = {"--hub-region=EE", "--listen=127.0.0.1:7101",
                                            "--data-dir=/tmp/x", "--reference-data=/tmp/la.csv"};

TEST(ServerConfigTest, ParsesFlagsWithDefaults) {
  auto config = Parse(kRequired, {});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->service, "workforce");
  EXPECT_EQ(config->hub_region, "EE");
  EXPECT_EQ(config->identity_db, "/tmp/x/identity.db");
  EXPECT_EQ(config->workers, 8);
  EXPECT_TRUE(config->redis_address.empty());
}

TEST(ServerConfigTest, MissingRequiredSettingIsNamedOnOneLine) {
  auto config = Parse({"--listen=127.0.0.1:7101", "--data-dir=/tmp/x", "--reference-data=a"}, {});
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(config.status().message().find("--hub-region"), std::string::npos)
      << config.status().message();
  EXPECT_EQ(config.status().message().find('\n'), std::string::npos);
}

TEST(ServerConfigTest, EnvironmentSuppliesSettingsAndFlagsWin) {
  ::setenv("SLIHUB_WORKERS", "3", 1);
  ::setenv("SLIHUB_HUB_REGION", "SE", 1);
  auto config = Parse({"--listen=127.0.0.1:7101", "--data-dir=/tmp/x", "--reference-data=a"},
                      {"SLIHUB_WORKERS=3", "SLIHUB_HUB_REGION=SE"});
  ::unsetenv("SLIHUB_WORKERS");
  ::unsetenv("SLIHUB_HUB_REGION");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->workers, 3);
  EXPECT_EQ(config->hub_region, "SE");

  ::setenv("SLIHUB_WORKERS", "3", 1);
  auto args = kRequired;
  args.push_back("--workers=5");
  auto flag_wins = Parse(args, {"SLIHUB_WORKERS=3"});
  ::unsetenv("SLIHUB_WORKERS");
  ASSERT_TRUE(flag_wins.ok()) << flag_wins.status();
  EXPECT_EQ(flag_wins->workers, 5);
}

TEST(ServerConfigTest, UnknownSettingsFailFast) {
  auto flag = Parse({"--hub-region=EE", "--listen=127.0.0.1:1", "--data-dir=x",
                     "--reference-data=a", "--colour=blue"},
                    {});
  ASSERT_FALSE(flag.ok());
  EXPECT_NE(flag.status().message().find("--colour"), std::string::npos) << flag.status();

  auto env = Parse(kRequired, {"SLIHUB_WORKRES=4"});
  ASSERT_FALSE(env.ok());
  EXPECT_NE(env.status().message().find("SLIHUB_WORKRES"), std::string::npos);

  EXPECT_TRUE(Parse(kRequired, {"SLIHUB_TOKEN=abc", "PATH=/bin"}).ok());
}

TEST(ServerConfigTest, RejectsOutOfRangeAndMalformedValues) {
  auto args = kRequired;
  args.push_back("--workers=0");
  EXPECT_FALSE(Parse(args, {}).ok());
  EXPECT_FALSE(Parse({"--hub-region=EE", "--listen=nohost", "--data-dir=x", "--reference-data=a"},
                     {})
                   .ok());
  auto level = kRequired;
  level.push_back("--log-level=loud");
  EXPECT_FALSE(Parse(level, {}).ok());
}

TEST(ServerConfigTest, HelpIsCancelledWithText) {
  auto help = Parse({"--help"}, {});
  ASSERT_FALSE(help.ok());
  EXPECT_EQ(help.status().code(), absl::StatusCode::kCancelled);
  EXPECT_NE(help.status().message().find("--hub-region"), std::string::npos);
}

}  // namespace
}  // namespace slihub
