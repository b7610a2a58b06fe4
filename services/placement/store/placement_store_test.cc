// Tests of the placement repository against a real SQLite file, each call in its own transaction
// as the service makes it: publishing idempotent by record id, version checks, holds that never
// double-book, confirmation and expiry.
#include "services/placement/store/placement_store.h"

#include <atomic>
#include <thread>

#include "common/errors/errors.h"
#include "gtest/gtest.h"
#include "services/placement/store/migrations.h"
#include "services/placement/store/transactions.h"
#include "tests/support/temp_dir.h"

namespace slihub::placement {
namespace {

const absl::Time kT0 = absl::FromUnixSeconds(1790000000);

class PlacementStoreTest : public ::testing::Test {
 protected:
  // Calls the repository's `method` in one write transaction of db_, as the service does.
  template <typename Method, typename... Args>
  auto Do(Method method, Args&&... args) {
    return InWriteTransaction(*db_, [&](store::Transaction& tx) {
      return ((*store_).*method)(tx, std::forward<Args>(args)...);
    });
  }

  void SetUp() override {
    auto db = OpenPlacementDatabase(dir_.Join("placement.db"));
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = std::move(*db);
    store_ = std::make_unique<PlacementStore>("EE");
    ProviderRecord p;
    p.name = "Acme Homes";
    p.kind = 2;
    p.member_subjects = {"acme-1"};
    auto provider = Do(&PlacementStore::CreateProvider, p, W("admin", "p1"));
    ASSERT_TRUE(provider.ok()) << provider.status();
    SettingRecord s;
    s.facts.provider_id = provider->provider_id;
    s.facts.ofsted_urn = "SC123456";
    s.facts.name = "Oak House";
    s.facts.placement_type = PlacementType::kChildrensHomePrivate;
    s.facts.ofsted_grade = OfstedGrade::kGood;
    s.facts.registered_needs = {1, 7};
    s.facts.age_min = 8;
    s.facts.age_max = 17;
    s.facts.sex_accepted = SexAccepted::kAny;
    s.facts.postcode_district = "NR1";
    s.facts.coordinates = GeoPoint{52.63, 1.30};
    s.facts.host_la = "926";
    s.facts.region = "EE";
    s.registered_places = 4;
    auto setting = Do(&PlacementStore::CreateSetting, s, W("admin", "s1"));
    ASSERT_TRUE(setting.ok()) << setting.status();
    setting_ = *setting;
  }

  static WriteContext W(const std::string& who, const std::string& rid, absl::Time now = kT0) {
    return WriteContext{who, rid, now};
  }

  VacancyRecord Publish(int beds, const std::string& record_id = "r1") {
    VacancyRecord v;
    v.facts.setting_id = setting_.facts.setting_id;
    v.record_id = record_id;
    v.facts.beds = beds;
    v.facts.available_from = absl::CivilDay(2026, 12, 1);
    v.facts.weekly_cost_pence = 380000;
    v.facts.occupancy = Occupancy::kShared;
    v.facts.sibling_capacity = 1;
    auto out = Do(&PlacementStore::PublishVacancy, v, W("acme-1", ""));
    EXPECT_TRUE(out.ok()) << out.status();
    return out->first;
  }

  ReferralRecord Refer(const std::string& la, const std::string& rid = "") {
    ReferralRecord r;
    r.la_code = la;
    r.profile.age_years = 14;
    r.profile.sex = Sex::kFemale;
    r.profile.needs = {1};
    r.profile.home_coordinates = GeoPoint{52.6, 1.3};
    auto out = Do(&PlacementStore::CreateReferral, r, W(la + "-po", rid));
    EXPECT_TRUE(out.ok()) << out.status();
    return *out;
  }

  testing::TempDir dir_;
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<PlacementStore> store_;
  SettingRecord setting_;
};

// Replays are the request layer's (RunIdempotent): the repository writes what it is asked to, and
// keeps the request id in the audit.
TEST_F(PlacementStoreTest, IdsCarryTheRegionAndTheAuditKeepsTheRequestId) {
  EXPECT_EQ(setting_.facts.setting_id, "EE-s-1");
  ReferralRecord a = Refer("926", "req-1");
  EXPECT_EQ(a.referral_id, "EE-r-1");
  EXPECT_EQ(a.audit.request_id, "req-1");
  EXPECT_NE(Refer("926", "req-2").referral_id, a.referral_id);
}

TEST_F(PlacementStoreTest, ResidentialUrnIsUnique) {
  SettingRecord s = setting_;
  s.facts.name = "Copy";
  auto dup = Do(&PlacementStore::CreateSetting, s, W("admin", "s2"));
  EXPECT_EQ(dup.status().code(), absl::StatusCode::kAlreadyExists);
  s.facts.placement_type = PlacementType::kIndependentFosteringAgency;  // fostering shares URNs
  EXPECT_TRUE(Do(&PlacementStore::CreateSetting, s, W("admin", "s3")).ok());
}

TEST_F(PlacementStoreTest, PublishIsIdempotentByRecordId) {
  VacancyRecord v = Publish(2);
  EXPECT_EQ(v.facts.version, 1);
  VacancyRecord again = Publish(2);
  EXPECT_EQ(again.facts.vacancy_id, v.facts.vacancy_id);
  EXPECT_EQ(again.facts.version, 2);  // confirmed
  VacancyRecord changed = v;
  changed.facts.beds = 3;
  EXPECT_EQ(Do(&PlacementStore::PublishVacancy, changed, W("acme-1", "")).status().code(),
            absl::StatusCode::kAlreadyExists);
}

TEST_F(PlacementStoreTest, UpdateChecksTheVersion) {
  VacancyRecord v = Publish(2);
  VacancyRecord terms = v;
  terms.facts.weekly_cost_pence = 400000;
  auto updated = Do(&PlacementStore::UpdateVacancy, terms, W("acme-1", "u1"));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->facts.version, v.facts.version + 1);
  EXPECT_EQ(updated->facts.weekly_cost_pence, 400000);
  auto stale = Do(&PlacementStore::UpdateVacancy, terms, W("acme-1", "u2"));
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);
}

TEST_F(PlacementStoreTest, HoldConfirmRelease) {
  VacancyRecord v = Publish(1);
  ReferralRecord r1 = Refer("926");
  ReferralRecord r2 = Refer("935");
  auto hold = Do(&PlacementStore::HoldVacancy, v.facts.vacancy_id, r1.referral_id, v.facts.version,
                 absl::Hours(1), W("926-po", "h1"));
  ASSERT_TRUE(hold.ok()) << hold.status();
  EXPECT_EQ(hold->vacancy.facts.beds_held, 1);
  auto none = Do(&PlacementStore::HoldVacancy, v.facts.vacancy_id, r2.referral_id, 0,
                 absl::Hours(1), W("935-po", "h2"));
  EXPECT_EQ(none.status().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_EQ(GetPreconditionViolations(none.status()).size(), 1u);
  EXPECT_EQ(GetPreconditionViolations(none.status())[0].type, "NO_FREE_BED");
  auto stale = Do(&PlacementStore::HoldVacancy, v.facts.vacancy_id, r2.referral_id, v.facts.version,
                  absl::Hours(1), W("935-po", "h3"));
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted);

  auto released = Do(&PlacementStore::ReleaseHold, hold->hold.hold_id, hold->hold.version,
                     "changed plan", W("926-po", "rel1"));
  ASSERT_TRUE(released.ok()) << released.status();
  EXPECT_EQ(released->hold.state, kHoldReleased);
  EXPECT_EQ(released->vacancy.facts.beds_held, 0);
  EXPECT_EQ(Do(&PlacementStore::ReleaseHold, hold->hold.hold_id, hold->hold.version, "",
               W("926-po", "rel2"))
                .status()
                .code(),
            absl::StatusCode::kAborted);

  auto hold2 = Do(&PlacementStore::HoldVacancy, v.facts.vacancy_id, r2.referral_id, 0,
                  absl::Hours(1), W("935-po", "h4"));
  ASSERT_TRUE(hold2.ok()) << hold2.status();
  auto early = Do(&PlacementStore::ConfirmPlacement, hold2->hold.hold_id, hold2->hold.version,
                  absl::CivilDay(2026, 11, 30), W("935-po", "c0"));
  EXPECT_EQ(early.status().code(), absl::StatusCode::kFailedPrecondition);
  auto placed = Do(&PlacementStore::ConfirmPlacement, hold2->hold.hold_id, hold2->hold.version,
                   absl::CivilDay(2026, 12, 1), W("935-po", "c1"));
  ASSERT_TRUE(placed.ok()) << placed.status();
  EXPECT_EQ(placed->hold.state, kHoldConfirmed);
  EXPECT_EQ(placed->vacancy.facts.beds, 0);
  EXPECT_EQ(placed->vacancy.facts.state, VacancyState::kFilled);
  ASSERT_TRUE(placed->placement.has_value());
  EXPECT_EQ(placed->placement->la_code, "935");
  ASSERT_TRUE(placed->placement->distance_miles.has_value());
  EXPECT_EQ(Do(&PlacementStore::GetReferral, r2.referral_id)->state, kReferralPlaced);
  // A second confirmation of the same hold is refused: the hold is no longer active.
  auto again = Do(&PlacementStore::ConfirmPlacement, hold2->hold.hold_id, hold2->hold.version,
                  absl::CivilDay(2026, 12, 1), W("935-po", "c2"));
  EXPECT_FALSE(again.ok());
}

TEST_F(PlacementStoreTest, ExpiredHoldsReturnTheirBeds) {
  VacancyRecord v = Publish(1);
  ReferralRecord r = Refer("926");
  auto hold = Do(&PlacementStore::HoldVacancy, v.facts.vacancy_id, r.referral_id, 0,
                 absl::Minutes(5), W("926-po", "h1"));
  ASSERT_TRUE(hold.ok());
  EXPECT_EQ(*Do(&PlacementStore::ExpireHolds, kT0 + absl::Minutes(5) - absl::Seconds(1)), 0);
  EXPECT_EQ(*Do(&PlacementStore::ExpireHolds, kT0 + absl::Minutes(5)), 1);
  EXPECT_EQ(Do(&PlacementStore::GetHold, hold->hold.hold_id)->state, kHoldExpired);
  EXPECT_EQ(Do(&PlacementStore::GetVacancy, v.facts.vacancy_id)->facts.beds_held, 0);
  EXPECT_EQ(*Do(&PlacementStore::ExpireHolds, kT0 + absl::Hours(1)), 0);
  // Confirming a lapsed hold that the sweep has not reached yet expires it instead.
  auto h2 = Do(&PlacementStore::HoldVacancy, v.facts.vacancy_id, r.referral_id, 0, absl::Minutes(5),
               W("926-po", "h2"));
  ASSERT_TRUE(h2.ok());
  auto late = Do(&PlacementStore::ConfirmPlacement, h2->hold.hold_id, h2->hold.version,
                 absl::CivilDay(2026, 12, 1), W("926-po", "c", kT0 + absl::Minutes(6)));
  EXPECT_EQ(late.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(GetPreconditionViolations(late.status())[0].type, "HOLD_EXPIRED");
  EXPECT_EQ(*Do(&PlacementStore::ExpireHolds, kT0 + absl::Minutes(6)), 1);  // as the service does
  EXPECT_EQ(Do(&PlacementStore::GetHold, h2->hold.hold_id)->state, kHoldExpired);
  EXPECT_EQ(Do(&PlacementStore::GetVacancy, v.facts.vacancy_id)->facts.beds_held, 0);
}

TEST_F(PlacementStoreTest, ConcurrentHoldsNeverDoubleBook) {
  VacancyRecord v = Publish(3);
  std::vector<ReferralRecord> refs;
  for (int i = 0; i < 24; ++i) refs.push_back(Refer("926"));
  std::atomic<int> won{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 24; ++i) {
    threads.emplace_back([&, i] {
      auto h = Do(&PlacementStore::HoldVacancy, v.facts.vacancy_id, refs[i].referral_id, 0,
                  absl::Hours(1), W("926-po", "race-" + std::to_string(i)));
      if (h.ok()) ++won;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(won.load(), 3);
  EXPECT_EQ(Do(&PlacementStore::GetVacancy, v.facts.vacancy_id)->facts.beds_held, 3);
}

TEST_F(PlacementStoreTest, CandidatesFollowTheScope) {
  Publish(1, "a");
  Publish(1, "b");
  EXPECT_EQ(Do(&PlacementStore::LoadCandidates, Scope::kOwnRegion, "926", "EE")->size(), 2u);
  EXPECT_EQ(Do(&PlacementStore::LoadCandidates, Scope::kOwnLa, "935", "EE")->size(), 0u);
  EXPECT_EQ(Do(&PlacementStore::LoadCandidates, Scope::kOwnRegion, "", "SE")->size(), 0u);
  EXPECT_EQ(Do(&PlacementStore::LoadCandidates, Scope::kNational, "", "SE")->size(), 2u);
}

}  // namespace
}  // namespace slihub::placement

namespace slihub::placement {
namespace {

TEST_F(PlacementStoreTest, EveryVacancyChangeTakesTheNextSequenceNumber) {
  auto all = Do(&PlacementStore::LoadCandidateChanges, 0);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_TRUE(all->changed.empty());
  const int64_t start = all->sequence;
  VacancyRecord v = Publish(1);
  auto after_publish = Do(&PlacementStore::LoadCandidateChanges, start);
  ASSERT_EQ(after_publish->changed.size(), 1u);
  EXPECT_GT(after_publish->sequence, start);
  EXPECT_TRUE(Do(&PlacementStore::LoadCandidateChanges, after_publish->sequence)->changed.empty());
  ReferralRecord r = Refer("926");
  auto hold = Do(&PlacementStore::HoldVacancy, v.facts.vacancy_id, r.referral_id, 0, absl::Hours(1),
                 W("926-po", "h"));
  ASSERT_TRUE(hold.ok());
  auto after_hold = Do(&PlacementStore::LoadCandidateChanges, after_publish->sequence);
  ASSERT_EQ(after_hold->changed.size(), 1u);
  EXPECT_EQ(after_hold->changed[0].vacancy.beds_held, 1);
  EXPECT_EQ(after_hold->sequence, after_publish->sequence + 1);
}

}  // namespace
}  // namespace slihub::placement

namespace slihub::placement {
namespace {

TEST_F(PlacementStoreTest, ConfirmWithdrawAndCloseFollowTheirRules) {
  VacancyRecord v = Publish(2);
  auto confirmed = Do(&PlacementStore::ConfirmVacancy, v.facts.vacancy_id, 0,
                      W("acme-1", "c1", kT0 + absl::Hours(5)), absl::InfinitePast());
  ASSERT_TRUE(confirmed.ok()) << confirmed.status();
  EXPECT_EQ(confirmed->facts.last_confirmed_at, kT0 + absl::Hours(5));
  EXPECT_EQ(Do(&PlacementStore::ConfirmVacancy, v.facts.vacancy_id, v.facts.version,
               W("acme-1", "c2"), absl::InfinitePast())
                .status()
                .code(),
            absl::StatusCode::kAborted);

  ReferralRecord r = Refer("926");
  auto hold = Do(&PlacementStore::HoldVacancy, v.facts.vacancy_id, r.referral_id, 0, absl::Hours(1),
                 W("926-po", "h"));
  ASSERT_TRUE(hold.ok());
  auto blocked = Do(&PlacementStore::WithdrawVacancy, v.facts.vacancy_id,
                    hold->vacancy.facts.version, W("acme-1", "w1"));
  ASSERT_EQ(blocked.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(GetPreconditionViolations(blocked.status())[0].type, "ACTIVE_HOLDS");

  // Closing the referral releases its hold in the same transaction.
  auto closed =
      Do(&PlacementStore::CloseReferral, r.referral_id, r.version, 2, W("926-po", "close"));
  ASSERT_TRUE(closed.ok()) << closed.status();
  EXPECT_EQ(closed->state, 3);
  EXPECT_EQ(closed->close_reason, 2);
  EXPECT_EQ(Do(&PlacementStore::GetHold, hold->hold.hold_id)->state, kHoldReleased);
  // Closing it again sees the referral closed.
  EXPECT_EQ(
      Do(&PlacementStore::CloseReferral, r.referral_id, closed->version, 2, W("926-po", "close2"))
          .status()
          .code(),
      absl::StatusCode::kFailedPrecondition);

  VacancyRecord now = *Do(&PlacementStore::GetVacancy, v.facts.vacancy_id);
  EXPECT_EQ(now.facts.beds_held, 0);
  auto withdrawn = Do(&PlacementStore::WithdrawVacancy, v.facts.vacancy_id, now.facts.version,
                      W("acme-1", "w2"));
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status();
  EXPECT_EQ(withdrawn->facts.state, VacancyState::kWithdrawn);
  EXPECT_EQ(
      Do(&PlacementStore::WithdrawVacancy, v.facts.vacancy_id, now.facts.version, W("acme-1", "w3"))
          .status()
          .code(),
      absl::StatusCode::kAborted);  // the version moved on
  EXPECT_EQ(Do(&PlacementStore::ConfirmVacancy, v.facts.vacancy_id, 0, W("acme-1", "c3"),
               absl::InfinitePast())
                .status()
                .code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(Do(&PlacementStore::GetPlacement, "EE-pl-404").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace slihub::placement

namespace slihub::placement {
namespace {

TEST_F(PlacementStoreTest, ListVacanciesFiltersAndPagesInIdOrder) {
  Publish(1, "a");
  Publish(1, "b");
  VacancyRecord c = Publish(1, "c");
  ASSERT_TRUE(
      Do(&PlacementStore::WithdrawVacancy, c.facts.vacancy_id, c.facts.version, W("acme-1", "w"))
          .ok());
  VacancyQuery q;
  q.limit = 10;
  auto open = Do(&PlacementStore::ListVacancies, q);
  ASSERT_TRUE(open.ok()) << open.status();
  ASSERT_EQ(open->size(), 2u);  // OPEN only by default
  EXPECT_LT(open->at(0).facts.vacancy_id, open->at(1).facts.vacancy_id);
  q.limit = 1;
  q.after_id = open->at(0).facts.vacancy_id;
  EXPECT_EQ(Do(&PlacementStore::ListVacancies, q)->at(0).facts.vacancy_id,
            open->at(1).facts.vacancy_id);
  q = VacancyQuery();
  q.states = {3};
  EXPECT_EQ(Do(&PlacementStore::ListVacancies, q)->size(), 1u);
  q = VacancyQuery();
  q.member_subject = "acme-1";
  EXPECT_EQ(Do(&PlacementStore::ListVacancies, q)->size(), 2u);
  q.member_subject = "acme";  // not a whole subject
  EXPECT_EQ(Do(&PlacementStore::ListVacancies, q)->size(), 0u);
  q = VacancyQuery();
  q.host_la = "935";
  EXPECT_EQ(Do(&PlacementStore::ListVacancies, q)->size(), 0u);
  q = VacancyQuery();
  q.placement_types = {4};
  q.region = "EE";
  q.available_by = absl::CivilDay(2026, 12, 1);
  EXPECT_EQ(Do(&PlacementStore::ListVacancies, q)->size(), 2u);
  q.available_by = absl::CivilDay(2026, 11, 30);
  EXPECT_EQ(Do(&PlacementStore::ListVacancies, q)->size(), 0u);
}

}  // namespace
}  // namespace slihub::placement

namespace slihub::placement {
namespace {

TEST_F(PlacementStoreTest, EveryVacancyChangeIsLoggedWithItsTypeHoldAndState) {
  auto start = Do(&PlacementStore::LoadVacancyEvents, 0, 100);
  ASSERT_TRUE(start.ok()) << start.status();
  const int64_t before = start->latest;
  VacancyRecord v = Publish(2);
  ASSERT_TRUE(Do(&PlacementStore::ConfirmVacancy, v.facts.vacancy_id, 0,
                 W("acme-1", "", kT0 + absl::Minutes(1)), absl::InfinitePast())
                  .ok());
  ReferralRecord a = Refer("926");
  ReferralRecord b = Refer("873");
  auto held = Do(&PlacementStore::HoldVacancy, v.facts.vacancy_id, a.referral_id, 0, absl::Hours(1),
                 W("926-po", ""));
  ASSERT_TRUE(held.ok()) << held.status();
  auto released = Do(&PlacementStore::ReleaseHold, held->hold.hold_id, 1, "no", W("926-po", ""));
  ASSERT_TRUE(released.ok()) << released.status();
  auto held2 = Do(&PlacementStore::HoldVacancy, v.facts.vacancy_id, b.referral_id, 0,
                  absl::Hours(1), W("873-po", ""));
  ASSERT_TRUE(held2.ok()) << held2.status();
  auto placed = Do(&PlacementStore::ConfirmPlacement, held2->hold.hold_id, 1,
                   absl::CivilDay(2026, 12, 1), W("873-po", ""));
  ASSERT_TRUE(placed.ok()) << placed.status();
  VacancyRecord terms = placed->vacancy;
  terms.facts.weekly_cost_pence = 390000;
  auto updated = Do(&PlacementStore::UpdateVacancy, terms, W("acme-1", ""));
  ASSERT_TRUE(updated.ok()) << updated.status();
  auto withdrawn = Do(&PlacementStore::WithdrawVacancy, v.facts.vacancy_id, updated->facts.version,
                      W("acme-1", ""));
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status();

  auto page = Do(&PlacementStore::LoadVacancyEvents, before, 100);
  ASSERT_TRUE(page.ok()) << page.status();
  std::vector<int> types;
  std::vector<std::string> holds;
  for (const VacancyEventRecord& e : page->events) {
    types.push_back(e.type);
    holds.push_back(e.hold_id);
    EXPECT_EQ(e.vacancy.facts.vacancy_id, v.facts.vacancy_id);
    EXPECT_EQ(e.provider_id, setting_.facts.provider_id);
  }
  // PUBLISHED, CONFIRMED, HELD, HOLD_RELEASED, HELD, FILLED, UPDATED, WITHDRAWN.
  EXPECT_EQ(types, (std::vector<int>{2, 4, 6, 7, 6, 8, 3, 9}));
  EXPECT_EQ(holds, (std::vector<std::string>{"", "", held->hold.hold_id, held->hold.hold_id,
                                             held2->hold.hold_id, held2->hold.hold_id, "", ""}));
  ASSERT_EQ(page->events.size(), 8u);
  EXPECT_EQ(page->events[2].vacancy.facts.beds_held, 1);  // the state after each change
  EXPECT_EQ(page->events[5].vacancy.facts.beds, 1);
  EXPECT_EQ(page->events[6].vacancy.facts.weekly_cost_pence, 390000);
  for (size_t i = 1; i < page->events.size(); ++i) {
    EXPECT_EQ(page->events[i].sequence, page->events[i - 1].sequence + 1);
  }
  EXPECT_EQ(page->read_upto, page->latest);
  EXPECT_EQ(page->events.back().sequence, page->latest);

  auto partial = Do(&PlacementStore::LoadVacancyEvents, before, 3);
  ASSERT_EQ(partial->events.size(), 3u);
  EXPECT_EQ(partial->read_upto, partial->events.back().sequence);
  auto snapshot = Do(&PlacementStore::LoadVacancySnapshot);
  ASSERT_TRUE(snapshot.ok());
  EXPECT_TRUE(snapshot->events.empty());  // withdrawn: not open
  EXPECT_EQ(snapshot->read_upto, page->latest);
  auto providers = Do(&PlacementStore::ProvidersOfMember, "acme-1");
  ASSERT_TRUE(providers.ok());
  EXPECT_EQ(*providers, std::vector<std::string>{setting_.facts.provider_id});
  EXPECT_TRUE(Do(&PlacementStore::ProvidersOfMember, "acme")->empty());
}

}  // namespace
}  // namespace slihub::placement

namespace slihub::placement {
namespace {

TEST_F(PlacementStoreTest, ListsAreNewestFirstFilteredScopedAndPaged) {
  VacancyRecord v = Publish(3);
  std::vector<ReferralRecord> referrals;
  for (int i = 0; i < 3; ++i) {
    ReferralRecord r;
    r.la_code = i == 1 ? "873" : "926";
    r.profile.age_years = 12;
    r.profile.sex = Sex::kMale;
    r.profile.needs = {1};
    auto made = Do(&PlacementStore::CreateReferral, r, W("po", "", kT0 + absl::Minutes(i)));
    ASSERT_TRUE(made.ok());
    referrals.push_back(*made);
  }
  RecordQuery q;
  q.la_codes = {"926"};
  auto mine = Do(&PlacementStore::ListReferrals, q);
  ASSERT_TRUE(mine.ok()) << mine.status();
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ((*mine)[0].referral_id, referrals[2].referral_id);
  q.limit = 1;
  q.before =
      std::make_pair(absl::ToUnixMicros((*mine)[0].audit.create_time), (*mine)[0].referral_id);
  auto next = Do(&PlacementStore::ListReferrals, q);
  ASSERT_EQ(next->size(), 1u);
  EXPECT_EQ((*next)[0].referral_id, referrals[0].referral_id);

  auto held = Do(&PlacementStore::HoldVacancy, v.facts.vacancy_id, referrals[0].referral_id, 0,
                 absl::Hours(1), W("926-po", "", kT0 + absl::Minutes(5)));
  ASSERT_TRUE(held.ok());
  auto held2 = Do(&PlacementStore::HoldVacancy, v.facts.vacancy_id, referrals[1].referral_id, 0,
                  absl::Hours(1), W("873-po", "", kT0 + absl::Minutes(6)));
  ASSERT_TRUE(held2.ok());
  ASSERT_TRUE(Do(&PlacementStore::ConfirmPlacement, held->hold.hold_id, 1,
                 absl::CivilDay(2026, 12, 2), W("926-po", "", kT0 + absl::Minutes(7)))
                  .ok());
  RecordQuery holds;
  auto all = Do(&PlacementStore::ListHolds, holds);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].hold_id, held2->hold.hold_id);
  holds.state = kHoldActive;
  EXPECT_EQ(Do(&PlacementStore::ListHolds, holds)->size(), 1u);
  holds.state = 0;
  holds.provider_scoped = true;
  EXPECT_TRUE(Do(&PlacementStore::ListHolds, holds)->empty());  // no providers: nothing
  holds.provider_ids = {setting_.facts.provider_id};
  EXPECT_EQ(Do(&PlacementStore::ListHolds, holds)->size(), 2u);
  holds.la_codes = {"873"};
  EXPECT_EQ(Do(&PlacementStore::ListHolds, holds)->size(), 1u);

  RecordQuery placed;
  placed.host_la = "926";
  placed.start_from = absl::CivilDay(2026, 12, 2);
  placed.start_to = absl::CivilDay(2026, 12, 2);
  auto placements = Do(&PlacementStore::ListPlacements, placed);
  ASSERT_TRUE(placements.ok()) << placements.status();
  ASSERT_EQ(placements->size(), 1u);
  EXPECT_EQ((*placements)[0].hold_id, held->hold.hold_id);
  placed.start_from = absl::CivilDay(2026, 12, 3);
  EXPECT_TRUE(Do(&PlacementStore::ListPlacements, placed)->empty());
}

}  // namespace
}  // namespace slihub::placement

namespace slihub::placement {
namespace {

TEST_F(PlacementStoreTest, UpdatingASettingIsVersionedAndTouchesItsVacancies) {
  VacancyRecord v = Publish(1);
  const int64_t before = Do(&PlacementStore::LoadVacancyEvents, 0, 0)->latest;
  SettingRecord next = setting_;
  next.facts.ofsted_grade = OfstedGrade::kOutstanding;
  next.version = setting_.version;
  auto updated = Do(&PlacementStore::UpdateSetting, next, W("acme-1", "u1"));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->facts.ofsted_grade, OfstedGrade::kOutstanding);
  EXPECT_EQ(updated->version, setting_.version + 1);
  EXPECT_EQ(Do(&PlacementStore::UpdateSetting, next, W("acme-1", "u2")).status().code(),
            absl::StatusCode::kAborted);
  auto events = Do(&PlacementStore::LoadVacancyEvents, before, 10);
  ASSERT_EQ(events->events.size(), 1u);
  EXPECT_EQ(events->events[0].type, 3);  // UPDATED
  EXPECT_EQ(events->events[0].vacancy.facts.vacancy_id, v.facts.vacancy_id);
  auto changed = Do(&PlacementStore::LoadCandidateChanges, before);
  ASSERT_TRUE(changed.ok());
  ASSERT_EQ(changed->changed.size(), 1u);
  EXPECT_EQ(changed->changed[0].setting.ofsted_grade, OfstedGrade::kOutstanding);
}

}  // namespace
}  // namespace slihub::placement

namespace slihub::placement {
namespace {

// Another region's referral reference: id and LA only, open, so its hub's forwarded hold can be
// made here; the same id for another LA is refused.
TEST_F(PlacementStoreTest, APeerReferralReferenceHoldsABedWithoutTheChildsDetails) {
  VacancyRecord v = Publish(1);
  auto note = [&](const std::string& id, const std::string& la, const std::string& rid) {
    return db_->Run(store::TxMode::kWrite, [&](store::Transaction& tx) {
      return store_->EnsurePeerReferral(tx, id, la, W("hub:SE", rid));
    });
  };
  ASSERT_TRUE(note("SE-r-7", "886", "f1").ok());
  ASSERT_TRUE(note("SE-r-7", "886", "f2").ok());  // again: nothing changes
  ReferralRecord ref = *Do(&PlacementStore::GetReferral, std::string("SE-r-7"));
  EXPECT_EQ(ref.la_code, "886");
  EXPECT_EQ(ref.state, kReferralOpen);
  EXPECT_EQ(ref.profile.age_years, 0);
  EXPECT_TRUE(ref.profile.needs.empty());
  EXPECT_TRUE(ref.profile.home_postcode_district.empty());
  EXPECT_FALSE(ref.profile.home_coordinates.has_value());
  EXPECT_EQ(note("SE-r-7", "845", "f3").code(), absl::StatusCode::kPermissionDenied);
  auto held = Do(&PlacementStore::HoldVacancy, v.facts.vacancy_id, std::string("SE-r-7"), 0,
                 absl::Hours(1), W("hub:SE", "h1"));
  ASSERT_TRUE(held.ok()) << held.status();
  EXPECT_EQ(held->hold.la_code, "886");
  EXPECT_EQ(held->hold.referral_id, "SE-r-7");
}

}  // namespace
}  // namespace slihub::placement
