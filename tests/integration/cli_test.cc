// The slihub CLI as people and scripts use it: a real binary against a real server.
#include <sys/stat.h>

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

TEST(CliTest, ATokenCreatedWithTheCliIsAcceptedOnTheVeryNextCall) {
  // Reloads every 10 minutes: only the on-demand reload for an unknown token can admit it.
  ServiceProcessOptions options;
  options.token_refresh_ms = 600000;
  ServiceProcess server(options);
  ASSERT_TRUE(server.Start().ok());
  TempDir dir("slihub-cli");
  const std::string db = "--identity-db=" + server.data_dir() + "/identity.db";
  for (int i = 0; i < 3; ++i) {
    CliResult created =
        RunCli(dir.path(), {"token", "create", db, absl::StrCat("--subject=873-hr-", i),
                            "--region=EE", "--la=873", "--role=hr_officer"});
    ASSERT_EQ(created.exit_code, 0) << created.err;
    const std::string token(absl::StripTrailingAsciiWhitespace(created.out));
    CliResult whoami =
        RunCli(dir.path(), {"whoami", "--endpoint=" + server.endpoint(), "--token=" + token});
    EXPECT_EQ(whoami.exit_code, 0) << whoami.err;
    EXPECT_TRUE(absl::StrContains(whoami.out, absl::StrCat("873-hr-", i))) << whoami.out;
  }
  // A token nobody issued is still refused, after the reload.
  CliResult unknown = RunCli(dir.path(), {"whoami", "--endpoint=" + server.endpoint(),
                                          "--token=slh_0000000000000000000000000000000000000000"});
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(unknown.err, "UNAUTHENTICATED")) << unknown.err;
}

TEST(CliTest, ATokenFileIsReadableByItsOwnerOnly) {
  TempDir dir("slihub-cli");
  const std::string file = dir.Join("token");
  std::ofstream(file) << "old";
  ASSERT_EQ(chmod(file.c_str(), 0644), 0);
  CliResult created = RunCli(dir.path(), {"token", "create", "--init",
                                          "--identity-db=" + dir.Join("identity.db"),
                                          "--subject=ee-admin", "--region=EE",
                                          "--role=regional_admin", "--output=" + file});
  ASSERT_EQ(created.exit_code, 0) << created.err;
  EXPECT_EQ(created.out, "");  // the secret goes to the file only
  struct stat info;
  ASSERT_EQ(stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  std::ifstream in(file);
  std::string token;
  in >> token;
  EXPECT_TRUE(absl::StartsWith(token, "slh_")) << token;
}

TEST(CliTest, TokenCreateChecksRegionLaAndRolesAgainstTheReferenceData) {
  TempDir dir("slihub-cli");
  const std::string db = "--identity-db=" + dir.Join("identity.db");
  struct Case {
    std::vector<std::string> args;
    std::string expected;
  } cases[] = {
      {{"--region=SE", "--la=873", "--role=hr_officer"},
       "--la 873 (Cambridgeshire) is in region EE, not in the token's region SE"},
      {{"--region=XX", "--role=regional_admin"}, "--region 'XX' is not a region of"},
      {{"--region=EE", "--la=999", "--role=hr_officer"},
       "--la 999 is not a local authority of"},
      {{"--region=EE", "--role=hr_officer"},
       "role hr_officer speaks for one local authority: --la is required with it"},
      {{"--region=EE", "--role=reader", "--role=dcs"}, "role dcs speaks for one local authority"},
      {{"--region=XX", "--role=hub"}, "--region 'XX' is not a region of"},
      {{"--region=SE", "--la=886", "--role=hub"}, "role hub speaks for a whole region"},
      {{"--region=SE", "--role=hub", "--role=hr_officer", "--la=886"},
       "it may not be combined with role hr_officer"},
      {{"--region=SE", "--role=regional_admin", "--role=hub"},
       "it may not be combined with role regional_admin"},
      {{"--region=EE", "--role=service",
        "--scope=/slihub.datacollection.v1.DataCollectionService/Nope"},
       "is not a method of the contract"},
      {{"--region=EE", "--role=service", "--scope=GetBenchmark"},
       "is not a method of the contract"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"token", "create", "--init", db, "--subject=x"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    CliResult refused = RunCli(dir.path(), args);
    EXPECT_EQ(refused.exit_code, 2) << c.expected << ": " << refused.err;
    EXPECT_TRUE(absl::StrContains(refused.err, c.expected)) << refused.err;
    EXPECT_EQ(std::count(refused.err.begin(), refused.err.end(), '\n'), 1) << refused.err;
  }
  CliResult listed = RunCli(dir.path(), {"token", "list", db});
  EXPECT_EQ(listed.exit_code, 1) << "nothing may have been created: " << listed.out;

  // The same checks against an explicit reference file; a good token passes them.
  const std::string reference = std::string("--reference-data=") + SLIHUB_SOURCE_DIR +
                                "/deploy/reference/local_authorities.csv";
  CliResult good = RunCli(dir.path(), {"token", "create", "--init", db, reference,
                                       "--subject=825-hr-1", "--region=SE", "--la=825",
                                       "--role=hr_officer"});
  EXPECT_EQ(good.exit_code, 0) << good.err;
  CliResult wide = RunCli(dir.path(), {"token", "create", db, "--subject=se-admin",
                                       "--region=SE", "--role=regional_admin"});
  EXPECT_EQ(wide.exit_code, 0) << wide.err;
  // A hub token: SE's hub calling this one (EE's identity database), region-wide, role hub only.
  CliResult hub = RunCli(dir.path(), {"token", "create", db, "--subject=hub-SE", "--region=SE",
                                      "--role=hub"});
  EXPECT_EQ(hub.exit_code, 0) << hub.err;
  // A least-privilege token: the methods it may call, and list shows them.
  CliResult scoped = RunCli(
      dir.path(), {"token", "create", db, "--subject=svc-peerreview", "--region=SE",
                   "--role=service",
                   "--scope=/slihub.datacollection.v1.DataCollectionService/GetBenchmark",
                   "--scope=/slihub.common.v1.DiagnosticsService/WhoAmI"});
  EXPECT_EQ(scoped.exit_code, 0) << scoped.err;
  CliResult with_hub = RunCli(dir.path(), {"token", "list", db});
  EXPECT_TRUE(absl::StrContains(with_hub.out, "hub-SE")) << with_hub.out;
  EXPECT_TRUE(absl::StrContains(with_hub.out,
                                "DataCollectionService/GetBenchmark,DiagnosticsService/WhoAmI"))
      << with_hub.out;
  CliResult missing_file = RunCli(dir.path(), {"token", "create", db, "--subject=y",
                                               "--region=SE", "--role=regional_admin",
                                               "--reference-data=/nonexistent.csv"});
  EXPECT_EQ(missing_file.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(missing_file.err, "--reference-data")) << missing_file.err;
}

TEST(CliTest, AMissingIdentityDatabaseIsRefusedUnlessCreateSaysInit) {
  TempDir dir("slihub-cli");
  const std::string path = dir.Join("identty.db");
  const std::string db = "--identity-db=" + path;
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"token", "list", db},
           {"token", "revoke", db, "873-hr-1"},
           {"token", "create", db, "--subject=a", "--region=EE", "--role=regional_admin"}}) {
    CliResult refused = RunCli(dir.path(), args);
    EXPECT_EQ(refused.exit_code, 1) << args[1];
    EXPECT_TRUE(absl::StrContains(refused.err, "identity database " + path + " does not exist"))
        << refused.err;
    EXPECT_EQ(std::count(refused.err.begin(), refused.err.end(), '\n'), 1) << refused.err;
    struct stat info;
    EXPECT_NE(stat(path.c_str(), &info), 0) << args[1] << " created " << path;
  }
  CliResult init = RunCli(dir.path(), {"token", "create", "--init", db, "--subject=a",
                                       "--region=EE", "--role=regional_admin"});
  EXPECT_EQ(init.exit_code, 0) << init.err;
  EXPECT_EQ(RunCli(dir.path(), {"token", "list", db}).exit_code, 0);
}

TEST(CliTest, RegionFollowsTheLayoutThatToolsDevUpRecorded) {
  ServiceProcess server;  // workforce on a free port P: the layout says EE's base is P - 1
  ASSERT_TRUE(server.Start().ok());
  const int port = std::stoi(server.endpoint().substr(server.endpoint().rfind(':') + 1));
  TempDir state("slihub-state");
  std::ofstream(state.Join("stack.conf"))
      << "# written by tools/dev up\npid=1\nredis=7190\nregion.EE=" << port - 1
      << "\nregion.NW=" << port + 100 << "\n";
  const std::map<std::string, std::string> env = {{"SLIHUB_STATE_DIR", state.path()}};
  CliResult health = RunCli(state.path(), {"health", "--region=EE"}, env);
  EXPECT_EQ(health.exit_code, 0) << health.err;
  EXPECT_TRUE(absl::StartsWith(health.out, server.endpoint() + " SERVING")) << health.out;
  // A region the layout does not have is a usage error naming the layout's regions.
  CliResult other = RunCli(state.path(), {"health", "--region=SE"}, env);
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(other.err, "(EE, NW, from " + state.Join("stack.conf") + ")"))
      << other.err;
  // With no layout file, the default layout (EE 7100, SE 7200) is used.
  TempDir empty("slihub-state");
  CliResult fallback = RunCli(empty.path(), {"health", "--region=XX"},
                              {{"SLIHUB_STATE_DIR", empty.path()}});
  EXPECT_EQ(fallback.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(fallback.err, "(EE, SE, from the default layout)"))
      << fallback.err;
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
