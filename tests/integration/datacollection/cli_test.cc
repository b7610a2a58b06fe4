// `slihub data submit` and `slihub data status` through the real CLI binary against a real
// slihub-datacollection with the demo data.
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "slihub/datacollection/v1/datacollection_service.grpc.pb.h"
#include "tests/integration/cli_runner.h"
#include "tests/integration/datacollection/demo_server_test.h"
#include "tests/support/temp_dir.h"

namespace slihub::testing {
namespace {

namespace dc = ::slihub::datacollection::v1;

class DataCliTest : public DemoServerTest {
 protected:
  static const std::string& Admin() { return Token("ee-admin", {Role::kRegionalAdmin}); }
  static const std::string& Officer() { return Token("873-data", {Role::kDataOfficer}, "873"); }

  // Runs `slihub <args> --endpoint=... --token=<token>`.
  CliResult Run(std::vector<std::string> args, const std::string& token) {
    args.push_back("--endpoint=" + server_->endpoint());
    args.push_back("--token=" + token);
    return RunCli(dir_.path(), args, {{"SLIHUB_CA_CERT", ""}});  // the demo server is plaintext
  }

  std::string WriteFile(const std::string& name, const std::string& content) {
    const std::string path = dir_.Join(name);
    std::ofstream(path, std::ios::binary) << content;
    return path;
  }

  std::string PeriodIn(dc::PeriodState state) { return DemoServerTest::PeriodIn(state, Admin()); }

  TempDir dir_{"slihub-data-cli"};
};

TEST_F(DataCliTest, SubmitIsAllOrNothingReportsBadRowsByLineAndColumnAndFails) {
  const std::string period = PeriodIn(dc::PERIOD_STATE_OPEN);
  ASSERT_FALSE(period.empty());
  const std::string csv = WriteFile("q.csv", absl::StrCat(
      "la_code,indicator_id,value,state,note\n",
      "873,CSC-ASSESS-45D,88.5,,\n",                 // 2 good
      "873,CP-PLAN-RATE,,missing,Not recorded\n",    // 3 good
      "873,CSC-REREFERRAL-12M,21.55,,\n",            // 4 too many decimal places
      "874,CL-EET,55.0,,\n"));                       // 5 another LA's figure
  CliResult run = Run({"data", "submit", "--csv=" + csv, "--period=" + period}, Officer());
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_TRUE(absl::StrContains(run.err, csv + ":4: value: ")) << run.err;
  EXPECT_TRUE(absl::StrContains(run.err, csv + ":5: la_code: ")) << run.err;
  EXPECT_TRUE(absl::StrContains(run.out, "4 rows read, 0 accepted, 4 rejected (nothing stored")) << run.out;
  dc::GetReturnResponse none;
  EXPECT_EQ(GetReturn(Officer(), "873", period, 0, &none).code(), absl::StatusCode::kNotFound);

  // --partial stores the good rows (and still fails the command).
  CliResult partial = Run({"data", "submit", "--csv=" + csv, "--period=" + period, "--partial"}, Officer());
  EXPECT_EQ(partial.exit_code, 1) << partial.err;
  EXPECT_TRUE(absl::StrContains(partial.out, "4 rows read, 2 accepted, 2 rejected")) << partial.out;
  dc::GetReturnResponse stored;
  ASSERT_TRUE(GetReturn(Officer(), "873", period, 0, &stored).ok());
  EXPECT_EQ(stored.la_return().version(), 1);
  EXPECT_EQ(stored.la_return().values_size(), 2);

  // The same command again is a replay: nothing new is stored and the answer is the same.
  CliResult again = Run({"data", "submit", "--csv=" + csv, "--period=" + period, "--partial"}, Officer());
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(again.out, "replayed")) << again.out;
  EXPECT_TRUE(absl::StrContains(again.err, csv + ":4: value: ")) << again.err;
}

TEST_F(DataCliTest, SubmitRefusesAFileThatIsNotUtf8WithLineAndColumn) {
  const std::string period = PeriodIn(dc::PERIOD_STATE_OPEN);
  const std::string csv = WriteFile("latin1.csv", "la_code,indicator_id,state,note\n"
                                                  "919,CL-EET,missing,Donn\xE9" "es manquantes\n");
  CliResult run = Run({"data", "submit", "--csv=" + csv, "--period=" + period}, Admin());
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_TRUE(absl::StrContains(run.err, csv + ":2:24: not valid UTF-8 (byte 0xe9)")) << run.err;
  dc::GetReturnResponse none;
  EXPECT_EQ(GetReturn(Admin(), "919", period, 0, &none).code(), absl::StatusCode::kNotFound);
}

TEST_F(DataCliTest, SubmitOfAGoodFileSucceedsAndRowsOfAnotherPeriodAreBad) {
  const std::string period = PeriodIn(dc::PERIOD_STATE_OPEN);
  const std::string good = WriteFile("good.csv", "la_code,period_id,indicator_id,value\n882," + period +
                                                     ",CL-EET,57.5\n882," + period + ",CL-SUITABLE-ACCOM,90.0\n");
  CliResult run = Run({"data", "submit", "--csv=" + good, "--period=" + period}, Admin());
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(absl::StrContains(run.out, "2 rows read, 2 accepted, 0 rejected")) << run.out;

  const std::string other = WriteFile("other.csv", "la_code,period_id,indicator_id,value\n883,1999-Q1,CL-EET,50.0\n");
  CliResult refused = Run({"data", "submit", "--csv=" + other, "--period=" + period, "--dry-run"}, Admin());
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(refused.err, other + ":2: period_id: this import is for period " + period))
      << refused.err;

  CliResult missing = Run({"data", "submit", "--csv=" + dir_.Join("nope.csv"), "--period=" + period}, Admin());
  EXPECT_EQ(missing.exit_code, 2);
}

TEST_F(DataCliTest, ACouncilSeesTheRugOnceTheRegionalAdminPublishesIt) {
  const std::string period = PeriodIn(dc::PERIOD_STATE_LATE);
  CliResult before = Run({"data", "rug", "--period=" + period, "--of-region=EE"}, Officer());
  EXPECT_EQ(before.exit_code, 1) << before.out;
  EXPECT_TRUE(absl::StrContains(before.err, "not published yet")) << before.err;

  CliResult refused = Run({"data", "publish", "--period=" + period}, Officer());
  EXPECT_NE(refused.exit_code, 0);
  CliResult published = Run({"data", "publish", "--period=" + period}, Admin());
  EXPECT_EQ(published.exit_code, 0) << published.err;
  EXPECT_TRUE(absl::StrContains(published.out, "published EE-core " + period)) << published.out;

  CliResult after = Run({"data", "rug", "--period=" + period, "--of-region=EE"}, Officer());
  EXPECT_EQ(after.exit_code, 0) << after.err;
  EXPECT_TRUE(absl::StrContains(after.out, "\r\nEE,EE-core," + period + ",")) << after.out;
}

TEST_F(DataCliTest, StatusShowsWhoIsLateOrMissingAndReturnsIsAnAlias) {
  const std::string period = PeriodIn(dc::PERIOD_STATE_LATE);
  for (const char* command : {"status", "returns"}) {
    CliResult run = Run({"data", command, "--period=" + period}, Admin());
    EXPECT_EQ(run.exit_code, 1) << command << run.err;  // not every LA on time
    EXPECT_TRUE(absl::StrContains(run.out, "MISSING")) << run.out;
    EXPECT_TRUE(absl::StrContains(run.out, "LATE")) << run.out;
    EXPECT_TRUE(absl::StrContains(run.out, "935")) << run.out;  // the demo LA that has not submitted
  }
}

}  // namespace
}  // namespace slihub::testing
