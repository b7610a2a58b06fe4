// Who may read and write which provider's records, through the real binary: a provider reads
// only its own settings and vacancies; a regional admin of another region cannot write on this
// hub (the request layer refuses it with REGION_OUT_OF_SCOPE).
#include <memory>
#include <string>

#include "absl/time/clock.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "common/identity/token_store.h"
#include "gtest/gtest.h"
#include "slihub/placement/v1/placement_service.grpc.pb.h"
#include "tests/integration/placement/placement_client.h"
#include "tests/integration/service_process.h"

namespace slihub::testing {
namespace {

namespace pb = ::slihub::placement::v1;
using Stub = pb::PlacementService::Stub;

class PlacementAccessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServiceProcess(PlacementOptions());
    ASSERT_TRUE(server_->Start().ok());
    stub_ = pb::PlacementService::NewStub(server_->NewChannel()).release();
    // A regional admin of SE in this (EE) hub's identity database: a token the hub knows, of a
    // principal from another region. IssueToken below waits until the hub has reloaded both.
    auto tokens = TokenStore::Open(server_->data_dir() + "/identity.db");
    ASSERT_TRUE(tokens.ok());
    TokenSpec spec;
    spec.subject = "se-admin";
    spec.region_code = "SE";
    spec.roles = {Role::kRegionalAdmin};
    absl::StatusOr<std::string> se = (*tokens)->Create(spec, absl::Now() - absl::Minutes(1));
    ASSERT_TRUE(se.ok());
    se_admin_ = new std::string(*se);
    admin_ = new std::string(server_->IssueToken("ee-admin", {Role::kRegionalAdmin}));
    acme_ = new std::string(server_->IssueToken("acme-1", {Role::kProvider}));
    rival_ = new std::string(server_->IssueToken("rival-1", {Role::kProvider}));
    officer_ = new std::string(server_->IssueToken("926-po", {Role::kPlacementOfficer}, "926"));
    seeded_ = new SeededRegister(SeedRegister(stub_, *admin_, *acme_, *officer_));
    ASSERT_FALSE(seeded_->vacancy.vacancy_id().empty());
  }
  static void TearDownTestSuite() {
    delete stub_;
    delete server_;
  }

  static ServiceProcess* server_;
  static Stub* stub_;
  static std::string *se_admin_, *admin_, *acme_, *rival_, *officer_;
  static SeededRegister* seeded_;
};
ServiceProcess* PlacementAccessTest::server_ = nullptr;
Stub* PlacementAccessTest::stub_ = nullptr;
std::string* PlacementAccessTest::se_admin_ = nullptr;
std::string* PlacementAccessTest::admin_ = nullptr;
std::string* PlacementAccessTest::acme_ = nullptr;
std::string* PlacementAccessTest::rival_ = nullptr;
std::string* PlacementAccessTest::officer_ = nullptr;
SeededRegister* PlacementAccessTest::seeded_ = nullptr;

TEST_F(PlacementAccessTest, AProviderReadsOnlyItsOwnVacanciesAndSettings) {
  pb::GetVacancyRequest gv;
  gv.set_vacancy_id(seeded_->vacancy.vacancy_id());
  pb::GetVacancyResponse vacancy;
  grpc::Status st = CallPlacement(stub_, *rival_, &Stub::GetVacancy, gv, &vacancy);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(GetErrorReason(FromGrpcStatus(st)), "NOT_OWN_PROVIDER");
  EXPECT_FALSE(vacancy.has_vacancy());
  pb::GetSettingRequest gs;
  gs.set_setting_id(seeded_->setting_id);
  pb::GetSettingResponse setting;
  st = CallPlacement(stub_, *rival_, &Stub::GetSetting, gs, &setting);
  EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(GetErrorReason(FromGrpcStatus(st)), "NOT_OWN_PROVIDER");

  // The owner and every placement officer still read both.
  for (const std::string* token : {acme_, officer_}) {
    EXPECT_TRUE(CallPlacement(stub_, *token, &Stub::GetVacancy, gv, &vacancy).ok());
    EXPECT_EQ(vacancy.vacancy().vacancy_id(), seeded_->vacancy.vacancy_id());
    EXPECT_TRUE(CallPlacement(stub_, *token, &Stub::GetSetting, gs, &setting).ok());
    EXPECT_EQ(setting.setting().setting_id(), seeded_->setting_id);
  }
}

TEST_F(PlacementAccessTest, ARegionalAdminOfAnotherRegionCannotWriteOnThisHub) {
  auto expect_out_of_scope = [](const grpc::Status& st) {
    EXPECT_EQ(st.error_code(), grpc::StatusCode::PERMISSION_DENIED) << st.error_message();
    EXPECT_EQ(GetErrorReason(FromGrpcStatus(st)), "REGION_OUT_OF_SCOPE");
  };
  pb::CreateProviderRequest cp;
  cp.set_request_id("se-provider");
  cp.mutable_provider()->set_name("Southern Homes");
  cp.mutable_provider()->set_kind(pb::PROVIDER_KIND_PRIVATE);
  pb::CreateProviderResponse provider;
  expect_out_of_scope(CallPlacement(stub_, *se_admin_, &Stub::CreateProvider, cp, &provider));

  pb::CreateSettingResponse setting;
  expect_out_of_scope(CallPlacement(
      stub_, *se_admin_, &Stub::CreateSetting,
      SettingRequest(seeded_->provider_id, "SC700009", "926", 52.63, 1.30, pb::OFSTED_GRADE_GOOD),
      &setting));

  pb::UpdateVacancyRequest uv;
  uv.set_request_id("se-update");
  *uv.mutable_vacancy() = seeded_->vacancy;
  uv.mutable_vacancy()->set_beds(1);
  pb::UpdateVacancyResponse updated;
  expect_out_of_scope(CallPlacement(stub_, *se_admin_, &Stub::UpdateVacancy, uv, &updated));

  // Nothing changed.
  pb::GetVacancyRequest gv;
  gv.set_vacancy_id(seeded_->vacancy.vacancy_id());
  pb::GetVacancyResponse now;
  ASSERT_TRUE(CallPlacement(stub_, *admin_, &Stub::GetVacancy, gv, &now).ok());
  EXPECT_EQ(now.vacancy().beds(), seeded_->vacancy.beds());
  EXPECT_EQ(now.vacancy().version(), seeded_->vacancy.version());
}

}  // namespace
}  // namespace slihub::testing
