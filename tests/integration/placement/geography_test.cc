// Locations given only as a postcode district, through the real binary: coordinates derived from
// the district table in deploy/reference, a distance limit that is applied (not skipped), and an
// unknown district refused with a field violation.
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "gtest/gtest.h"
#include "slihub/placement/v1/placement_service.grpc.pb.h"
#include "tests/integration/placement/placement_client.h"
#include "tests/integration/service_process.h"
#include "tests/support/free_port.h"
#include "tests/support/temp_dir.h"

namespace slihub::testing {
namespace {

namespace pb = ::slihub::placement::v1;
using Stub = pb::PlacementService::Stub;

class GeographyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(server_.Start().ok());
    admin_ = server_.IssueToken("ee-admin", {Role::kRegionalAdmin});
    provider_ = server_.IssueToken("acme-1", {Role::kProvider});
    officer_ = server_.IssueToken("873-po", {Role::kPlacementOfficer}, "873");
    stub_ = pb::PlacementService::NewStub(server_.NewChannel());
    pb::CreateProviderRequest cp;
    cp.set_request_id("provider-geo");
    cp.mutable_provider()->set_name("Kernow Homes");
    cp.mutable_provider()->set_kind(pb::PROVIDER_KIND_PRIVATE);
    cp.mutable_provider()->add_member_subjects("acme-1");
    pb::CreateProviderResponse made;
    ASSERT_TRUE(CallPlacement(stub_.get(), admin_, &Stub::CreateProvider, cp, &made).ok());
    provider_id_ = made.provider().provider_id();
  }

  // A setting in `district` of `la`, given without coordinates.
  pb::CreateSettingRequest DistrictOnlySetting(const std::string& urn, const std::string& la,
                                               const std::string& district) {
    pb::CreateSettingRequest req =
        SettingRequest(provider_id_, urn, la, 0, 0, pb::OFSTED_GRADE_GOOD);
    req.mutable_setting()->mutable_location()->clear_coordinates();
    req.mutable_setting()->mutable_location()->set_postcode_district(district);
    return req;
  }

  // A referral from 873 (Cambridgeshire) for a child from `district`, given without coordinates.
  pb::CreateReferralRequest DistrictOnlyReferral(const std::string& district, double max_miles) {
    pb::CreateReferralRequest req = NorwichReferral("873", max_miles);
    req.set_request_id("referral-" + district);
    pb::Location* home = req.mutable_referral()->mutable_profile()->mutable_home_location();
    home->clear_coordinates();
    home->set_postcode_district(district);
    return req;
  }

  ServiceProcess server_{PlacementOptions()};
  std::unique_ptr<Stub> stub_;
  std::string admin_, provider_, officer_, provider_id_;
};

TEST_F(GeographyTest, DistrictsGiveCoordinatesAndTruroIsNotWithinTwentyMilesOfCambridge) {
  pb::CreateSettingResponse truro;
  grpc::Status st = CallPlacement(stub_.get(), provider_, &Stub::CreateSetting,
                                  DistrictOnlySetting("SC800001", "908", "TR1"), &truro);
  ASSERT_TRUE(st.ok()) << st.error_message();
  // The centroid of TR1 from deploy/reference/postcode_districts.csv.
  ASSERT_TRUE(truro.setting().location().has_coordinates());
  EXPECT_NEAR(truro.setting().location().coordinates().latitude(), 50.26, 0.05);
  EXPECT_NEAR(truro.setting().location().coordinates().longitude(), -5.05, 0.05);
  pb::CreateSettingResponse cambridge;
  st = CallPlacement(stub_.get(), provider_, &Stub::CreateSetting,
                     DistrictOnlySetting("SC800002", "873", "cb4"), &cambridge);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(cambridge.setting().location().postcode_district(), "CB4");
  std::vector<std::string> vacancy_ids;
  for (const pb::CreateSettingResponse* s : {&truro, &cambridge}) {
    pb::PublishVacancyRequest pv = VacancyRequest(s->setting().setting_id(), "v-1", 1, 390000);
    pv.set_request_id("vacancy-" + s->setting().setting_id());
    pb::PublishVacancyResponse published;
    st = CallPlacement(stub_.get(), provider_, &Stub::PublishVacancy, pv, &published);
    ASSERT_TRUE(st.ok()) << st.error_message();
    vacancy_ids.push_back(published.vacancy().vacancy_id());
  }

  pb::CreateReferralResponse referral;
  st = CallPlacement(stub_.get(), officer_, &Stub::CreateReferral, DistrictOnlyReferral("CB1", 20),
                     &referral);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_TRUE(referral.referral().profile().home_location().has_coordinates());

  pb::MatchPlacementsRequest match;
  match.set_referral_id(referral.referral().referral_id());
  match.set_scope(common::v1::REGION_SCOPE_NATIONAL);
  pb::MatchPlacementsResponse matches;
  st = CallPlacement(stub_.get(), officer_, &Stub::MatchPlacements, match, &matches);
  ASSERT_TRUE(st.ok()) << st.error_message();
  ASSERT_EQ(matches.matches_size(), 1);
  EXPECT_EQ(matches.matches(0).vacancy().vacancy_id(), vacancy_ids[1]);  // Cambridge only
  EXPECT_TRUE(matches.matches(0).distance_known());
  EXPECT_LT(matches.matches(0).distance_miles(), 5);

  pb::ExplainExclusionRequest explain;
  explain.set_referral_id(referral.referral().referral_id());
  explain.set_vacancy_id(vacancy_ids[0]);
  explain.set_scope(common::v1::REGION_SCOPE_NATIONAL);
  pb::ExplainExclusionResponse why;
  st = CallPlacement(stub_.get(), officer_, &Stub::ExplainExclusion, explain, &why);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_TRUE(why.excluded());
  bool distance_failed = false;
  for (const pb::FilterResult& f : why.filters()) {
    if (f.filter() == pb::MATCH_FILTER_DISTANCE) distance_failed = !f.passed();
  }
  EXPECT_TRUE(distance_failed);
}

TEST_F(GeographyTest, UnknownDistrictsAndLimitsWithoutAHomeAreRefused) {
  pb::CreateSettingResponse setting;
  grpc::Status st = CallPlacement(stub_.get(), provider_, &Stub::CreateSetting,
                                  DistrictOnlySetting("SC800003", "873", "ZZ9"), &setting);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<FieldViolation> violations = GetFieldViolations(FromGrpcStatus(st));
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "setting.location.postcode_district");

  pb::CreateReferralResponse referral;
  st = CallPlacement(stub_.get(), officer_, &Stub::CreateReferral, DistrictOnlyReferral("QQ1", 0),
                     &referral);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  violations = GetFieldViolations(FromGrpcStatus(st));
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "referral.profile.home_location.postcode_district");

  pb::CreateReferralRequest no_home = DistrictOnlyReferral("CB1", 20);
  no_home.mutable_referral()->mutable_profile()->clear_home_location();
  st = CallPlacement(stub_.get(), officer_, &Stub::CreateReferral, no_home, &referral);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  violations = GetFieldViolations(FromGrpcStatus(st));
  ASSERT_EQ(violations.size(), 1u);
  EXPECT_EQ(violations[0].field, "referral.constraints.max_distance_miles");
}

TEST(GeographyStartupTest, MissingDistrictsFileStopsTheServiceNamingIt) {
  TempDir reference;
  const std::string la_csv = reference.Join("local_authorities.csv");
  std::filesystem::copy_file(
      std::string(SLIHUB_SOURCE_DIR) + "/deploy/reference/local_authorities.csv", la_csv);
  ServiceProcess server(PlacementOptions());
  ASSERT_TRUE(
      server
          .StartRaw({"--hub-region=EE", "--listen=127.0.0.1:" + std::to_string(PickFreePort()),
                     "--data-dir=" + server.data_dir(), "--reference-data=" + la_csv})
          .ok());
  auto exit = server.process().WaitForExit(absl::Seconds(10));
  ASSERT_TRUE(exit.has_value());
  EXPECT_NE(exit->exit_code, 0);
  EXPECT_TRUE(absl::StrContains(server.process().ReadStderr(), "postcode_districts.csv"))
      << server.process().ReadStderr();
}

}  // namespace
}  // namespace slihub::testing
