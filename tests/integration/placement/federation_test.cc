// Placement across regions through three real hubs (East of England, South East, London) and a
// real Redis: a national match over every region's vacancies (the read model fed by the peers'
// WatchVacancies streams) with each region's state; holds on another region's vacancy made by
// its owner; 100 callers of two regions racing for one bed; the propagation time of a change
// measured against the stated bound; and a killed hub answered from its last copy, marked STALE.
#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "gtest/gtest.h"
#include "slihub/placement/v1/placement_service.grpc.pb.h"
#include "tests/integration/cli_runner.h"
#include "tests/integration/hub_cluster.h"
#include "tests/integration/placement/placement_client.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait_for.h"

namespace slihub::testing {
namespace {

namespace pb = ::slihub::placement::v1;
namespace cpb = ::slihub::common::v1;
using Stub = pb::PlacementService::Stub;

// The stated freshness bound of a FRESH region's copy (services/placement/adapter/
// peer_vacancies.h: 750 ms silence limit + 100 ms owner poll, under one second).
constexpr absl::Duration kFreshnessBound = absl::Seconds(1);

// One region's hub as the test drives it: its tokens and a stub.
struct Region {
  std::string code;
  std::string la;  // the LA of its officer and its settings
  double lat = 0, lon = 0;
  std::string admin, provider, officer;
  std::unique_ptr<Stub> stub;
  std::string provider_id;
  std::string setting_id;
  pb::Vacancy vacancy;  // 2 beds
};

class PlacementFederationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    HubClusterOptions options;
    options.service = "placement";
    options.start_redis = true;
    cluster_ = new HubCluster(options);
    absl::Status started = cluster_->Start();
    ASSERT_TRUE(started.ok()) << started;
    const std::map<std::string, std::string> admins = cluster_->IssueAdminTokens();
    regions_ = new std::map<std::string, Region>();
    const struct {
      const char* code;
      const char* la;
      double lat, lon;
    } kRegions[] = {
        {"EE", "926", 52.6, 1.3}, {"SE", "825", 51.8, -0.8}, {"LDN", "202", 51.55, -0.16}};
    for (const auto& k : kRegions) {
      Region& r = (*regions_)[k.code];
      r.code = k.code;
      r.la = k.la;
      r.lat = k.lat;
      r.lon = k.lon;
      r.admin = admins.at(k.code);
    }
    for (auto& [code, r] : *regions_) Connect(r);
    for (auto& [code, r] : *regions_) Seed(r);
  }

  static void TearDownTestSuite() {
    delete regions_;
    delete cluster_;
  }

  static void Connect(Region& r) {
    ServiceProcess& hub = cluster_->hub(r.code);
    r.provider = hub.IssueToken("acme-" + r.code, {Role::kProvider});
    r.officer = hub.IssueToken(r.la + "-po", {Role::kPlacementOfficer}, r.la);
    r.stub = pb::PlacementService::NewStub(hub.NewChannel());
  }

  // A provider, a setting in the region's LA and a 2-bed vacancy at the region's hub.
  static void Seed(Region& r) {
    pb::CreateProviderRequest cp;
    cp.set_request_id(NextRequestId("provider-" + r.code));
    cp.mutable_provider()->set_name("Homes of " + r.code);
    cp.mutable_provider()->set_kind(pb::PROVIDER_KIND_PRIVATE);
    cp.mutable_provider()->add_member_subjects("acme-" + r.code);
    pb::CreateProviderResponse provider;
    ASSERT_TRUE(CallPlacement(r.stub.get(), r.admin, &Stub::CreateProvider, cp, &provider).ok());
    r.provider_id = provider.provider().provider_id();
    static int urn = 700100;
    pb::CreateSettingResponse setting;
    grpc::Status made = CallPlacement(r.stub.get(), r.provider, &Stub::CreateSetting,
                                      SettingRequest(r.provider_id, absl::StrCat("SC", ++urn), r.la,
                                                     r.lat, r.lon, pb::OFSTED_GRADE_GOOD),
                                      &setting);
    ASSERT_TRUE(made.ok()) << made.error_message();
    r.setting_id = setting.setting().setting_id();
    r.vacancy = Publish(r, 2, 350000);
  }

  static pb::Vacancy Publish(Region& r, int beds, int64_t cost) {
    pb::PublishVacancyResponse published;
    grpc::Status s = CallPlacement(
        r.stub.get(), r.provider, &Stub::PublishVacancy,
        VacancyRequest(r.setting_id, NextRequestId("record-" + r.code), beds, cost), &published);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return published.vacancy();
  }

  static std::string Referral(Region& r) {
    pb::CreateReferralResponse referral;
    grpc::Status s = CallPlacement(r.stub.get(), r.officer, &Stub::CreateReferral,
                                   NorwichReferral(r.la, 0), &referral);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return referral.referral().referral_id();
  }

  static grpc::Status Match(Region& r, const std::string& referral_id,
                            pb::MatchPlacementsResponse* out,
                            cpb::FederationMode mode = cpb::FEDERATION_MODE_UNSPECIFIED,
                            absl::Duration deadline = absl::Seconds(20)) {
    pb::MatchPlacementsRequest req;
    req.set_referral_id(referral_id);
    req.set_scope(cpb::REGION_SCOPE_NATIONAL);
    req.set_federation_mode(mode);
    req.mutable_page()->set_page_size(1000);
    grpc::ClientContext context;
    PrepareContext(&context, r.officer, deadline);
    return r.stub->MatchPlacements(&context, req, out);
  }

  static const cpb::RegionAnswer* Answer(const pb::MatchPlacementsResponse& m,
                                         const std::string& region) {
    for (const cpb::RegionAnswer& a : m.federation().regions()) {
      if (a.region().value() == region) return &a;
    }
    return nullptr;
  }

  static const pb::Match* Find(const pb::MatchPlacementsResponse& m, const std::string& id) {
    for (const pb::Match& match : m.matches()) {
      if (match.vacancy().vacancy_id() == id) return &match;
    }
    return nullptr;
  }

  // Waits until EE's national match shows SE and LDN FRESH with the vacancies the suite published
  // (a FRESH copy may still lack a change younger than the freshness bound).
  static bool AwaitPeersFresh(const std::string& referral_id) {
    return WaitFor(
        [&] {
          pb::MatchPlacementsResponse m;
          if (!Match(ee(), referral_id, &m).ok()) return false;
          for (const char* region : {"SE", "LDN"}) {
            const cpb::RegionAnswer* a = Answer(m, region);
            if (a == nullptr || a->state() != cpb::REGION_ANSWER_STATE_FRESH) return false;
            if (Find(m, (*regions_)[region].vacancy.vacancy_id()) == nullptr) return false;
          }
          return true;
        },
        absl::Seconds(20));
  }

  static Region& ee() { return (*regions_)["EE"]; }
  static Region& se() { return (*regions_)["SE"]; }
  static Region& ldn() { return (*regions_)["LDN"]; }

  static HubCluster* cluster_;
  static std::map<std::string, Region>* regions_;
};

HubCluster* PlacementFederationTest::cluster_ = nullptr;
std::map<std::string, Region>* PlacementFederationTest::regions_ = nullptr;

TEST_F(PlacementFederationTest, NationalMatchCoversEveryRegionWithItsState) {
  const std::string referral = Referral(ee());
  ASSERT_TRUE(AwaitPeersFresh(referral));
  pb::MatchPlacementsResponse m;
  ASSERT_TRUE(Match(ee(), referral, &m).ok());
  for (const char* region : {"EE", "SE", "LDN"}) {
    const pb::Match* match = Find(m, (*regions_)[region].vacancy.vacancy_id());
    ASSERT_NE(match, nullptr) << region;
    EXPECT_EQ(match->region().value(), region);
    EXPECT_EQ(match->setting().region().value(), region);
  }
  // Every region of England, this hub's first: the three hubs FRESH, the six without a
  // configured hub UNAVAILABLE (so the answer is partial).
  ASSERT_EQ(m.federation().regions_size(), 9);
  EXPECT_EQ(m.federation().scope(), cpb::REGION_SCOPE_NATIONAL);
  EXPECT_EQ(m.federation().regions(0).region().value(), "EE");
  int fresh = 0;
  for (const cpb::RegionAnswer& a : m.federation().regions()) {
    if (a.state() == cpb::REGION_ANSWER_STATE_FRESH) {
      ++fresh;
      EXPECT_LT(a.age().seconds(), 1) << a.region().value();
    } else {
      EXPECT_EQ(a.state(), cpb::REGION_ANSWER_STATE_UNAVAILABLE) << a.region().value();
      EXPECT_TRUE(absl::StrContains(a.reason(), "no peer hub is configured")) << a.reason();
    }
  }
  EXPECT_EQ(fresh, 3);
  EXPECT_TRUE(m.federation().partial());

  // `slihub placement match --scope national` shows each region's state above the matches.
  TempDir cli_dir;
  const CliResult cli =
      RunCli(cli_dir.path(),
             {"placement", "match", "--referral", referral, "--scope", "national", "--limit", "50",
              "--endpoint=" + cluster_->hub("EE").endpoint(), "--token=" + ee().officer});
  ASSERT_EQ(cli.exit_code, 0) << cli.err;
  const size_t regions_at = cli.out.find("regions (NATIONAL, partial)");
  const size_t matches_at = cli.out.find("RANK");
  ASSERT_NE(regions_at, std::string::npos) << cli.out;
  ASSERT_NE(matches_at, std::string::npos) << cli.out;
  EXPECT_LT(regions_at, matches_at);
  const auto has_row = [&](const std::string& region, const std::string& state) {
    for (absl::string_view line : absl::StrSplit(cli.out, '\n')) {
      if (absl::StartsWith(line, region + " ") && absl::StrContains(line, " " + state)) return true;
    }
    return false;
  };
  EXPECT_TRUE(has_row("EE", "FRESH")) << cli.out;
  EXPECT_TRUE(has_row("SE", "FRESH")) << cli.out;
  EXPECT_TRUE(has_row("LDN", "FRESH")) << cli.out;
  EXPECT_TRUE(has_row("NE", "UNAVAILABLE")) << cli.out;
  EXPECT_TRUE(absl::StrContains(cli.out, se().vacancy.vacancy_id())) << cli.out;
  const CliResult strict_cli =
      RunCli(cli_dir.path(),
             {"placement", "match", "--referral", referral, "--scope", "national", "--strict",
              "--endpoint=" + cluster_->hub("EE").endpoint(), "--token=" + ee().officer});
  EXPECT_NE(strict_cli.exit_code, 0);
  EXPECT_TRUE(absl::StrContains(strict_cli.err + strict_cli.out, "NE UNAVAILABLE"))
      << strict_cli.err;

  // The same match from London sees the East of England's and the South East's vacancies.
  const std::string london_referral = Referral(ldn());
  pb::MatchPlacementsResponse from_london;
  ASSERT_TRUE(WaitFor(
      [&] {
        return Match(ldn(), london_referral, &from_london).ok() &&
               Find(from_london, ee().vacancy.vacancy_id()) != nullptr &&
               Find(from_london, se().vacancy.vacancy_id()) != nullptr;
      },
      absl::Seconds(20)));

  // Own region: only this hub's vacancies.
  pb::MatchPlacementsRequest own;
  own.set_referral_id(referral);
  own.set_scope(cpb::REGION_SCOPE_OWN_REGION);
  pb::MatchPlacementsResponse own_answer;
  ASSERT_TRUE(
      CallPlacement(ee().stub.get(), ee().officer, &Stub::MatchPlacements, own, &own_answer).ok());
  EXPECT_EQ(Find(own_answer, se().vacancy.vacancy_id()), nullptr);
  EXPECT_NE(Find(own_answer, ee().vacancy.vacancy_id()), nullptr);

  // Strict: UNAVAILABLE naming the regions that are missing.
  pb::MatchPlacementsResponse strict;
  grpc::Status refused = Match(ee(), referral, &strict, cpb::FEDERATION_MODE_STRICT);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(absl::StrContains(refused.error_message(), "NE UNAVAILABLE"))
      << refused.error_message();
  for (const char* current : {"EE ", "SE ", "LDN "}) {
    EXPECT_FALSE(absl::StrContains(refused.error_message(), absl::StrCat(current, "UNAVAILABLE")))
        << refused.error_message();
  }

  // Why not this one, for another region's vacancy: explained from the read model.
  pb::ExplainExclusionRequest explain;
  explain.set_referral_id(referral);
  explain.set_vacancy_id(se().vacancy.vacancy_id());
  explain.set_scope(cpb::REGION_SCOPE_NATIONAL);
  pb::ExplainExclusionResponse why;
  grpc::Status explained =
      CallPlacement(ee().stub.get(), ee().officer, &Stub::ExplainExclusion, explain, &why);
  ASSERT_TRUE(explained.ok()) << explained.error_message();
  EXPECT_FALSE(why.excluded());
  EXPECT_EQ(why.match().vacancy().vacancy_id(), se().vacancy.vacancy_id());
  EXPECT_EQ(why.federation().regions_size(), 9);
}

TEST_F(PlacementFederationTest, HoldOnAnotherRegionsVacancyIsMadeByItsOwner) {
  const std::string referral = Referral(ee());
  const pb::Vacancy target = Publish(se(), 1, 300000);
  pb::HoldVacancyRequest hold;
  hold.set_request_id(NextRequestId("hold"));
  hold.set_vacancy_id(target.vacancy_id());
  hold.set_referral_id(referral);
  pb::HoldVacancyResponse held;
  grpc::Status s = CallPlacement(ee().stub.get(), ee().officer, &Stub::HoldVacancy, hold, &held);
  ASSERT_TRUE(s.ok()) << s.error_message();
  // The hold is the South East hub's record: its id, its vacancy, the placing LA and the East of
  // England's referral reference.
  EXPECT_TRUE(absl::StartsWith(held.hold().hold_id(), "SE-h-")) << held.hold().hold_id();
  EXPECT_EQ(held.hold().la_code().value(), "926");
  EXPECT_EQ(held.hold().referral_id(), referral);
  EXPECT_EQ(held.vacancy().beds_held(), 1);

  // A retry replays: the same hold, no second bed.
  pb::HoldVacancyResponse again;
  ASSERT_TRUE(CallPlacement(ee().stub.get(), ee().officer, &Stub::HoldVacancy, hold, &again).ok());
  EXPECT_EQ(again.hold().hold_id(), held.hold().hold_id());

  // The owner sees it: its provider lists the hold on its vacancy; the bed is held there.
  pb::ListHoldsRequest list;
  list.set_vacancy_id(target.vacancy_id());
  pb::ListHoldsResponse holds;
  ASSERT_TRUE(CallPlacement(se().stub.get(), se().provider, &Stub::ListHolds, list, &holds).ok());
  ASSERT_EQ(holds.holds_size(), 1);
  EXPECT_EQ(holds.holds(0).hold_id(), held.hold().hold_id());
  pb::GetVacancyRequest get;
  get.set_vacancy_id(target.vacancy_id());
  pb::GetVacancyResponse at_owner;
  ASSERT_TRUE(CallPlacement(se().stub.get(), se().admin, &Stub::GetVacancy, get, &at_owner).ok());
  EXPECT_EQ(at_owner.vacancy().beds_free(), 0);

  // Another region's officer may not hold in the name of an LA outside its region: a peer hub's
  // forwarded hold names its own region's LA, and an officer may not forge requesting_la.
  pb::HoldVacancyRequest forged = hold;
  forged.set_request_id(NextRequestId("forged"));
  forged.mutable_requesting_la()->set_value("825");
  pb::HoldVacancyResponse refused;
  EXPECT_EQ(CallPlacement(ee().stub.get(), ee().officer, &Stub::HoldVacancy, forged, &refused)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  // The owner's reference of the East of England's referral is not for its own principals to
  // act on (even a token wrongly issued there for an East of England LA).
  const std::string ee_officer_at_se =
      cluster_->hub("SE").IssueToken("926-po-direct", {Role::kPlacementOfficer}, "926");
  EXPECT_EQ(CallPlacement(se().stub.get(), ee_officer_at_se, &Stub::HoldVacancy, hold, &refused)
                .error_code(),
            grpc::StatusCode::PERMISSION_DENIED);

  // Released from the East of England: forwarded to the owner, the bed is free again there.
  pb::ReleaseHoldRequest release;
  release.set_request_id(NextRequestId("release"));
  release.set_hold_id(held.hold().hold_id());
  release.set_version(held.hold().version());
  release.set_reason("placed elsewhere");
  pb::ReleaseHoldResponse released;
  s = CallPlacement(ee().stub.get(), ee().officer, &Stub::ReleaseHold, release, &released);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(released.hold().state(), pb::HOLD_STATE_RELEASED);
  ASSERT_TRUE(CallPlacement(se().stub.get(), se().admin, &Stub::GetVacancy, get, &at_owner).ok());
  EXPECT_EQ(at_owner.vacancy().beds_free(), 1);
}

TEST_F(PlacementFederationTest, HundredCallersOfTwoRegionsRaceForOneBedAndOneWins) {
  const pb::Vacancy bed = Publish(se(), 1, 310000);
  constexpr int kPerRegion = 50;
  std::vector<std::pair<Region*, std::string>> callers;
  for (Region* r : {&ee(), &ldn()}) {
    for (int i = 0; i < kPerRegion; ++i) callers.emplace_back(r, Referral(*r));
  }
  std::atomic<int> won{0}, no_bed{0}, lost_race{0}, other{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  std::string other_error;
  absl::Mutex mu;
  for (auto& [region, referral] : callers) {
    threads.emplace_back([&, region = region, referral = referral] {
      pb::HoldVacancyRequest req;
      req.set_request_id(NextRequestId("race"));
      req.set_vacancy_id(bed.vacancy_id());
      req.set_referral_id(referral);
      while (!go.load()) std::this_thread::yield();
      pb::HoldVacancyResponse resp;
      grpc::ClientContext context;
      PrepareContext(&context, region->officer, absl::Seconds(60));
      grpc::Status s = region->stub->HoldVacancy(&context, req, &resp);
      if (s.ok()) {
        ++won;
      } else if (s.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
        ++no_bed;
      } else if (s.error_code() == grpc::StatusCode::ABORTED) {
        ++lost_race;
      } else {
        ++other;
        absl::MutexLock lock(&mu);
        other_error = absl::StrCat(s.error_code(), " ", s.error_message());
      }
    });
  }
  go = true;
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(won.load(), 1);
  EXPECT_EQ(won + no_bed + lost_race, 2 * kPerRegion) << other_error;
  EXPECT_EQ(other.load(), 0) << other_error;
  pb::GetVacancyRequest get;
  get.set_vacancy_id(bed.vacancy_id());
  pb::GetVacancyResponse at_owner;
  ASSERT_TRUE(CallPlacement(se().stub.get(), se().admin, &Stub::GetVacancy, get, &at_owner).ok());
  EXPECT_EQ(at_owner.vacancy().beds_held(), 1);
  EXPECT_EQ(at_owner.vacancy().beds_free(), 0);
}

// A confirmation of a hold made at another region's hub is forwarded to that owner, which places
// the bed under its rules and marks its reference of the referral placed; the requesting hub
// records its referral PLACED with the owner's placement id, releases the referral's own holds
// and counts the placement among its LA's (outside the region), while the owner counts neither
// the reference nor the placement as its region's or the other LA's.
TEST_F(PlacementFederationTest, ConfirmationOfAnotherRegionsHoldIsMadeByItsOwnerAndRecordedHere) {
  const std::string referral = Referral(ee());
  const pb::Vacancy target = Publish(se(), 1, 310000);
  // EE's read model has the new vacancy (the placement's distance is worked out at EE from it).
  ASSERT_TRUE(WaitFor(
      [&] {
        pb::MatchPlacementsResponse m;
        return Match(ee(), referral, &m).ok() && Find(m, target.vacancy_id()) != nullptr;
      },
      absl::Seconds(20)));
  pb::HoldVacancyRequest hold;
  hold.set_request_id(NextRequestId("hold-confirm"));
  hold.set_vacancy_id(target.vacancy_id());
  hold.set_referral_id(referral);
  pb::HoldVacancyResponse held;
  grpc::Status s = CallPlacement(ee().stub.get(), ee().officer, &Stub::HoldVacancy, hold, &held);
  ASSERT_TRUE(s.ok()) << s.error_message();
  // A hold of the same referral on EE's own vacancy: released once the child is placed at SE.
  const pb::Vacancy local = Publish(ee(), 1, 300000);
  pb::HoldVacancyRequest local_hold = hold;
  local_hold.set_request_id(NextRequestId("hold-local"));
  local_hold.set_vacancy_id(local.vacancy_id());
  pb::HoldVacancyResponse held_here;
  s = CallPlacement(ee().stub.get(), ee().officer, &Stub::HoldVacancy, local_hold, &held_here);
  ASSERT_TRUE(s.ok()) << s.error_message();

  pb::ConfirmPlacementRequest confirm;
  confirm.set_request_id(NextRequestId("confirm"));
  confirm.set_hold_id(held.hold().hold_id());
  confirm.set_version(held.hold().version());
  confirm.mutable_start_date()->set_year(2031);
  confirm.mutable_start_date()->set_month(1);
  confirm.mutable_start_date()->set_day(6);
  // An officer may not forge the LA a peer hub names.
  pb::ConfirmPlacementRequest forged = confirm;
  forged.mutable_requesting_la()->set_value("825");
  pb::ConfirmPlacementResponse placed;
  EXPECT_EQ(CallPlacement(ee().stub.get(), ee().officer, &Stub::ConfirmPlacement, forged, &placed)
                .error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
  s = CallPlacement(ee().stub.get(), ee().officer, &Stub::ConfirmPlacement, confirm, &placed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_TRUE(absl::StartsWith(placed.placement().placement_id(), "SE-pl-"))
      << placed.placement().placement_id();
  EXPECT_EQ(placed.placement().referral_id(), referral);  // the owner's reference, now placed
  EXPECT_EQ(placed.placement().la_code().value(), "926");
  EXPECT_EQ(placed.hold().state(), pb::HOLD_STATE_CONFIRMED);
  EXPECT_EQ(placed.vacancy().state(), pb::VACANCY_STATE_FILLED);
  // A retry replays at the owner: the same placement, nothing placed twice.
  pb::ConfirmPlacementResponse again;
  s = CallPlacement(ee().stub.get(), ee().officer, &Stub::ConfirmPlacement, confirm, &again);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(again.placement().placement_id(), placed.placement().placement_id());

  // Recorded at EE: the referral PLACED with the owner's placement id; its own hold released.
  pb::GetReferralRequest get;
  get.set_referral_id(referral);
  pb::GetReferralResponse at_ee;
  ASSERT_TRUE(CallPlacement(ee().stub.get(), ee().officer, &Stub::GetReferral, get, &at_ee).ok());
  EXPECT_EQ(at_ee.referral().state(), pb::REFERRAL_STATE_PLACED);
  EXPECT_EQ(at_ee.referral().placement_id(), placed.placement().placement_id());
  pb::GetHoldRequest get_hold;
  get_hold.set_hold_id(held_here.hold().hold_id());
  pb::GetHoldResponse local_after;
  ASSERT_TRUE(
      CallPlacement(ee().stub.get(), ee().officer, &Stub::GetHold, get_hold, &local_after).ok());
  EXPECT_EQ(local_after.hold().state(), pb::HOLD_STATE_RELEASED);

  // EE's figures count the placement for its LA, outside the region.
  pb::GetSufficiencyRequest figures;
  figures.set_scope(cpb::REGION_SCOPE_OWN_REGION);
  pb::GetSufficiencyResponse ee_figures;
  ASSERT_TRUE(
      CallPlacement(ee().stub.get(), ee().admin, &Stub::GetSufficiency, figures, &ee_figures).ok());
  int ee_outside = 0, ee_placements = 0;
  for (const pb::SufficiencyFigures& f : ee_figures.la_figures()) {
    if (f.la_code().value() != "926") continue;
    ee_outside = f.placements_outside_region();
    ee_placements = f.placements().count();
    EXPECT_EQ(f.placements().distance_unknown(), 0);  // worked out at EE from the read model
  }
  EXPECT_GE(ee_outside, 1);
  EXPECT_GE(ee_placements, ee_outside);
  ASSERT_GE(ee_figures.region_figures_size(), 1);
  EXPECT_GE(ee_figures.region_figures(0).placements_outside_region(), 1);
  // SE's national figures: the references EE's hub holds beds under (this test's and the race's)
  // are neither SE's open referrals nor EE's LA's, nor is their placement SE's region's.
  figures.set_scope(cpb::REGION_SCOPE_NATIONAL);
  pb::GetSufficiencyResponse se_figures;
  ASSERT_TRUE(
      CallPlacement(se().stub.get(), se().admin, &Stub::GetSufficiency, figures, &se_figures).ok());
  for (const pb::SufficiencyFigures& f : se_figures.la_figures()) {
    if (f.la_code().value() == "926" || f.la_code().value() == "202") {
      EXPECT_EQ(f.open_referrals(), 0) << f.la_code().value();
      EXPECT_EQ(f.placements().count(), 0) << f.la_code().value();
    }
  }
  for (const pb::SufficiencyFigures& f : se_figures.region_figures()) {
    if (f.region().value() == "EE" || f.region().value() == "LDN") {
      EXPECT_EQ(f.open_referrals(), 0) << f.region().value();
      EXPECT_EQ(f.placements().count(), 0) << f.region().value();
    }
    if (f.region().value() == "SE") {
      EXPECT_EQ(f.placements_outside_region(), 0);
    }
  }
}

// Closing a referral at its hub releases its holds at other regions' hubs (forwarded releases),
// each reported; the beds are free again at their owners.
TEST_F(PlacementFederationTest, ClosingAReferralReleasesItsHoldsAtOtherRegionsHubs) {
  const std::string referral = Referral(ee());
  const pb::Vacancy at_se = Publish(se(), 1, 320000);
  const pb::Vacancy at_ldn = Publish(ldn(), 1, 330000);
  std::vector<std::string> hold_ids;
  for (const pb::Vacancy* v : {&at_se, &at_ldn}) {
    pb::HoldVacancyRequest hold;
    hold.set_request_id(NextRequestId("hold-close"));
    hold.set_vacancy_id(v->vacancy_id());
    hold.set_referral_id(referral);
    pb::HoldVacancyResponse held;
    grpc::Status s =
        CallPlacement(ee().stub.get(), ee().officer, &Stub::HoldVacancy, hold, &held);
    ASSERT_TRUE(s.ok()) << s.error_message();
    hold_ids.push_back(held.hold().hold_id());
  }
  pb::GetReferralRequest get;
  get.set_referral_id(referral);
  pb::GetReferralResponse current;
  ASSERT_TRUE(CallPlacement(ee().stub.get(), ee().officer, &Stub::GetReferral, get, &current).ok());
  pb::CloseReferralRequest close;
  close.set_request_id(NextRequestId("close"));
  close.set_referral_id(referral);
  close.set_version(current.referral().version());
  close.set_reason(pb::CLOSE_REASON_NO_LONGER_NEEDED);
  pb::CloseReferralResponse closed;
  grpc::Status s =
      CallPlacement(ee().stub.get(), ee().officer, &Stub::CloseReferral, close, &closed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(closed.peer_holds_size(), 2);
  std::map<std::string, std::string> region_of;
  for (const pb::PeerHoldRelease& r : closed.peer_holds()) {
    EXPECT_TRUE(r.released()) << r.hold_id() << ": " << r.reason();
    EXPECT_TRUE(r.reason().empty()) << r.reason();
    region_of[r.hold_id()] = r.region().value();
  }
  EXPECT_EQ(region_of[hold_ids[0]], "SE");
  EXPECT_EQ(region_of[hold_ids[1]], "LDN");
  for (auto [region, vacancy] : {std::pair{&se(), &at_se}, std::pair{&ldn(), &at_ldn}}) {
    pb::GetVacancyRequest gv;
    gv.set_vacancy_id(vacancy->vacancy_id());
    pb::GetVacancyResponse at_owner;
    ASSERT_TRUE(
        CallPlacement(region->stub.get(), region->admin, &Stub::GetVacancy, gv, &at_owner).ok());
    EXPECT_EQ(at_owner.vacancy().beds_free(), 1) << region->code;
  }
  // A retry of the close replays it and has nothing left to release.
  pb::CloseReferralResponse replayed;
  s = CallPlacement(ee().stub.get(), ee().officer, &Stub::CloseReferral, close, &replayed);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(replayed.peer_holds_size(), 0);
}

TEST_F(PlacementFederationTest, AChangeAtItsOwnerReachesOtherRegionsWithinTheBound) {
  const std::string referral = Referral(ee());
  ASSERT_TRUE(AwaitPeersFresh(referral));
  pb::Vacancy v = Publish(se(), 2, 320000);
  ASSERT_TRUE(WaitFor(
      [&] {
        pb::MatchPlacementsResponse m;
        return Match(ee(), referral, &m).ok() && Find(m, v.vacancy_id()) != nullptr;
      },
      absl::Seconds(5)));
  absl::Duration worst = absl::ZeroDuration();
  for (int round = 0; round < 5; ++round) {
    const int64_t cost = 330000 + round * 1000;
    pb::UpdateVacancyRequest update;
    update.set_request_id(NextRequestId("update"));
    *update.mutable_vacancy() = v;
    update.mutable_vacancy()->mutable_weekly_cost()->set_pence(cost);
    pb::UpdateVacancyResponse updated;
    grpc::Status s =
        CallPlacement(se().stub.get(), se().provider, &Stub::UpdateVacancy, update, &updated);
    ASSERT_TRUE(s.ok()) << s.error_message();
    const absl::Time changed = absl::Now();
    v = updated.vacancy();
    // Matched elsewhere in its old state only within the bound, and only while SE is FRESH.
    absl::Duration seen_after = absl::InfiniteDuration();
    while (absl::Now() - changed < 3 * kFreshnessBound) {
      pb::MatchPlacementsResponse m;
      ASSERT_TRUE(Match(ee(), referral, &m).ok());
      const absl::Time at = absl::Now();
      const pb::Match* match = Find(m, v.vacancy_id());
      ASSERT_NE(match, nullptr);
      if (match->vacancy().weekly_cost().pence() == cost) {
        seen_after = at - changed;
        break;
      }
      EXPECT_LT(at - changed, kFreshnessBound) << "old state matched past the bound";
      absl::SleepFor(absl::Milliseconds(5));
    }
    ASSERT_LT(seen_after, kFreshnessBound) << "round " << round;
    worst = std::max(worst, seen_after);
  }
  // Withdrawn at its owner: no longer matched elsewhere within the bound.
  pb::WithdrawVacancyRequest withdraw;
  withdraw.set_request_id(NextRequestId("withdraw"));
  withdraw.set_vacancy_id(v.vacancy_id());
  withdraw.set_version(v.version());
  pb::WithdrawVacancyResponse withdrawn;
  ASSERT_TRUE(
      CallPlacement(se().stub.get(), se().provider, &Stub::WithdrawVacancy, withdraw, &withdrawn)
          .ok());
  const absl::Time gone_at = absl::Now();
  absl::Duration gone_after = absl::InfiniteDuration();
  while (absl::Now() - gone_at < 3 * kFreshnessBound) {
    pb::MatchPlacementsResponse m;
    ASSERT_TRUE(Match(ee(), referral, &m).ok());
    if (Find(m, v.vacancy_id()) == nullptr) {
      gone_after = absl::Now() - gone_at;
      break;
    }
    absl::SleepFor(absl::Milliseconds(5));
  }
  EXPECT_LT(gone_after, kFreshnessBound);
  worst = std::max(worst, gone_after);
  std::printf("propagation: worst %s over 6 changes (bound %s)\n",
              absl::FormatDuration(worst).c_str(), absl::FormatDuration(kFreshnessBound).c_str());
  RecordProperty("propagation_worst_ms", static_cast<int>(absl::ToInt64Milliseconds(worst)));
}

// Last: it kills London's hub (and starts it again at the end).
TEST_F(PlacementFederationTest, KilledHubIsAnsweredFromItsLastCopyMarkedStale) {
  const std::string referral = Referral(ee());
  ASSERT_TRUE(AwaitPeersFresh(referral));
  ASSERT_TRUE(cluster_->hub("LDN").process().Kill().ok());
  const absl::Duration deadline = absl::Seconds(3);
  const absl::Time start = absl::Now();
  pb::MatchPlacementsResponse m;
  grpc::Status s = Match(ee(), referral, &m, cpb::FEDERATION_MODE_UNSPECIFIED, deadline);
  const absl::Duration took = absl::Now() - start;
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_LT(took, deadline);
  // Within the silence limit the stream's end is seen at once (the connection drops).
  ASSERT_TRUE(WaitFor(
      [&] {
        return Match(ee(), referral, &m).ok() && Answer(m, "LDN") != nullptr &&
               Answer(m, "LDN")->state() == cpb::REGION_ANSWER_STATE_STALE;
      },
      absl::Seconds(5)));
  const cpb::RegionAnswer* london = Answer(m, "LDN");
  EXPECT_TRUE(m.federation().partial());
  EXPECT_TRUE(london->has_age());
  EXPECT_FALSE(london->reason().empty());
  EXPECT_EQ(Answer(m, "SE")->state(), cpb::REGION_ANSWER_STATE_FRESH);
  // London's last copy is used.
  EXPECT_NE(Find(m, ldn().vacancy.vacancy_id()), nullptr);
  // Strict mode names London.
  pb::MatchPlacementsResponse strict;
  grpc::Status refused = Match(ee(), referral, &strict, cpb::FEDERATION_MODE_STRICT);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAVAILABLE);
  EXPECT_TRUE(absl::StrContains(refused.error_message(), "LDN STALE")) << refused.error_message();
  // A hold on London's vacancy cannot be made while its owner is down.
  pb::HoldVacancyRequest hold;
  hold.set_request_id(NextRequestId("hold-down"));
  hold.set_vacancy_id(ldn().vacancy.vacancy_id());
  hold.set_referral_id(referral);
  pb::HoldVacancyResponse held;
  EXPECT_EQ(
      CallPlacement(ee().stub.get(), ee().officer, &Stub::HoldVacancy, hold, &held).error_code(),
      grpc::StatusCode::UNAVAILABLE);

  // Back: London's stream resumes and the region is FRESH again.
  ASSERT_TRUE(cluster_->Restart("LDN").ok());
  EXPECT_TRUE(AwaitPeersFresh(referral));
}

}  // namespace
}  // namespace slihub::testing
