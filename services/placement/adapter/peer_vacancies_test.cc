// The read model's conversion of a streamed event into the candidate the matcher reads, and its
// region states when no peer is configured.
#include "services/placement/adapter/peer_vacancies.h"

#include "absl/time/clock.h"
#include "common/server/proto_time.h"
#include "gtest/gtest.h"
#include "services/placement/client/testing/fake_placement_hub_connection.h"

namespace slihub::placement {
namespace {

v1::VacancyEvent Event() {
  v1::VacancyEvent e;
  v1::Vacancy* v = e.mutable_vacancy();
  v->set_vacancy_id("SE-v-4");
  v->set_setting_id("SE-s-2");
  v->set_beds(3);
  v->set_beds_held(1);
  v->mutable_available_from()->set_year(2026);
  v->mutable_available_from()->set_month(11);
  v->mutable_available_from()->set_day(2);
  v->mutable_weekly_cost()->set_pence(420000);
  v->set_occupancy(v1::OCCUPANCY_SOLO);
  v->set_sibling_capacity(2);
  *v->mutable_last_confirmed_at() = ToProtoTimestamp(absl::FromUnixSeconds(1790000000));
  v->set_state(v1::VACANCY_STATE_OPEN);
  v->set_version(5);
  v1::Setting* s = e.mutable_setting();
  s->set_setting_id("SE-s-2");
  s->set_provider_id("SE-p-1");
  s->set_placement_type(v1::PLACEMENT_TYPE_CHILDRENS_HOME_PRIVATE);
  s->set_ofsted_grade(v1::OFSTED_GRADE_GOOD);
  s->add_registered_needs(v1::NEED_CATEGORY_ABUSE_NEGLECT);
  s->add_registered_needs(v1::NEED_CATEGORY_EMOTIONAL_BEHAVIOURAL);
  s->add_registered_needs(v1::NEED_CATEGORY_ABUSE_NEGLECT);
  s->mutable_age_range()->set_min_years(8);
  s->mutable_age_range()->set_max_years(17);
  s->set_sex_accepted(v1::SEX_ACCEPTED_ANY);
  s->mutable_location()->set_postcode_district("RG1");
  s->mutable_location()->mutable_coordinates()->set_latitude(51.45);
  s->mutable_location()->mutable_coordinates()->set_longitude(-0.97);
  s->mutable_host_la()->set_value("872");
  s->mutable_region()->set_value("SE");
  s->set_active(true);
  return e;
}

TEST(PeerVacanciesTest, AnEventBecomesTheCandidateTheMatcherReads) {
  std::optional<Candidate> c = CandidateFromEvent(Event());
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->vacancy.vacancy_id, "SE-v-4");
  EXPECT_EQ(c->vacancy.beds_free(), 2);
  EXPECT_EQ(c->vacancy.available_from, absl::CivilDay(2026, 11, 2));
  EXPECT_EQ(c->vacancy.weekly_cost_pence, 420000);
  EXPECT_EQ(c->vacancy.occupancy, Occupancy::kSolo);
  EXPECT_EQ(c->vacancy.last_confirmed_at, absl::FromUnixSeconds(1790000000));
  EXPECT_EQ(c->vacancy.state, VacancyState::kOpen);
  EXPECT_EQ(c->vacancy.version, 5);
  EXPECT_EQ(c->setting.region, "SE");
  EXPECT_EQ(c->setting.host_la, "872");
  EXPECT_EQ(c->setting.age_min, 8);
  // Sorted and distinct, as the store gives them.
  EXPECT_EQ(c->setting.registered_needs.size(), 2u);
  EXPECT_LT(c->setting.registered_needs[0], c->setting.registered_needs[1]);
  ASSERT_TRUE(c->setting.coordinates.has_value());
  EXPECT_DOUBLE_EQ(c->setting.coordinates->latitude, 51.45);
  // The key the matcher scans is exact for it.
  EXPECT_TRUE(MakeFilterKey(*c).exact);

  v1::VacancyEvent bare = Event();
  bare.clear_setting();
  EXPECT_FALSE(CandidateFromEvent(bare).has_value());  // a stream without settings is no use
}

TEST(PeerVacanciesTest, RegionsWithoutAPeerAreUnavailableAndCarryNoGroups) {
  PeerVacancies model(std::make_shared<testing::FakePlacementHubConnection>(), {"LDN", "SE"});
  const std::vector<PeerRegionPart> parts = model.Current(absl::Now());
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].outcome.region, "LDN");
  EXPECT_EQ(parts[0].outcome.state, federation::RegionState::kUnavailable);
  EXPECT_NE(parts[0].outcome.reason.find("no peer hub is configured"), std::string::npos);
  EXPECT_TRUE(parts[1].groups.empty());
  EXPECT_FALSE(model.Find("SE-v-4", absl::Now()).has_value());
  EXPECT_TRUE(model.AwaitAllFresh(absl::Milliseconds(10)));  // nothing configured to wait for
}

// The read model follows a peer's stream through the hub connection: the snapshot first, then
// changes; after a drop it resumes from the last sequence (no second snapshot) and is STALE
// meanwhile; a filled vacancy leaves the copy.
TEST(PeerVacanciesTest, FollowsThePeersStreamAndResumesAfterADrop) {
  auto hubs = std::make_shared<testing::FakePlacementHubConnection>(
      std::vector<std::string>{"SE"});
  auto first = hubs->QueueStream("SE");
  auto second = hubs->QueueStream("SE");
  PeerVacancyOptions options;
  options.min_backoff = absl::Milliseconds(5);
  options.max_backoff = absl::Milliseconds(10);
  options.silence_limit = absl::Seconds(30);
  options.reconnect_after = absl::Seconds(60);
  PeerVacancies model(hubs, {"LDN", "SE"}, options);

  v1::WatchVacanciesResponse snapshot;
  *snapshot.add_events() = Event();
  v1::VacancyEvent other = Event();
  other.mutable_vacancy()->set_vacancy_id("SE-v-5");
  *snapshot.add_events() = other;
  snapshot.set_snapshot_complete(true);
  snapshot.set_last_sequence(10);
  first->Push(snapshot);
  ASSERT_TRUE(first->AwaitRead(1, absl::Seconds(5)));
  ASSERT_TRUE(model.AwaitAllFresh(absl::Seconds(5)));
  EXPECT_TRUE(first->request().include_snapshot());
  EXPECT_TRUE(first->request().include_settings());
  std::vector<PeerRegionPart> parts = model.Current(absl::Now());
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].outcome.state, federation::RegionState::kUnavailable);  // LDN: no peer
  EXPECT_EQ(parts[1].outcome.state, federation::RegionState::kFresh);
  ASSERT_EQ(parts[1].groups.size(), 1u);
  EXPECT_EQ(parts[1].groups[0]->candidates.size(), 2u);

  v1::WatchVacanciesResponse change;
  v1::VacancyEvent filled = Event();
  filled.mutable_vacancy()->set_state(v1::VACANCY_STATE_FILLED);
  *change.add_events() = filled;
  change.set_last_sequence(11);
  first->Push(change);
  ASSERT_TRUE(first->AwaitRead(2, absl::Seconds(5)));
  // Read, then applied under the model's lock: wait for the change to show.
  const absl::Time applied_by = absl::Now() + absl::Seconds(5);
  while (model.Find("SE-v-4", absl::Now()).has_value() && absl::Now() < applied_by) {
    absl::SleepFor(absl::Milliseconds(2));
  }
  EXPECT_FALSE(model.Find("SE-v-4", absl::Now()).has_value());
  EXPECT_TRUE(model.Find("SE-v-5", absl::Now()).has_value());

  first->End(absl::UnavailableError("peer went away"));
  // Reconnected through the connection, resuming after sequence 11.
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (hubs->streams_opened("SE") < 2 && absl::Now() < deadline) {
    absl::SleepFor(absl::Milliseconds(5));
  }
  ASSERT_EQ(hubs->streams_opened("SE"), 2);
  EXPECT_FALSE(second->request().include_snapshot());
  EXPECT_EQ(second->request().resume_after_sequence(), 11);
  // The copy is kept while the stream is down or until it speaks again: still usable.
  EXPECT_TRUE(model.Find("SE-v-5", absl::Now()).has_value());
  v1::WatchVacanciesResponse heartbeat;
  heartbeat.set_last_sequence(11);
  second->Push(heartbeat);
  ASSERT_TRUE(second->AwaitRead(1, absl::Seconds(5)));
  EXPECT_TRUE(model.AwaitAllFresh(absl::Seconds(5)));
}

// Destroying the model cancels the open streams and joins its threads.
TEST(PeerVacanciesTest, StopsByCancellingItsStreams) {
  auto hubs = std::make_shared<testing::FakePlacementHubConnection>(
      std::vector<std::string>{"SE"});
  auto stream = hubs->QueueStream("SE");
  {
    PeerVacancies model(hubs, {"SE"});
    const absl::Time deadline = absl::Now() + absl::Seconds(5);
    while (hubs->streams_opened("SE") < 1 && absl::Now() < deadline) {
      absl::SleepFor(absl::Milliseconds(5));
    }
  }
  EXPECT_TRUE(stream->cancelled());
}

}  // namespace
}  // namespace slihub::placement
