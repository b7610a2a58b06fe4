// The slihub CLI as people and scripts use it: a real binary against a real server.
#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "tests/integration/cli_runner.h"
#include "tests/integration/service_process.h"
#include "tests/support/temp_dir.h"

namespace slihub::testing {
namespace {

// The financial quarter before today's, as the demo data names periods ("2026-Q2").
std::string PreviousQuarterId() {
  const absl::CivilDay today = absl::ToCivilDay(absl::Now(), absl::UTCTimeZone());
  int fy = static_cast<int>(today.year()) - (today.month() < 4 ? 1 : 0);
  int quarter = ((today.month() + 8) % 12) / 3 + 1;
  if (--quarter == 0) {
    quarter = 4;
    --fy;
  }
  return absl::StrCat(fy, "-Q", quarter);
}

TEST(CliTest, TokensAreIssuedListedUsedAndRevoked) {
  ServiceProcess server;
  ASSERT_TRUE(server.Start().ok());
  TempDir dir("slihub-cli");
  const std::string db = "--identity-db=" + server.data_dir() + "/identity.db";
  CliResult created = RunCli(dir.path(), {"token", "create", db, "--subject=873-hr-9", "--region=EE",
                                   "--la=873", "--role=hr_officer", "--expires-in=1d"});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  const std::string token(absl::StripTrailingAsciiWhitespace(created.out));
  ASSERT_TRUE(absl::StartsWith(token, "slh_")) << token;

  CliResult listed = RunCli(dir.path(), {"token", "list", db});
  EXPECT_EQ(listed.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(listed.out, "873-hr-9"));
  EXPECT_FALSE(absl::StrContains(listed.out, token));  // never the secret

  CliResult whoami;
  for (int i = 0; i < 50 && whoami.exit_code != 0; ++i) {  // the server reloads tokens every 100 ms
    whoami = RunCli(dir.path(), {"whoami", "--endpoint=" + server.endpoint(), "--token=" + token});
  }
  EXPECT_EQ(whoami.exit_code, 0) << whoami.err;
  EXPECT_TRUE(absl::StrContains(whoami.out, "HR_OFFICER")) << whoami.out;

  CliResult bad_role = RunCli(dir.path(), {"token", "create", db, "--subject=x", "--region=EE",
                                    "--role=wizard"});
  EXPECT_EQ(bad_role.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(bad_role.err, "unknown role 'wizard'"));

  EXPECT_EQ(RunCli(dir.path(), {"token", "revoke", db, "873-hr-9"}).exit_code, 0);
  CliResult refused;
  for (int i = 0; i < 50 && refused.exit_code != 1; ++i) {
    refused = RunCli(dir.path(), {"whoami", "--endpoint=" + server.endpoint(), "--token=" + token});
  }
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(refused.err, "UNAUTHENTICATED")) << refused.err;
}

TEST(CliTest, ReferenceLookupsPrintTablesJsonAndFieldViolations) {
  ServiceProcess server;
  ASSERT_TRUE(server.Start().ok());
  const std::string token = server.IssueToken("it-reader", {Role::kReader});
  TempDir dir("slihub-cli");
  const std::string endpoint = "--endpoint=" + server.endpoint();
  CliResult la = RunCli(dir.path(), {"ref", "la", "926", endpoint, "--token=" + token});
  EXPECT_EQ(la.exit_code, 0) << la.err;
  EXPECT_TRUE(absl::StrContains(la.out, "Norfolk"));

  CliResult json = RunCli(dir.path(), {"ref", "list", "--of-region=SE", "--json", endpoint,
                                "--token=" + token});
  EXPECT_EQ(json.exit_code, 0) << json.err;
  EXPECT_TRUE(absl::StrContains(json.out, "\"total_size\": \"19\"")) << json.out;

  CliResult bad = RunCli(dir.path(), {"ref", "la", "87", endpoint, "--token=" + token});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(bad.err, "field la_code.value")) << bad.err;

  EXPECT_EQ(RunCli(dir.path(), {"health", endpoint}).exit_code, 0);  // no token needed
  EXPECT_EQ(RunCli(dir.path(), {"ref", "la"}).exit_code, 2);         // usage error
}

TEST(CliTest, DataRugAndReturnsAgainstTheDemoData) {
  ServiceProcessOptions options;
  options.service = "datacollection";
  options.extra_args = {"--demo-data"};
  ServiceProcess server(options);
  ASSERT_TRUE(server.Start().ok());
  const std::string token = server.IssueToken("it-admin", {Role::kRegionalAdmin});
  TempDir dir("slihub-cli");
  const std::string endpoint = "--endpoint=" + server.endpoint();
  const std::string period = "--period=" + PreviousQuarterId();

  // The demo quarter has one late and one missing LA: the on-time check fails, and says who.
  CliResult returns = RunCli(dir.path(), {"data", "returns", period, endpoint, "--token=" + token});
  EXPECT_EQ(returns.exit_code, 1) << returns.err;
  EXPECT_TRUE(absl::StrContains(returns.out, "MISSING")) << returns.out;
  EXPECT_TRUE(absl::StrContains(returns.out, "LATE")) << returns.out;

  const std::string html = dir.Join("rug.html");
  CliResult rug = RunCli(dir.path(), {"data", "rug", period, "--html=" + html, endpoint,
                               "--token=" + token});
  ASSERT_EQ(rug.exit_code, 0) << rug.err;
  std::ifstream in(html);
  std::stringstream page;
  page << in.rdbuf();
  EXPECT_TRUE(absl::StrContains(page.str(), "<svg")) << page.str().substr(0, 200);
  EXPECT_FALSE(absl::StrContains(page.str(), "<script"));

  CliResult csv = RunCli(dir.path(), {"data", "rug", period, endpoint, "--token=" + token});
  EXPECT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_TRUE(absl::StartsWith(csv.out, "region,")) << csv.out.substr(0, 100);
}

TEST(CliTest, PeerGroupsProposeShowsGroupsAndConstraints) {
  ServiceProcessOptions options;
  options.service = "peerreview";
  options.extra_args = {"--demo-data"};
  ServiceProcess server(options);
  ASSERT_TRUE(server.Start().ok());
  const std::string token = server.IssueToken("it-admin", {Role::kRegionalAdmin});
  TempDir dir("slihub-cli");
  const std::string endpoint = "--endpoint=" + server.endpoint();

  CliResult proposed = RunCli(dir.path(), {"peer", "groups", "propose", "--cycle=EE-2025", endpoint,
                                    "--token=" + token});
  ASSERT_EQ(proposed.exit_code, 0) << proposed.err;
  EXPECT_TRUE(absl::StrContains(proposed.out, "OPTIMAL")) << proposed.out;
  EXPECT_TRUE(absl::StrContains(proposed.out, "(proven optimal)")) << proposed.out;
  EXPECT_TRUE(absl::StrContains(proposed.out, "G4")) << proposed.out;  // 11 LAs: 3, 3, 3, 2
  EXPECT_FALSE(absl::StrContains(proposed.out, "VIOLATED")) << proposed.out;

  CliResult bad = RunCli(dir.path(), {"peer", "groups", "propose", "--cycle=EE-2025", "--size=5",
                               endpoint, "--token=" + token});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(bad.err, "field config.group_size")) << bad.err;
}

}  // namespace
}  // namespace slihub::testing
