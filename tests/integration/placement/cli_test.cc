// `slihub placement ...` through the real CLI binary against a real placement server with the EE
// demo data: match (table with reasons, and --json), hold, release, hold again, confirm, the UASC
// rota, and the exit codes of failures.
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/civil_date.h"
#include "gtest/gtest.h"
#include "slihub/placement/v1/placement_service.grpc.pb.h"
#include "tests/integration/cli_runner.h"
#include "tests/integration/placement/placement_client.h"
#include "tests/support/temp_dir.h"

namespace slihub::testing {
namespace {

namespace pb = ::slihub::placement::v1;

class PlacementCliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_ = std::make_unique<ServiceProcess>(PlacementOptions("EE", {"--demo-data"}));
    ASSERT_TRUE(server_->Start().ok());
    officer_ = server_->IssueToken("926-po", {Role::kPlacementOfficer}, "926");
  }

  // Runs `slihub placement <args> --endpoint ... --token ...`.
  CliResult Cli(std::vector<std::string> args) {
    std::vector<std::string> argv = {"placement"};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.push_back("--endpoint=" + server_->endpoint());
    argv.push_back("--token=" + officer_);
    return RunCli(dir_.path(), argv);
  }

  std::string CreateReferral() {
    auto stub = pb::PlacementService::NewStub(server_->NewChannel());
    const pb::CreateReferralRequest req = NorwichReferral("926", 80);
    pb::CreateReferralResponse resp;
    EXPECT_TRUE(
        CallPlacement(stub.get(), officer_, &pb::PlacementService::Stub::CreateReferral, req, &resp)
            .ok());
    return resp.referral().referral_id();
  }

  // The first value of JSON field `field` in `json` (a string), or "".
  static std::string JsonField(const std::string& json, const std::string& field) {
    std::smatch m;
    return std::regex_search(json, m, std::regex("\"" + field + "\":\\s*\"([^\"]*)\"")) ? m[1].str()
                                                                                        : "";
  }

  TempDir dir_{"slihub-placement-cli"};
  std::unique_ptr<ServiceProcess> server_;
  std::string officer_;
};

TEST_F(PlacementCliTest, MatchHoldReleaseConfirmAndTheRota) {
  const std::string referral = CreateReferral();
  ASSERT_FALSE(referral.empty());

  CliResult table = Cli({"match", "--referral=" + referral});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_TRUE(absl::StrContains(table.out, "RANK")) << table.out;
  EXPECT_TRUE(absl::StrContains(table.out, "passed DISTANCE")) << table.out;
  EXPECT_TRUE(absl::StrContains(table.out, "score  DISTANCE")) << table.out;
  EXPECT_TRUE(absl::StrContains(table.out, "excluded:")) << table.out;

  CliResult json = Cli({"match", "--referral=" + referral, "--limit=1", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const std::string vacancy = JsonField(json.out, "vacancy_id");
  ASSERT_FALSE(vacancy.empty()) << json.out;
  EXPECT_TRUE(absl::StrContains(json.out, "\"components\"")) << json.out;

  CliResult held =
      Cli({"hold", "--vacancy=" + vacancy, "--referral=" + referral, "--hours=2", "--json"});
  ASSERT_EQ(held.exit_code, 0) << held.err;
  const std::string hold = JsonField(held.out, "hold_id");
  ASSERT_FALSE(hold.empty()) << held.out;
  EXPECT_EQ(JsonField(held.out, "state"), "HOLD_STATE_ACTIVE");

  CliResult released = Cli({"release", "--hold=" + hold, "--reason=family placement found"});
  ASSERT_EQ(released.exit_code, 0) << released.err;
  EXPECT_TRUE(absl::StrContains(released.out, "RELEASED")) << released.out;

  CliResult again = Cli({"hold", "--vacancy=" + vacancy, "--referral=" + referral, "--json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const std::string hold2 = JsonField(again.out, "hold_id");
  const std::string today = FormatCivilDate(absl::ToCivilDay(absl::Now(), absl::UTCTimeZone()));
  CliResult bad_date = Cli({"confirm", "--hold=" + hold2, "--start-date=31/12/2026"});
  EXPECT_EQ(bad_date.exit_code, 2) << bad_date.err;
  CliResult confirmed = Cli({"confirm", "--hold=" + hold2, "--start-date=" + today});
  ASSERT_EQ(confirmed.exit_code, 0) << confirmed.err;
  EXPECT_TRUE(absl::StrContains(confirmed.out, "PLACEMENT")) << confirmed.out;
  EXPECT_TRUE(absl::StrContains(confirmed.out, today)) << confirmed.out;

  CliResult lost = Cli({"hold", "--vacancy=EE-v-999", "--referral=" + referral});
  EXPECT_EQ(lost.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(lost.err, "NOT_FOUND")) << lost.err;

  CliResult rota = Cli({"uasc", "rota", "--region=EE"});
  ASSERT_EQ(rota.exit_code, 0) << rota.err;
  EXPECT_TRUE(absl::StrContains(rota.out, "UASC rota for EE")) << rota.out;
  EXPECT_TRUE(absl::StrContains(rota.out, "threshold 0.10% of under-18s")) << rota.out;
  EXPECT_TRUE(absl::StrContains(rota.out, "POSITION")) << rota.out;
  EXPECT_TRUE(absl::StrContains(rota.out, "not receiving")) << rota.out;
  CliResult rota_json = Cli({"uasc", "rota", "--region=EE", "--json", "--as-of=" + today});
  ASSERT_EQ(rota_json.exit_code, 0) << rota_json.err;
  EXPECT_TRUE(absl::StrContains(rota_json.out, "\"entries\"")) << rota_json.out;
}

TEST_F(PlacementCliTest, ReferralCreateFromAnAnonymisedProfileThenMatch) {
  CliResult made = Cli({"referral", "create", "--la=926", "--age=13", "--sex=male",
                        "--need=emotional-behavioural", "--need=abuse-neglect",
                        "--home-district=nr2", "--max-miles=40", "--json"});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  const std::string referral = JsonField(made.out, "referral_id");
  ASSERT_FALSE(referral.empty()) << made.out;
  EXPECT_EQ(JsonField(made.out, "postcode_district"), "NR2");
  EXPECT_TRUE(absl::StrContains(made.out, "\"coordinates\"")) << made.out;  // from the district

  CliResult table = Cli({"referral", "create", "--la=926", "--age=9", "--sex=female",
                         "--need=learning-disability", "--home-district=NR7", "--urgency=planned"});
  ASSERT_EQ(table.exit_code, 0) << table.err;
  EXPECT_TRUE(absl::StrContains(table.out, "REFERRAL")) << table.out;
  EXPECT_TRUE(absl::StrContains(table.out, "LEARNING_DISABILITY")) << table.out;

  CliResult matched = Cli({"match", "--referral=" + referral});
  ASSERT_EQ(matched.exit_code, 0) << matched.err;
  EXPECT_TRUE(absl::StrContains(matched.out, "Demo Norwich House")) << matched.out;

  CliResult bad_sex = Cli({"referral", "create", "--la=926", "--age=13", "--sex=boy"});
  EXPECT_EQ(bad_sex.exit_code, 2) << bad_sex.err;
  EXPECT_TRUE(absl::StrContains(bad_sex.err, "--sex")) << bad_sex.err;
  CliResult full_postcode =
      Cli({"referral", "create", "--la=926", "--age=13", "--sex=male", "--home-district=NR2 4AB"});
  EXPECT_EQ(full_postcode.exit_code, 1);
  EXPECT_TRUE(absl::StrContains(full_postcode.err, "home_location.postcode_district"))
      << full_postcode.err;
}

TEST_F(PlacementCliTest, DemoReferralsAreAnonymisedAndCanBeMatchedAndHeld) {
  auto stub = pb::PlacementService::NewStub(server_->NewChannel());
  pb::ListReferralsRequest list;
  list.mutable_la_code()->set_value("926");
  pb::ListReferralsResponse referrals;
  ASSERT_TRUE(CallPlacement(stub.get(), officer_, &pb::PlacementService::Stub::ListReferrals, list,
                            &referrals)
                  .ok());
  ASSERT_GE(referrals.referrals_size(), 1);
  const pb::Referral& demo = referrals.referrals(0);
  EXPECT_EQ(demo.audit().created_by(), "demo-data");
  // A district, never a full postcode; no name or date of birth fields exist to fill.
  EXPECT_LE(demo.profile().home_location().postcode_district().size(), 4u);
  EXPECT_TRUE(demo.profile().home_location().has_coordinates());

  CliResult json = Cli({"match", "--referral=" + demo.referral_id(), "--limit=1", "--json"});
  ASSERT_EQ(json.exit_code, 0) << json.err;
  const std::string vacancy = JsonField(json.out, "vacancy_id");
  ASSERT_FALSE(vacancy.empty()) << json.out;
  CliResult held = Cli({"hold", "--vacancy=" + vacancy, "--referral=" + demo.referral_id()});
  ASSERT_EQ(held.exit_code, 0) << held.err;
  EXPECT_TRUE(absl::StrContains(held.out, "ACTIVE")) << held.out;
}

}  // namespace
}  // namespace slihub::testing
