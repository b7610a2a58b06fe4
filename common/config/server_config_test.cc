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
  EXPECT_EQ(config->audit_db, "/tmp/x/workforce-audit.db");
  EXPECT_EQ(config->workers, 8);
  EXPECT_TRUE(config->redis_address.empty());
}

TEST(ServerConfigTest, LogFileSettingsWithDefaultsAndRanges) {
  auto defaults = Parse(kRequired, {});
  ASSERT_TRUE(defaults.ok()) << defaults.status();
  EXPECT_EQ(defaults->log_file, "");
  EXPECT_EQ(defaults->log_max_bytes, int64_t{64} << 20);
  EXPECT_EQ(defaults->log_keep, 5);
  std::vector<const char*> args = kRequired;
  args.insert(args.end(), {"--log-file=/tmp/x/w.log", "--log-max-bytes=5000000000"});
  ::setenv("SLIHUB_LOG_KEEP", "3", 1);
  auto set = Parse(args, {"SLIHUB_LOG_KEEP=3"});
  ::unsetenv("SLIHUB_LOG_KEEP");
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->log_file, "/tmp/x/w.log");
  EXPECT_EQ(set->log_max_bytes, 5000000000);
  EXPECT_EQ(set->log_keep, 3);
  for (const char* bad : {"--log-max-bytes=100", "--log-keep=0", "--log-keep=101"}) {
    std::vector<const char*> bad_args = kRequired;
    bad_args.push_back(bad);
    EXPECT_FALSE(Parse(bad_args, {}).ok()) << bad;
  }
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
  auto cache = kRequired;
  cache.push_back("--memory-cache-mb=-1");
  EXPECT_FALSE(Parse(cache, {}).ok());
  cache.back() = "--memory-cache-mb=0";
  ASSERT_TRUE(Parse(cache, {}).ok());
  EXPECT_EQ(Parse(cache, {})->memory_cache_mb, 0);
}

TEST(ServerConfigTest, ServiceEndpointsFromFlagsAndEnvironment) {
  auto args = kRequired;
  args.push_back("--service-endpoint=datacollection=127.0.0.1:7103");
  args.push_back("--service-endpoint=workforce=hub-ee:7101");
  args.push_back("--service-token-file=/tmp/token");
  auto config = Parse(args, {});
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->service_endpoints.at("datacollection"), "127.0.0.1:7103");
  EXPECT_EQ(config->service_endpoints.at("workforce"), "hub-ee:7101");
  EXPECT_EQ(config->peer_deadline_ms, 2000);
  EXPECT_EQ(config->memory_cache_mb, 512);

  ::setenv("SLIHUB_SERVICE_ENDPOINTS", "placement=127.0.0.1:1,peerreview=127.0.0.1:2", 1);
  auto env_args = kRequired;
  env_args.push_back("--service-token-file=/tmp/token");
  auto from_env = Parse(env_args, {"SLIHUB_SERVICE_ENDPOINTS=x"});
  ::unsetenv("SLIHUB_SERVICE_ENDPOINTS");
  ASSERT_TRUE(from_env.ok()) << from_env.status();
  EXPECT_EQ(from_env->service_endpoints.size(), 2u);
  EXPECT_EQ(from_env->service_endpoints.at("peerreview"), "127.0.0.1:2");
}

TEST(ServerConfigTest, RejectsBadServiceEndpoints) {
  for (const char* bad : {"--service-endpoint=mystery=127.0.0.1:1", "--service-endpoint=placement",
                          "--service-endpoint=placement=127.0.0.1", "--service-endpoint=placement=:9",
                          "--service-endpoint=placement=h:70000"}) {
    auto args = kRequired;
    args.push_back(bad);
    args.push_back("--service-token-file=/tmp/token");
    auto config = Parse(args, {});
    ASSERT_FALSE(config.ok()) << bad;
    EXPECT_NE(config.status().message().find("--service-endpoint"), std::string::npos)
        << config.status();
  }
  auto twice = kRequired;
  twice.push_back("--service-endpoint=placement=a:1");
  twice.push_back("--service-endpoint=placement=b:1");
  twice.push_back("--service-token-file=/tmp/token");
  EXPECT_FALSE(Parse(twice, {}).ok());

  auto no_token = kRequired;
  no_token.push_back("--service-endpoint=placement=a:1");
  auto missing = Parse(no_token, {});
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("--service-token-file"), std::string::npos);
}

TEST(ServerConfigTest, HelpIsCancelledWithText) {
  auto help = Parse({"--help"}, {});
  ASSERT_FALSE(help.ok());
  EXPECT_EQ(help.status().code(), absl::StatusCode::kCancelled);
  EXPECT_NE(help.status().message().find("--hub-region"), std::string::npos);
}

TEST(ServerConfigTest, TlsFilesGoTogetherAndReloadHasARange) {
  auto none = Parse(kRequired, {});
  ASSERT_TRUE(none.ok()) << none.status();
  EXPECT_FALSE(none->tls_enabled());
  EXPECT_EQ(none->tls_reload_s, 60);
  EXPECT_EQ(none->health_listen, "");
  std::vector<const char*> args = kRequired;
  args.insert(args.end(), {"--tls-cert=/c.pem", "--tls-key=/k.pem", "--tls-reload-s=5",
                           "--health-listen=0.0.0.0:8081"});
  ::setenv("SLIHUB_TLS_CA", "/ca.pem", 1);
  auto all = Parse(args, {"SLIHUB_TLS_CA=/ca.pem"});
  ::unsetenv("SLIHUB_TLS_CA");
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_TRUE(all->tls_enabled());
  EXPECT_EQ(all->tls_cert, "/c.pem");
  EXPECT_EQ(all->tls_key, "/k.pem");
  EXPECT_EQ(all->tls_ca, "/ca.pem");
  EXPECT_EQ(all->tls_reload_s, 5);
  EXPECT_EQ(all->health_listen, "0.0.0.0:8081");
  for (std::vector<const char*> bad :
       {std::vector<const char*>{"--tls-cert=/c.pem", "--tls-key=/k.pem"},
        std::vector<const char*>{"--tls-ca=/ca.pem"},
        std::vector<const char*>{"--tls-cert=/c", "--tls-key=/k", "--tls-ca=/a",
                                 "--tls-reload-s=0"},
        std::vector<const char*>{"--tls-cert=/c", "--tls-key=/k", "--tls-ca=/a",
                                 "--tls-reload-s=86401"},
        std::vector<const char*>{"--health-listen=nohost"}}) {
    std::vector<const char*> bad_args = kRequired;
    bad_args.insert(bad_args.end(), bad.begin(), bad.end());
    auto parsed = Parse(bad_args, {});
    EXPECT_FALSE(parsed.ok()) << bad_args.back();
    EXPECT_EQ(parsed.status().message().find('\n'), std::string::npos);
  }
}

TEST(ServerConfigTest, PlaintextOnlyOnLoopback) {
  for (const char* listen : {"--listen=127.0.0.1:1", "--listen=127.8.9.10:1", "--listen=[::1]:1",
                             "--listen=localhost:1"}) {
    auto parsed = Parse({"--hub-region=EE", listen, "--data-dir=/x", "--reference-data=a"}, {});
    EXPECT_TRUE(parsed.ok()) << listen << ": " << parsed.status();
  }
  for (const char* listen : {"--listen=0.0.0.0:1", "--listen=[::]:1", "--listen=10.0.0.1:1",
                             "--listen=hub.example:1", "--listen=128.0.0.1:1"}) {
    auto parsed = Parse({"--hub-region=EE", listen, "--data-dir=/x", "--reference-data=a"}, {});
    ASSERT_FALSE(parsed.ok()) << listen;
    EXPECT_NE(parsed.status().message().find("loopback"), std::string::npos);
    auto with_tls = Parse({"--hub-region=EE", listen, "--data-dir=/x", "--reference-data=a",
                           "--tls-cert=/c", "--tls-key=/k", "--tls-ca=/a"},
                          {});
    EXPECT_TRUE(with_tls.ok()) << listen << ": " << with_tls.status();
  }
}

TEST(ServerConfigTest, TlsMakesTheServiceTokenOptional) {
  std::vector<const char*> args = kRequired;
  args.push_back("--service-endpoint=datacollection=127.0.0.1:7103");
  EXPECT_FALSE(Parse(args, {}).ok());
  args.insert(args.end(), {"--tls-cert=/c", "--tls-key=/k", "--tls-ca=/a"});
  EXPECT_TRUE(Parse(args, {}).ok());
}

}  // namespace
}  // namespace slihub
