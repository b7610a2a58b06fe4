// The placement service through its real binary: publishing, matching with explanations, holds,
// confirmation, release, expiry, version conflicts, validation, and 100 clients racing for one bed.
#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "common/errors/errors.h"
#include "common/errors/grpc_status.h"
#include "gtest/gtest.h"
#include "slihub/placement/v1/placement_service.grpc.pb.h"
#include "tests/integration/placement/placement_client.h"
#include "tests/integration/service_process.h"
#include "tests/support/wait_for.h"

namespace slihub::testing {
namespace {

namespace pb = ::slihub::placement::v1;

const std::vector<std::string> kEeLas = {"821", "822", "823", "873", "874", "881",
                                         "882", "883", "919", "926", "935"};

class PlacementIntegrationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server_ = new ServiceProcess(PlacementOptions());
    ASSERT_TRUE(server_->Start().ok());
    admin_ = new std::string(server_->IssueToken("ee-admin", {Role::kRegionalAdmin}));
    provider_ = new std::string(server_->IssueToken("acme-1", {Role::kProvider}));
    stranger_ = new std::string(server_->IssueToken("other-provider", {Role::kProvider}));
    officers_ = new std::map<std::string, std::string>();
    for (const std::string& la : kEeLas) {
      (*officers_)[la] = server_->IssueToken(la + "-po", {Role::kPlacementOfficer}, la);
    }
    stub_ = pb::PlacementService::NewStub(server_->NewChannel()).release();

    pb::CreateProviderRequest cp;
    cp.set_request_id("provider-1");
    cp.mutable_provider()->set_name("Acme Homes");
    cp.mutable_provider()->set_kind(pb::PROVIDER_KIND_PRIVATE);
    cp.mutable_provider()->add_member_subjects("acme-1");
    pb::CreateProviderResponse provider;
    ASSERT_TRUE(Call(*admin_, &pb::PlacementService::Stub::CreateProvider, cp, &provider).ok());
    provider_id_ = new std::string(provider.provider().provider_id());
  }

  static void TearDownTestSuite() {
    delete stub_;
    delete server_;
  }

  template <typename Req, typename Resp>
  static grpc::Status Call(const std::string& token,
                           grpc::Status (pb::PlacementService::Stub::*method)(grpc::ClientContext*,
                                                                              const Req&, Resp*),
                           const Req& request, Resp* response,
                           pb::PlacementService::Stub* stub = nullptr) {
    return CallPlacement(stub ? stub : stub_, token, method, request, response);
  }

  // A setting of Acme's in `la` at the given point; returns its id.
  static std::string MakeSetting(const std::string& urn, const std::string& la, double lat,
                                 double lon, pb::OfstedGrade grade) {
    const pb::CreateSettingRequest req = SettingRequest(*provider_id_, urn, la, lat, lon, grade);
    pb::CreateSettingResponse resp;
    const grpc::Status st =
        Call(*provider_, &pb::PlacementService::Stub::CreateSetting, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.setting().setting_id();
  }

  static pb::Vacancy Publish(const std::string& setting_id, const std::string& record_id, int beds,
                             int64_t cost_pence) {
    const pb::PublishVacancyRequest req = VacancyRequest(setting_id, record_id, beds, cost_pence);
    pb::PublishVacancyResponse resp;
    const grpc::Status st =
        Call(*provider_, &pb::PlacementService::Stub::PublishVacancy, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.vacancy();
  }

  static pb::Referral Refer(const std::string& la, int64_t max_cost_pence = 0,
                            double max_miles = 0) {
    pb::CreateReferralRequest req = NorwichReferral(la, max_miles);
    if (max_cost_pence > 0) {
      req.mutable_referral()->mutable_constraints()->mutable_max_weekly_cost()->set_pence(
          max_cost_pence);
    }
    pb::CreateReferralResponse resp;
    const grpc::Status st =
        Call(officers_->at(la), &pb::PlacementService::Stub::CreateReferral, req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
    return resp.referral();
  }

  static pb::Vacancy GetVacancy(const std::string& id) {
    pb::GetVacancyRequest req;
    req.set_vacancy_id(id);
    pb::GetVacancyResponse resp;
    EXPECT_TRUE(Call(*admin_, &pb::PlacementService::Stub::GetVacancy, req, &resp).ok());
    return resp.vacancy();
  }

  static ServiceProcess* server_;
  static std::string* admin_;
  static std::string* provider_;
  static std::string* stranger_;
  static std::map<std::string, std::string>* officers_;
  static pb::PlacementService::Stub* stub_;
  static std::string* provider_id_;
};
ServiceProcess* PlacementIntegrationTest::server_ = nullptr;
std::string* PlacementIntegrationTest::admin_ = nullptr;
std::string* PlacementIntegrationTest::provider_ = nullptr;
std::string* PlacementIntegrationTest::stranger_ = nullptr;
std::map<std::string, std::string>* PlacementIntegrationTest::officers_ = nullptr;
pb::PlacementService::Stub* PlacementIntegrationTest::stub_ = nullptr;
std::string* PlacementIntegrationTest::provider_id_ = nullptr;

TEST_F(PlacementIntegrationTest, PublishMatchExplainHoldReleaseConfirm) {
  const std::string near = MakeSetting("SC100001", "926", 52.63, 1.30, pb::OFSTED_GRADE_GOOD);
  const std::string far = MakeSetting("SC100002", "935", 52.06, 1.18, pb::OFSTED_GRADE_OUTSTANDING);
  const std::string dear = MakeSetting("SC100003", "926", 52.64, 1.31, pb::OFSTED_GRADE_GOOD);
  const pb::Vacancy v_near = Publish(near, "a", 2, 380000);
  const pb::Vacancy v_far = Publish(far, "a", 1, 300000);
  const pb::Vacancy v_dear = Publish(dear, "a", 1, 520000);
  // Publishing the same record again is idempotent.
  const pb::Vacancy again = Publish(near, "a", 2, 380000);
  EXPECT_EQ(again.vacancy_id(), v_near.vacancy_id());

  const pb::Referral referral = Refer("926", 450000, 20);
  pb::MatchPlacementsRequest mreq;
  mreq.set_referral_id(referral.referral_id());
  pb::MatchPlacementsResponse match;
  ASSERT_TRUE(
      Call(officers_->at("926"), &pb::PlacementService::Stub::MatchPlacements, mreq, &match).ok());
  ASSERT_GE(match.matches_size(), 1);
  EXPECT_EQ(match.matches(0).vacancy().vacancy_id(), v_near.vacancy_id());
  EXPECT_EQ(match.matches(0).rank(), 1);
  EXPECT_TRUE(match.matches(0).in_la());
  EXPECT_EQ(match.matches(0).components_size(), 8);
  EXPECT_EQ(match.matches(0).passed_filters_size(), 12);
  for (const pb::Match& m : match.matches()) {
    EXPECT_NE(m.vacancy().vacancy_id(), v_far.vacancy_id());   // 40+ miles
    EXPECT_NE(m.vacancy().vacancy_id(), v_dear.vacancy_id());  // over the cost ceiling
  }
  EXPECT_GE(match.candidates(), 3);
  EXPECT_EQ(match.weights_size(), 8);
  EXPECT_EQ(match.page().total_size(), match.matches_size());

  // Pages of one give the same ranking, each with the full total and its passed filters.
  std::vector<std::string> paged;
  pb::MatchPlacementsRequest preq = mreq;
  preq.mutable_page()->set_page_size(1);
  for (int guard = 0; guard < 20; ++guard) {
    pb::MatchPlacementsResponse page;
    ASSERT_TRUE(
        Call(officers_->at("926"), &pb::PlacementService::Stub::MatchPlacements, preq, &page).ok());
    ASSERT_EQ(page.matches_size(), 1);
    EXPECT_EQ(page.page().total_size(), match.matches_size());
    EXPECT_EQ(page.matches(0).rank(), static_cast<int>(paged.size()) + 1);
    EXPECT_EQ(page.matches(0).passed_filters_size(), 12);
    paged.push_back(page.matches(0).vacancy().vacancy_id());
    if (page.page().next_page_token().empty()) break;
    preq.mutable_page()->set_page_token(page.page().next_page_token());
  }
  ASSERT_EQ(paged.size(), static_cast<size_t>(match.matches_size()));
  for (int i = 0; i < match.matches_size(); ++i) {
    EXPECT_EQ(paged[i], match.matches(i).vacancy().vacancy_id());
  }

  // Why not the far one? The distance filter says so, with the figures.
  pb::ExplainExclusionRequest ereq;
  ereq.set_referral_id(referral.referral_id());
  ereq.set_vacancy_id(v_far.vacancy_id());
  pb::ExplainExclusionResponse why;
  ASSERT_TRUE(
      Call(officers_->at("926"), &pb::PlacementService::Stub::ExplainExclusion, ereq, &why).ok());
  EXPECT_TRUE(why.excluded());
  ASSERT_EQ(why.filters_size(), 12);
  EXPECT_FALSE(why.filters(pb::MATCH_FILTER_DISTANCE - 1).passed());
  EXPECT_NE(why.filters(pb::MATCH_FILTER_DISTANCE - 1).explanation().find("miles >"),
            std::string::npos);
  ereq.set_vacancy_id(v_dear.vacancy_id());
  ASSERT_TRUE(
      Call(officers_->at("926"), &pb::PlacementService::Stub::ExplainExclusion, ereq, &why).ok());
  EXPECT_FALSE(why.filters(pb::MATCH_FILTER_COST - 1).passed());

  // Hold, release, hold again, confirm.
  pb::HoldVacancyRequest hreq;
  hreq.set_request_id("hold-1");
  hreq.set_vacancy_id(v_near.vacancy_id());
  hreq.set_referral_id(referral.referral_id());
  hreq.set_expected_vacancy_version(match.matches(0).vacancy().version());
  hreq.mutable_duration()->set_seconds(3600);
  pb::HoldVacancyResponse hold;
  grpc::Status st =
      Call(officers_->at("926"), &pb::PlacementService::Stub::HoldVacancy, hreq, &hold);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(hold.hold().state(), pb::HOLD_STATE_ACTIVE);
  EXPECT_EQ(hold.vacancy().beds_held(), 1);
  EXPECT_EQ(hold.vacancy().beds_free(), 1);
  // Another LA's officer may not release it.
  pb::ReleaseHoldRequest rreq;
  rreq.set_request_id("release-1");
  rreq.set_hold_id(hold.hold().hold_id());
  rreq.set_version(hold.hold().version());
  pb::ReleaseHoldResponse released;
  EXPECT_EQ(Call(officers_->at("935"), &pb::PlacementService::Stub::ReleaseHold, rreq, &released)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(
      Call(officers_->at("926"), &pb::PlacementService::Stub::ReleaseHold, rreq, &released).ok());
  EXPECT_EQ(released.hold().state(), pb::HOLD_STATE_RELEASED);
  EXPECT_EQ(released.vacancy().beds_held(), 0);

  hreq.set_request_id("hold-2");
  hreq.set_expected_vacancy_version(0);
  ASSERT_TRUE(
      Call(officers_->at("926"), &pb::PlacementService::Stub::HoldVacancy, hreq, &hold).ok());
  pb::ConfirmPlacementRequest creq;
  creq.set_request_id("confirm-1");
  creq.set_hold_id(hold.hold().hold_id());
  creq.set_version(hold.hold().version());
  creq.mutable_start_date()->set_year(2026);
  creq.mutable_start_date()->set_month(11);
  creq.mutable_start_date()->set_day(20);
  pb::ConfirmPlacementResponse placed;
  st = Call(officers_->at("926"), &pb::PlacementService::Stub::ConfirmPlacement, creq, &placed);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(placed.hold().state(), pb::HOLD_STATE_CONFIRMED);
  EXPECT_EQ(placed.vacancy().beds(), 1);
  EXPECT_EQ(placed.vacancy().beds_held(), 0);
  EXPECT_TRUE(placed.placement().distance_known());
  EXPECT_LT(placed.placement().distance_miles(), 2.0);
  EXPECT_EQ(placed.placement().la_code().value(), "926");

  pb::GetPlacementRequest gpreq;
  gpreq.set_placement_id(placed.placement().placement_id());
  pb::GetPlacementResponse got_placement;
  ASSERT_TRUE(
      Call(officers_->at("926"), &pb::PlacementService::Stub::GetPlacement, gpreq, &got_placement)
          .ok());
  EXPECT_EQ(got_placement.placement().hold_id(), hold.hold().hold_id());
  EXPECT_EQ(
      Call(officers_->at("935"), &pb::PlacementService::Stub::GetPlacement, gpreq, &got_placement)
          .error_code(),
      grpc::StatusCode::PERMISSION_DENIED);

  // The sufficiency figures count the placement for the placing LA and its region.
  pb::GetSufficiencyRequest sreq;
  pb::GetSufficiencyResponse figures;
  st = Call(*admin_, &pb::PlacementService::Stub::GetSufficiency, sreq, &figures);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(figures.la_figures_size(), 11);  // every EE LA
  ASSERT_EQ(figures.region_figures_size(), 1);
  bool found = false;
  for (const pb::SufficiencyFigures& f : figures.la_figures()) {
    if (f.la_code().value() != "926") continue;
    found = true;
    EXPECT_GE(f.placements().count(), 1);
    EXPECT_EQ(f.placements().share_within_threshold_bp(), 10000);
    EXPECT_TRUE(f.has_median_time_to_confirmation());
    EXPECT_GE(f.open_vacancies(), 2);
    EXPECT_FALSE(f.vacancies().empty());
  }
  EXPECT_TRUE(found);
  EXPECT_GE(figures.region_figures(0).placements().count(), 1);
  sreq.mutable_period_start()->set_year(2026);
  sreq.mutable_period_start()->set_month(12);
  sreq.mutable_period_start()->set_day(1);
  sreq.mutable_period_end()->set_year(2026);
  sreq.mutable_period_end()->set_month(11);
  sreq.mutable_period_end()->set_day(1);
  const grpc::Status backwards =
      Call(*admin_, &pb::PlacementService::Stub::GetSufficiency, sreq, &figures);
  ASSERT_EQ(backwards.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(GetFieldViolations(FromGrpcStatus(backwards))[0].field, "period_start");

  // A placed referral is no longer matched.
  EXPECT_EQ(Call(officers_->at("926"), &pb::PlacementService::Stub::MatchPlacements, mreq, &match)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
}

TEST_F(PlacementIntegrationTest, StaleVacancyUpdateIsAbortedAndStrangersAreDenied) {
  const std::string setting = MakeSetting("SC200001", "873", 52.2, 0.12, pb::OFSTED_GRADE_GOOD);
  pb::Vacancy v = Publish(setting, "a", 2, 400000);
  pb::UpdateVacancyRequest req;
  req.set_request_id("update-1");
  *req.mutable_vacancy() = v;
  req.mutable_vacancy()->mutable_weekly_cost()->set_pence(410000);
  pb::UpdateVacancyResponse resp;
  ASSERT_TRUE(Call(*provider_, &pb::PlacementService::Stub::UpdateVacancy, req, &resp).ok());
  EXPECT_EQ(resp.vacancy().version(), v.version() + 1);
  req.set_request_id("update-2");  // still quoting the old version
  const grpc::Status stale =
      Call(*provider_, &pb::PlacementService::Stub::UpdateVacancy, req, &resp);
  EXPECT_EQ(stale.error_code(), grpc::StatusCode::ABORTED);
  EXPECT_EQ(GetErrorReason(FromGrpcStatus(stale)), "STALE_VERSION");

  // Confirming refreshes the vacancy; withdrawing takes it off the register.
  pb::ConfirmVacancyAvailabilityRequest confirm;
  confirm.set_request_id(NextRequestId("confirm"));
  confirm.set_vacancy_id(v.vacancy_id());
  pb::ConfirmVacancyAvailabilityResponse confirmed;
  ASSERT_TRUE(
      Call(*provider_, &pb::PlacementService::Stub::ConfirmVacancyAvailability, confirm, &confirmed)
          .ok());
  EXPECT_FALSE(confirmed.vacancy().stale());
  pb::WithdrawVacancyRequest withdraw;
  withdraw.set_request_id(NextRequestId("withdraw"));
  withdraw.set_vacancy_id(v.vacancy_id());
  withdraw.set_version(confirmed.vacancy().version());
  pb::WithdrawVacancyResponse withdrawn;
  EXPECT_EQ(Call(*stranger_, &pb::PlacementService::Stub::WithdrawVacancy, withdraw, &withdrawn)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  ASSERT_TRUE(
      Call(*provider_, &pb::PlacementService::Stub::WithdrawVacancy, withdraw, &withdrawn).ok());
  EXPECT_EQ(withdrawn.vacancy().state(), pb::VACANCY_STATE_WITHDRAWN);

  // A provider lists only its own vacancies; pages follow id order.
  pb::ListVacanciesRequest list;
  list.mutable_page()->set_page_size(1);
  pb::ListVacanciesResponse page;
  ASSERT_TRUE(Call(*provider_, &pb::PlacementService::Stub::ListVacancies, list, &page).ok());
  ASSERT_EQ(page.vacancies_size(), 1);
  EXPECT_FALSE(page.page().next_page_token().empty());
  list.mutable_page()->set_page_token(page.page().next_page_token());
  pb::ListVacanciesResponse next;
  ASSERT_TRUE(Call(*provider_, &pb::PlacementService::Stub::ListVacancies, list, &next).ok());
  if (next.vacancies_size() > 0) {
    EXPECT_GT(next.vacancies(0).vacancy_id(), page.vacancies(0).vacancy_id());
  }
  pb::ListVacanciesRequest mine;
  pb::ListVacanciesResponse none;
  ASSERT_TRUE(Call(*stranger_, &pb::PlacementService::Stub::ListVacancies, mine, &none).ok());
  EXPECT_EQ(none.vacancies_size(), 0);

  pb::PublishVacancyRequest pub;

  pub.set_request_id(NextRequestId("pub"));
  pub.mutable_vacancy()->CopyFrom(v);
  pub.mutable_vacancy()->set_record_id("b");
  pb::PublishVacancyResponse presp;
  EXPECT_EQ(Call(*stranger_, &pb::PlacementService::Stub::PublishVacancy, pub, &presp).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(PlacementIntegrationTest, MalformedRequestsGetFieldViolationsAndChangeNothing) {
  pb::CreateReferralRequest req;
  req.set_request_id(NextRequestId("req"));
  pb::Referral* r = req.mutable_referral();
  r->mutable_la_code()->set_value("926");
  r->mutable_profile()->set_age_years(19);
  r->mutable_profile()->add_needs(static_cast<pb::NeedCategory>(99));
  r->mutable_profile()->mutable_home_location()->set_postcode_district("NR1 3QU");
  r->mutable_constraints()->set_max_distance_miles(-5);
  r->mutable_constraints()->mutable_max_weekly_cost()->set_pence(-1);
  pb::CreateReferralResponse resp;
  const grpc::Status st =
      Call(officers_->at("926"), &pb::PlacementService::Stub::CreateReferral, req, &resp);
  ASSERT_EQ(st.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  std::vector<std::string> fields;
  for (const FieldViolation& v : GetFieldViolations(FromGrpcStatus(st))) fields.push_back(v.field);
  for (const char* expected :
       {"referral.profile.age_years", "referral.profile.sex", "referral.profile.needs[0]",
        "referral.profile.home_location.postcode_district",
        "referral.constraints.max_distance_miles", "referral.constraints.max_weekly_cost.pence"}) {
    EXPECT_NE(std::find(fields.begin(), fields.end(), expected), fields.end()) << expected;
  }

  pb::CreateSettingRequest sreq;

  sreq.set_request_id(NextRequestId("sreq"));
  sreq.mutable_setting()->set_provider_id(*provider_id_);
  sreq.mutable_setting()->set_ofsted_urn("123456");
  pb::CreateSettingResponse sresp;
  const grpc::Status bad_urn =
      Call(*provider_, &pb::PlacementService::Stub::CreateSetting, sreq, &sresp);
  ASSERT_EQ(bad_urn.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  fields.clear();
  for (const FieldViolation& v : GetFieldViolations(FromGrpcStatus(bad_urn)))
    fields.push_back(v.field);
  EXPECT_NE(std::find(fields.begin(), fields.end(), "setting.ofsted_urn"), fields.end());

  pb::HoldVacancyRequest hreq;
  hreq.set_request_id(NextRequestId("hreq"));
  hreq.set_vacancy_id("EE-v-1");
  hreq.set_referral_id("EE-r-1");
  hreq.mutable_duration()->set_seconds(72 * 3600 + 1);
  pb::HoldVacancyResponse hresp;
  const grpc::Status too_long =
      Call(officers_->at("926"), &pb::PlacementService::Stub::HoldVacancy, hreq, &hresp);
  ASSERT_EQ(too_long.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  ASSERT_EQ(GetFieldViolations(FromGrpcStatus(too_long)).size(), 1u);
  EXPECT_EQ(GetFieldViolations(FromGrpcStatus(too_long))[0].field, "duration");
}

TEST_F(PlacementIntegrationTest, ExpiredHoldsAreReclaimedWithoutAnyoneAsking) {
  const std::string setting = MakeSetting("SC300001", "926", 52.6, 1.3, pb::OFSTED_GRADE_GOOD);
  const pb::Vacancy v = Publish(setting, "a", 1, 300000);
  const pb::Referral referral = Refer("926");
  pb::HoldVacancyRequest hreq;
  hreq.set_request_id(NextRequestId("hreq"));
  hreq.set_vacancy_id(v.vacancy_id());
  hreq.set_referral_id(referral.referral_id());
  hreq.mutable_duration()->set_seconds(1);
  pb::HoldVacancyResponse hold;
  ASSERT_TRUE(
      Call(officers_->at("926"), &pb::PlacementService::Stub::HoldVacancy, hreq, &hold).ok());
  EXPECT_EQ(hold.vacancy().beds_free(), 0);
  EXPECT_TRUE(
      WaitFor([&] { return GetVacancy(v.vacancy_id()).beds_free() == 1; }, absl::Seconds(10)));
  pb::GetHoldRequest greq;
  greq.set_hold_id(hold.hold().hold_id());
  pb::GetHoldResponse got;
  ASSERT_TRUE(Call(officers_->at("926"), &pb::PlacementService::Stub::GetHold, greq, &got).ok());
  EXPECT_EQ(got.hold().state(), pb::HOLD_STATE_EXPIRED);

  // Closing a referral releases its active holds.
  hreq.mutable_duration()->set_seconds(0);     // the maximum
  hreq.set_request_id(NextRequestId("hreq"));  // a new hold: a new request
  ASSERT_TRUE(
      Call(officers_->at("926"), &pb::PlacementService::Stub::HoldVacancy, hreq, &hold).ok());
  EXPECT_EQ(hold.vacancy().beds_free(), 0);
  pb::CloseReferralRequest close;
  close.set_request_id(NextRequestId("close"));
  close.set_referral_id(referral.referral_id());
  close.set_version(referral.version());
  close.set_reason(pb::CLOSE_REASON_NO_LONGER_NEEDED);
  pb::CloseReferralResponse closed;
  const grpc::Status st =
      Call(officers_->at("926"), &pb::PlacementService::Stub::CloseReferral, close, &closed);
  ASSERT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(closed.referral().state(), pb::REFERRAL_STATE_CLOSED);
  EXPECT_EQ(GetVacancy(v.vacancy_id()).beds_free(), 1);
}

TEST_F(PlacementIntegrationTest, HundredClientsRaceForTheLastBedAndExactlyOneWins) {
  const std::string setting = MakeSetting("SC400001", "935", 52.06, 1.18, pb::OFSTED_GRADE_GOOD);
  const pb::Vacancy v = Publish(setting, "last-bed", 1, 350000);
  constexpr int kClients = 100;
  std::vector<pb::Referral> referrals;
  for (int i = 0; i < kClients; ++i) referrals.push_back(Refer(kEeLas[i % kEeLas.size()]));

  std::vector<std::unique_ptr<pb::PlacementService::Stub>> stubs;
  for (int i = 0; i < 10; ++i)
    stubs.push_back(pb::PlacementService::NewStub(server_->NewChannel()));
  std::atomic<int> ok{0}, aborted{0}, no_bed{0}, other{0};
  absl::Mutex mu;
  std::vector<std::string> winners;
  std::vector<std::string> unexplained;
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int i = 0; i < kClients; ++i) {
    threads.emplace_back([&, i] {
      pb::HoldVacancyRequest req;
      req.set_request_id(absl::StrCat("race-", i));
      req.set_vacancy_id(v.vacancy_id());
      req.set_referral_id(referrals[i].referral_id());
      // Half decided on the version they saw; half only want a bed.
      req.set_expected_vacancy_version(i % 2 == 0 ? v.version() : 0);
      pb::HoldVacancyResponse resp;
      while (!go.load()) std::this_thread::yield();
      const grpc::Status st =
          Call(officers_->at(referrals[i].la_code().value()),
               &pb::PlacementService::Stub::HoldVacancy, req, &resp, stubs[i % stubs.size()].get());
      const absl::Status status = FromGrpcStatus(st);
      if (st.ok()) {
        ++ok;
        absl::MutexLock lock(&mu);
        winners.push_back(resp.hold().hold_id());
      } else if (st.error_code() == grpc::StatusCode::ABORTED) {
        ++aborted;
        if (GetErrorReason(status).empty()) {
          absl::MutexLock lock(&mu);
          unexplained.push_back(st.error_message());
        }
      } else if (st.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
        ++no_bed;
        const auto violations = GetPreconditionViolations(status);
        if (violations.empty() || violations[0].type != "NO_FREE_BED") {
          absl::MutexLock lock(&mu);
          unexplained.push_back(st.error_message());
        }
      } else {
        ++other;
        absl::MutexLock lock(&mu);
        unexplained.push_back(absl::StrCat(st.error_code(), " ", st.error_message()));
      }
    });
  }
  go = true;
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok.load(), 1);
  EXPECT_EQ(ok + aborted + no_bed, kClients);
  EXPECT_EQ(other.load(), 0);
  EXPECT_TRUE(unexplained.empty()) << unexplained.front();
  const pb::Vacancy after = GetVacancy(v.vacancy_id());
  EXPECT_EQ(after.beds(), 1);
  EXPECT_EQ(after.beds_held(), 1);
  EXPECT_EQ(after.beds_free(), 0);
  // While the bed is held, matching excludes the vacancy by its BEDS filter.
  {
    const pb::Referral probe = Refer("935");
    pb::ExplainExclusionRequest ereq;
    ereq.set_referral_id(probe.referral_id());
    ereq.set_vacancy_id(v.vacancy_id());
    pb::ExplainExclusionResponse why;
    ASSERT_TRUE(
        Call(officers_->at("935"), &pb::PlacementService::Stub::ExplainExclusion, ereq, &why).ok());
    EXPECT_TRUE(why.excluded());
    EXPECT_FALSE(why.filters(pb::MATCH_FILTER_BEDS - 1).passed());
    pb::MatchPlacementsRequest mreq;
    mreq.set_referral_id(probe.referral_id());
    pb::MatchPlacementsResponse match;
    ASSERT_TRUE(
        Call(officers_->at("935"), &pb::PlacementService::Stub::MatchPlacements, mreq, &match)
            .ok());
    for (const pb::Match& m : match.matches()) EXPECT_NE(m.vacancy().vacancy_id(), v.vacancy_id());
  }

  // The winner releases; a new hold by another council succeeds.
  ASSERT_EQ(winners.size(), 1u);
  pb::GetHoldRequest greq;
  greq.set_hold_id(winners[0]);
  pb::GetHoldResponse won;
  ASSERT_TRUE(Call(*admin_, &pb::PlacementService::Stub::GetHold, greq, &won).ok());
  pb::ReleaseHoldRequest rreq;
  rreq.set_request_id(NextRequestId("rreq"));
  rreq.set_hold_id(winners[0]);
  rreq.set_version(won.hold().version());
  pb::ReleaseHoldResponse released;
  ASSERT_TRUE(Call(officers_->at(won.hold().la_code().value()),
                   &pb::PlacementService::Stub::ReleaseHold, rreq, &released)
                  .ok());
  EXPECT_EQ(released.vacancy().beds_free(), 1);
  const pb::Referral late = Refer("926");
  // Matching sees the freed bed at once (the candidate cache follows every change).
  pb::MatchPlacementsRequest mreq;
  mreq.set_referral_id(late.referral_id());
  mreq.mutable_page()->set_page_size(1000);
  pb::MatchPlacementsResponse match;
  ASSERT_TRUE(
      Call(officers_->at("926"), &pb::PlacementService::Stub::MatchPlacements, mreq, &match).ok());
  bool listed = false;
  for (const pb::Match& m : match.matches()) {
    if (m.vacancy().vacancy_id() == v.vacancy_id()) {
      listed = true;
      EXPECT_EQ(m.vacancy().beds_free(), 1);
      EXPECT_EQ(m.vacancy().version(), released.vacancy().version());
    }
  }
  EXPECT_TRUE(listed);
  pb::HoldVacancyRequest hreq;
  hreq.set_request_id(NextRequestId("hreq"));
  hreq.set_vacancy_id(v.vacancy_id());
  hreq.set_referral_id(late.referral_id());
  hreq.set_expected_vacancy_version(released.vacancy().version());
  pb::HoldVacancyResponse hold;
  const grpc::Status st =
      Call(officers_->at("926"), &pb::PlacementService::Stub::HoldVacancy, hreq, &hold);
  EXPECT_TRUE(st.ok()) << st.error_message();
  EXPECT_EQ(GetVacancy(v.vacancy_id()).beds_held(), 1);
}

}  // namespace
}  // namespace slihub::testing
