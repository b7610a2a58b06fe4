// ListReferrals, ListHolds and ListPlacements through the real placement binary: newest first,
// filters, pages, and each caller's scope (own LA, own providers, region); ListProviders and
// ListSettings; UpdateSetting's, UpdateProvider's and UpdateReferral's
// version, state and replay checks.
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "slihub/placement/v1/placement_service.grpc.pb.h"
#include "tests/integration/placement/placement_client.h"

namespace slihub::testing {
namespace {

namespace pb = ::slihub::placement::v1;
using Stub = pb::PlacementService::Stub;

TEST(PlacementListsTest, NewestFirstFilteredPagedAndScoped) {
  ServiceProcess server(PlacementOptions());
  ASSERT_TRUE(server.Start().ok());
  const std::string admin = server.IssueToken("ee-admin", {Role::kRegionalAdmin});
  const std::string provider = server.IssueToken("acme-1", {Role::kProvider});
  const std::string stranger = server.IssueToken("other-provider", {Role::kProvider});
  const std::string officer = server.IssueToken("926-po", {Role::kPlacementOfficer}, "926");
  auto stub = pb::PlacementService::NewStub(server.NewChannel());
  const SeededRegister seeded = SeedRegister(stub.get(), admin, provider, officer);
  pb::CreateReferralRequest second = NorwichReferral("926", 0);
  second.set_request_id("second");
  pb::CreateReferralResponse referral2;
  ASSERT_TRUE(CallPlacement(stub.get(), officer, &Stub::CreateReferral, second, &referral2).ok());

  std::vector<std::string> hold_ids;
  for (const std::string& referral : {seeded.referral_id, referral2.referral().referral_id()}) {
    pb::HoldVacancyRequest hold;
    hold.set_request_id(NextRequestId("hold"));
    hold.set_vacancy_id(seeded.vacancy.vacancy_id());
    hold.set_referral_id(referral);
    pb::HoldVacancyResponse held;
    ASSERT_TRUE(CallPlacement(stub.get(), officer, &Stub::HoldVacancy, hold, &held).ok());
    hold_ids.push_back(held.hold().hold_id());
  }
  pb::ConfirmPlacementRequest confirm;
  confirm.set_request_id(NextRequestId("confirm"));
  confirm.set_hold_id(hold_ids[0]);
  confirm.set_version(1);
  confirm.mutable_start_date()->set_year(2026);
  confirm.mutable_start_date()->set_month(12);
  confirm.mutable_start_date()->set_day(1);
  pb::ConfirmPlacementResponse placed;
  ASSERT_TRUE(CallPlacement(stub.get(), officer, &Stub::ConfirmPlacement, confirm, &placed).ok());

  pb::ListHoldsRequest holds;
  holds.mutable_page()->set_page_size(1);
  pb::ListHoldsResponse page1, page2;
  ASSERT_TRUE(CallPlacement(stub.get(), officer, &Stub::ListHolds, holds, &page1).ok());
  ASSERT_EQ(page1.holds_size(), 1);
  EXPECT_EQ(page1.holds(0).hold_id(), hold_ids[1]);  // newest first
  ASSERT_FALSE(page1.page().next_page_token().empty());
  holds.mutable_page()->set_page_token(page1.page().next_page_token());
  ASSERT_TRUE(CallPlacement(stub.get(), officer, &Stub::ListHolds, holds, &page2).ok());
  ASSERT_EQ(page2.holds_size(), 1);
  EXPECT_EQ(page2.holds(0).hold_id(), hold_ids[0]);
  EXPECT_TRUE(page2.page().next_page_token().empty());

  pb::ListHoldsRequest active;
  active.set_state(pb::HOLD_STATE_ACTIVE);
  pb::ListHoldsResponse listed;
  ASSERT_TRUE(CallPlacement(stub.get(), provider, &Stub::ListHolds, active, &listed).ok());
  EXPECT_EQ(listed.holds_size(), 1);
  ASSERT_TRUE(CallPlacement(stub.get(), stranger, &Stub::ListHolds, active, &listed).ok());
  EXPECT_EQ(listed.holds_size(), 0);  // not its vacancies
  active.mutable_la_code()->set_value("873");
  EXPECT_EQ(CallPlacement(stub.get(), officer, &Stub::ListHolds, active, &listed).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  pb::ListReferralsRequest open;
  open.set_state(pb::REFERRAL_STATE_OPEN);
  pb::ListReferralsResponse referrals;
  ASSERT_TRUE(CallPlacement(stub.get(), officer, &Stub::ListReferrals, open, &referrals).ok());
  ASSERT_EQ(referrals.referrals_size(), 1);
  EXPECT_EQ(referrals.referrals(0).referral_id(), referral2.referral().referral_id());
  ASSERT_TRUE(
      CallPlacement(stub.get(), admin, &Stub::ListReferrals, pb::ListReferralsRequest(), &referrals)
          .ok());
  EXPECT_EQ(referrals.referrals_size(), 2);
  EXPECT_EQ(CallPlacement(stub.get(), provider, &Stub::ListReferrals, pb::ListReferralsRequest(),
                          &referrals)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  pb::ListPlacementsRequest placements;
  placements.mutable_host_la()->set_value("926");
  pb::ListPlacementsResponse found;
  ASSERT_TRUE(CallPlacement(stub.get(), provider, &Stub::ListPlacements, placements, &found).ok());
  ASSERT_EQ(found.placements_size(), 1);
  EXPECT_EQ(found.placements(0).placement_id(), placed.placement().placement_id());
  placements.mutable_period_start()->set_year(2027);
  placements.mutable_period_start()->set_month(1);
  placements.mutable_period_start()->set_day(1);
  ASSERT_TRUE(CallPlacement(stub.get(), admin, &Stub::ListPlacements, placements, &found).ok());
  EXPECT_EQ(found.placements_size(), 0);
  *placements.mutable_period_end() = confirm.start_date();
  EXPECT_EQ(
      CallPlacement(stub.get(), admin, &Stub::ListPlacements, placements, &found).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);

  // ListProviders in name order, paged; ListSettings scoped and filtered.
  pb::CreateProviderRequest beta;
  beta.set_request_id(NextRequestId("beta"));
  beta.mutable_provider()->set_name("Beta Care");
  beta.mutable_provider()->set_kind(pb::PROVIDER_KIND_VOLUNTARY);
  pb::CreateProviderResponse beta_made;
  ASSERT_TRUE(CallPlacement(stub.get(), admin, &Stub::CreateProvider, beta, &beta_made).ok());
  pb::ListProvidersRequest providers;
  providers.mutable_page()->set_page_size(1);
  std::vector<std::string> names;
  for (int i = 0; i < 5; ++i) {
    pb::ListProvidersResponse page;
    ASSERT_TRUE(CallPlacement(stub.get(), officer, &Stub::ListProviders, providers, &page).ok());
    for (const pb::Provider& p : page.providers()) names.push_back(p.name());
    if (page.page().next_page_token().empty()) break;
    providers.mutable_page()->set_page_token(page.page().next_page_token());
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Acme Homes", "Beta Care"}));
  pb::ListProvidersRequest voluntary;
  voluntary.set_kind(pb::PROVIDER_KIND_VOLUNTARY);
  pb::ListProvidersResponse kinds;
  ASSERT_TRUE(CallPlacement(stub.get(), admin, &Stub::ListProviders, voluntary, &kinds).ok());
  ASSERT_EQ(kinds.providers_size(), 1);
  EXPECT_EQ(kinds.providers(0).name(), "Beta Care");

  pb::ListSettingsRequest settings;
  pb::ListSettingsResponse listed_settings;
  ASSERT_TRUE(
      CallPlacement(stub.get(), provider, &Stub::ListSettings, settings, &listed_settings).ok());
  EXPECT_EQ(listed_settings.settings_size(), 1);
  ASSERT_TRUE(
      CallPlacement(stub.get(), stranger, &Stub::ListSettings, settings, &listed_settings).ok());
  EXPECT_EQ(listed_settings.settings_size(), 0);
  settings.set_scope(common::v1::REGION_SCOPE_OWN_LA);
  ASSERT_TRUE(
      CallPlacement(stub.get(), officer, &Stub::ListSettings, settings, &listed_settings).ok());
  EXPECT_EQ(listed_settings.settings_size(), 1);
  settings.set_scope(common::v1::REGION_SCOPE_NATIONAL);
  settings.add_placement_types(pb::PLACEMENT_TYPE_INDEPENDENT_FOSTERING_AGENCY);
  ASSERT_TRUE(
      CallPlacement(stub.get(), admin, &Stub::ListSettings, settings, &listed_settings).ok());
  EXPECT_EQ(listed_settings.settings_size(), 0);
  settings.clear_placement_types();
  settings.mutable_host_la()->set_value("873");
  ASSERT_TRUE(
      CallPlacement(stub.get(), admin, &Stub::ListSettings, settings, &listed_settings).ok());
  EXPECT_EQ(listed_settings.settings_size(), 0);
  settings.add_placement_types(static_cast<pb::PlacementType>(99));
  EXPECT_EQ(CallPlacement(stub.get(), admin, &Stub::ListSettings, settings, &listed_settings)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  // UpdateSetting: the provider changes the grade once per version; the provider is fixed.
  pb::GetSettingRequest get_setting;
  get_setting.set_setting_id(seeded.setting_id);
  pb::GetSettingResponse setting_now;
  ASSERT_TRUE(CallPlacement(stub.get(), admin, &Stub::GetSetting, get_setting, &setting_now).ok());
  pb::UpdateSettingRequest regrade;
  regrade.set_request_id("regrade-1");
  *regrade.mutable_setting() = setting_now.setting();
  regrade.mutable_setting()->set_ofsted_grade(pb::OFSTED_GRADE_OUTSTANDING);
  pb::UpdateSettingResponse regraded;
  ASSERT_TRUE(CallPlacement(stub.get(), provider, &Stub::UpdateSetting, regrade, &regraded).ok());
  EXPECT_EQ(regraded.setting().ofsted_grade(), pb::OFSTED_GRADE_OUTSTANDING);
  EXPECT_EQ(regraded.setting().version(), setting_now.setting().version() + 1);
  regrade.set_request_id("regrade-2");
  EXPECT_EQ(
      CallPlacement(stub.get(), provider, &Stub::UpdateSetting, regrade, &regraded).error_code(),
      grpc::StatusCode::ABORTED);
  EXPECT_EQ(
      CallPlacement(stub.get(), stranger, &Stub::UpdateSetting, regrade, &regraded).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  regrade.mutable_setting()->set_provider_id(beta_made.provider().provider_id());
  EXPECT_EQ(CallPlacement(stub.get(), admin, &Stub::UpdateSetting, regrade, &regraded).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  // UpdateProvider: the provider renames itself but may not change its members; versions checked.
  pb::UpdateProviderRequest rename;
  rename.set_request_id("rename-1");
  pb::GetProviderRequest get_provider;
  get_provider.set_provider_id(seeded.provider_id);
  pb::GetProviderResponse current;
  ASSERT_TRUE(CallPlacement(stub.get(), admin, &Stub::GetProvider, get_provider, &current).ok());
  *rename.mutable_provider() = current.provider();
  rename.mutable_provider()->set_name("Acme Homes Ltd");
  pb::UpdateProviderResponse renamed;
  ASSERT_TRUE(CallPlacement(stub.get(), provider, &Stub::UpdateProvider, rename, &renamed).ok());
  EXPECT_EQ(renamed.provider().name(), "Acme Homes Ltd");
  EXPECT_EQ(renamed.provider().version(), current.provider().version() + 1);
  rename.set_request_id("rename-2");
  EXPECT_EQ(
      CallPlacement(stub.get(), provider, &Stub::UpdateProvider, rename, &renamed).error_code(),
      grpc::StatusCode::ABORTED);
  rename.mutable_provider()->set_version(renamed.provider().version());
  rename.mutable_provider()->add_member_subjects("acme-2");
  EXPECT_EQ(
      CallPlacement(stub.get(), provider, &Stub::UpdateProvider, rename, &renamed).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(
      CallPlacement(stub.get(), stranger, &Stub::UpdateProvider, rename, &renamed).error_code(),
      grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(CallPlacement(stub.get(), admin, &Stub::UpdateProvider, rename, &renamed).ok());
  EXPECT_EQ(renamed.provider().member_subjects_size(), 2);
  rename.mutable_provider()->set_name("");
  EXPECT_EQ(CallPlacement(stub.get(), admin, &Stub::UpdateProvider, rename, &renamed).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);

  // UpdateReferral: the open referral takes a new profile once per version; the placed one refuses.
  pb::UpdateReferralRequest update;
  update.set_request_id("update-1");
  update.set_referral_id(referral2.referral().referral_id());
  update.set_version(referral2.referral().version());
  *update.mutable_profile() = second.referral().profile();
  update.mutable_profile()->set_age_years(14);
  *update.mutable_constraints() = second.referral().constraints();
  pb::UpdateReferralResponse updated;
  ASSERT_TRUE(CallPlacement(stub.get(), officer, &Stub::UpdateReferral, update, &updated).ok());
  EXPECT_EQ(updated.referral().profile().age_years(), 14);
  EXPECT_EQ(updated.referral().version(), referral2.referral().version() + 1);
  ASSERT_TRUE(CallPlacement(stub.get(), officer, &Stub::UpdateReferral, update, &updated).ok());
  EXPECT_EQ(updated.referral().version(), referral2.referral().version() + 1);  // a replay
  update.set_request_id("update-2");
  EXPECT_EQ(
      CallPlacement(stub.get(), officer, &Stub::UpdateReferral, update, &updated).error_code(),
      grpc::StatusCode::ABORTED);
  update.set_referral_id(seeded.referral_id);
  update.set_version(2);
  EXPECT_EQ(
      CallPlacement(stub.get(), officer, &Stub::UpdateReferral, update, &updated).error_code(),
      grpc::StatusCode::FAILED_PRECONDITION);  // placed
  update.mutable_profile()->set_age_years(30);
  EXPECT_EQ(
      CallPlacement(stub.get(), officer, &Stub::UpdateReferral, update, &updated).error_code(),
      grpc::StatusCode::INVALID_ARGUMENT);
}

}  // namespace
}  // namespace slihub::testing
