// `slihub workforce import` and `slihub workforce check` through the real CLI binary against the
// real workforce server: bad CSV rows reported by line, verdict tables, --json and exit codes.
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "slihub/workforce/v1/workforce_service.grpc.pb.h"
#include "tests/integration/cli_runner.h"
#include "tests/integration/service_process.h"
#include "tests/integration/workforce/workforce_fixtures.h"
#include "tests/support/temp_dir.h"

namespace slihub::testing {
namespace {

class WorkforceCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start().ok());
    hr_ = server_.IssueToken("873-hr-1", {Role::kHrOfficer}, "873");
    auto stub = wf::WorkforceService::NewStub(server_.NewChannel());
    grpc::ClientContext context;
    PrepareContext(&context, server_.IssueToken("ee-admin", {Role::kRegionalAdmin}));
    wf::PublishRuleSetRequest publish;
    publish.set_request_id(NewRequestId());
    *publish.mutable_rule_set() = EasternRules(Date(2025, 10, 1), 4000);
    wf::PublishRuleSetResponse published;
    ASSERT_TRUE(stub->PublishRuleSet(&context, publish, &published).ok());
  }

  // Runs `slihub workforce <args> --endpoint ... --token ...`.
  CliResult Run(std::vector<std::string> args) {
    std::vector<std::string> argv = {"workforce"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back("--endpoint=" + server_.endpoint());
    argv.push_back("--token=" + hr_);
    return RunCli(dir_.path(), argv);
  }

  void RecordRegistered(const std::string& swe) {
    auto stub = wf::WorkforceService::NewStub(server_.NewChannel());
    grpc::ClientContext context;
    PrepareContext(&context, hr_);
    wf::RecordRegisterCheckRequest check;
    check.set_request_id(NewRequestId());
    check.set_swe_number(swe);
    check.set_status(wf::REGISTER_STATUS_REGISTERED);
    check.mutable_checked_at()->set_seconds(1764547200);  // 1 Dec 2025
    wf::RecordRegisterCheckResponse recorded;
    ASSERT_TRUE(stub->RecordRegisterCheck(&context, check, &recorded).ok());
  }

  ServiceProcess server_;
  TempDir dir_{"slihub-workforce-cli"};
  std::string hr_;
};

TEST_F(WorkforceCliTest, ImportReportsBadRowsByLineAndKeepsTheGoodOnes) {
  const std::string csv = dir_.path() + "/hr-export.csv";
  std::ofstream(csv) << "Record ID,SWE Number,LA Code,Employment Type,Job Type,Local Job Title,"
                        "Start Date,End Date,Leaving Reason,Child and Family,ASYE\n"
                        "r-1,sw6001,873,permanent,social worker,,01/01/2015,31/12/2020,"
                        "resigned,yes,no\n"
                        "r-2,SW6002,873,permanent,social-worker,,2016-01-01,2020-12-31,"
                        "redundant,yes,no\n"
                        "r-3,SW0001,873,permanent,social-worker,,2016-01-01,2020-01-01,"
                        "resigned,yes,no\n"
                        "r-4,SW6004,873,contractor,social-worker,,2016-01-01,,,yes,no\n"
                        "r-5,SW6005,873,permanent,social-worker,,2020-01-01,2019-01-01,"
                        "resigned,yes,no\n"
                        "r-6,SW6006,873,permanent,social-worker,,2020-13-01,,,yes,no\n";
  CliResult imported = Run({"import", "--csv", csv});
  EXPECT_EQ(imported.exit_code, 1) << imported.err;
  EXPECT_TRUE(absl::StrContains(imported.out, "created 2, updated 0, unchanged 0, rejected 4"))
      << imported.out;
  EXPECT_TRUE(absl::StartsWith(imported.err, "line 4: swe_number: ")) << imported.err;
  EXPECT_TRUE(absl::StrContains(imported.err, "\nline 5: employment_type: ")) << imported.err;
  EXPECT_TRUE(absl::StrContains(imported.err, "\nline 6: end_date: ")) << imported.err;
  EXPECT_TRUE(absl::StrContains(imported.err, "\nline 7: start_date: ")) << imported.err;

  // The same export again changes nothing (the batch replays); a clean file exits 0.
  CliResult again = Run({"import", "--csv", csv});
  EXPECT_TRUE(absl::StrContains(again.out, "created 2")) << again.out;
  const std::string clean = dir_.path() + "/clean.csv";
  std::ofstream(clean) << "record_id,swe_number,la_code,employment_type,job_type,start_date\n"
                          "r-1,SW6001,873,permanent,social-worker,2015-01-01\n";
  CliResult updated = Run({"import", "--csv", clean});
  EXPECT_EQ(updated.exit_code, 0) << updated.err;
  EXPECT_TRUE(absl::StrContains(updated.out, "updated 1")) << updated.out;

  CliResult no_header = Run({"import", "--csv", dir_.path() + "/missing.csv"});
  EXPECT_EQ(no_header.exit_code, 2);
}

// A Windows-1252 HR export (an en dash 0x96, a curly apostrophe 0x92) is refused before
// anything is sent, naming the file, line and column and what to do.
TEST_F(WorkforceCliTest, ImportRefusesAFileThatIsNotUtf8WithFileLineAndColumn) {
  const std::string csv = dir_.path() + "/hr-export-1252.csv";
  std::ofstream(csv, std::ios::binary)
      << "record_id,swe_number,la_code,employment_type,job_type,local_job_title,start_date\n"
         "r-1,SW6101,873,permanent,social-worker,Senior Practitioner,2015-01-01\n"
         "r-2,SW6102,873,permanent,social-worker,Practitioner \x96 O\x92" "Brien team,"
         "2016-01-01\n";
  CliResult imported = Run({"import", "--csv", csv});
  EXPECT_EQ(imported.exit_code, 2) << imported.err;
  EXPECT_TRUE(absl::StartsWith(imported.err,
                               csv + ":3:53: byte 0x96 is not UTF-8; the file looks like "
                                     "Windows-1252: save it as UTF-8"))
      << imported.err;
  EXPECT_FALSE(absl::StrContains(imported.err, "UNIMPLEMENTED")) << imported.err;
  // Nothing was sent: the good first row is not on record either.
  auto stub = wf::WorkforceService::NewStub(server_.NewChannel());
  grpc::ClientContext context;
  PrepareContext(&context, hr_);
  wf::GetWorkerRequest get;
  get.set_swe_number("SW6101");
  wf::GetWorkerResponse got;
  EXPECT_EQ(stub->GetWorker(&context, get, &got).error_code(), grpc::StatusCode::NOT_FOUND);
}

TEST_F(WorkforceCliTest, CheckPrintsEachRuleAndExitsOneWhenNotCompliant) {
  const std::string csv = dir_.path() + "/history.csv";
  std::ofstream(csv) << "record_id,swe_number,la_code,employment_type,job_type,start_date,"
                        "end_date,leaving_reason,child_and_family\n"
                        "h-1,SW6001,873,permanent,social-worker,2015-01-01,2020-12-31,"
                        "resigned,yes\n";
  ASSERT_EQ(Run({"import", "--csv", csv}).exit_code, 0);
  RecordRegistered("SW6001");
  const std::vector<std::string> terms = {
      "check", "--swe", "sw6001", "--la", "873", "--job-type", "social-worker", "--model",
      "limited-company", "--start", "2026-01-05", "--notice-weeks", "4",
      "--reference", "la,la=926,practice,template,received=2025-12-01",
      "--reference", "employer,practice,received=2025-12-02"};
  std::vector<std::string> ok = terms;
  ok.insert(ok.end(), {"--pay-pence", "3900"});
  CliResult compliant = Run(ok);
  EXPECT_EQ(compliant.exit_code, 0) << compliant.err;
  EXPECT_TRUE(absl::StrContains(compliant.out, "RULE")) << compliant.out;
  EXPECT_TRUE(absl::StrContains(compliant.out, "PAY_CAP")) << compliant.out;
  EXPECT_TRUE(absl::StrContains(compliant.out, "REGISTRATION")) << compliant.out;
  EXPECT_TRUE(absl::StrContains(compliant.out, "verdict: COMPLIANT (EE rule set v1"))
      << compliant.out;

  std::vector<std::string> over = terms;
  over.insert(over.end(), {"--pay-pence", "4150"});
  CliResult failing = Run(over);
  EXPECT_EQ(failing.exit_code, 1) << failing.err;
  EXPECT_TRUE(absl::StrContains(failing.out, "FAIL")) << failing.out;
  EXPECT_TRUE(absl::StrContains(failing.out, "verdict: NON_COMPLIANT")) << failing.out;

  over.push_back("--json");
  CliResult json = Run(over);
  EXPECT_EQ(json.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(json.out, "\"VERDICT_NON_COMPLIANT\"")) << json.out;
  EXPECT_TRUE(absl::StrContains(json.out, "\"excess\"")) << json.out;

  std::vector<std::string> bad_model = ok;
  bad_model[8] = "freelance";
  CliResult usage = Run(bad_model);
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_TRUE(absl::StrContains(usage.err, "--model")) << usage.err;
}

}  // namespace
}  // namespace slihub::testing
