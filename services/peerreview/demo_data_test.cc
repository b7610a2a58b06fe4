// The demo loader against a real SQLite store: what it writes for a given day, that loading again
// (the same day or any later one) adds nothing, and that every date follows
// the day it is loaded on.
#include "services/peerreview/demo_data.h"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/config/server_config.h"
#include "common/refdata/reference_data.h"
#include "common/store/sqlite_database.h"
#include "gtest/gtest.h"
#include "services/peerreview/store/migrations.h"
#include "services/peerreview/store/peerreview_store.h"
#include "services/peerreview/store/review_records_store.h"
#include "tests/support/temp_dir.h"

namespace slihub::peerreview {
namespace {

absl::CivilDay Day(const common::v1::CivilDate& d) { return absl::CivilDay(d.year(), d.month(), d.day()); }

// What the store holds for a region.
struct Snapshot {
  std::vector<v1::Cycle> cycles;  // latest year first
  std::map<std::string, std::vector<v1::ChallengeEvent>> events;
  std::map<std::string, std::vector<v1::Findings>> findings;
  std::vector<int> history_years;
  std::map<std::string, std::map<std::string, int>> sa_states;  // cycle -> LA -> state
};

class DemoDataTest : public ::testing::Test {
 protected:
  void SetUp() override { Open("EE"); }

  void Open(const std::string& region) {
    auto refdata = ReferenceData::LoadFromFile(std::string(SLIHUB_SOURCE_DIR) + "/deploy/reference/local_authorities.csv");
    ASSERT_TRUE(refdata.ok()) << refdata.status();
    refdata_ = *std::move(refdata);
    auto db = store::SqliteDatabase::Open(dir_.Join(region + ".db"));
    ASSERT_TRUE(db.ok()) << db.status();
    db_ = *std::move(db);
    ASSERT_TRUE(db_->Migrate(PeerReviewMigrations()).ok());
    config_.hub_region = region;
    context_.config = &config_;
    context_.reference_data = refdata_.get();
    context_.database = db_.get();
  }

  Snapshot Read() {
    Snapshot s;
    EXPECT_TRUE(db_->Run(store::TxMode::kRead, [&](store::Transaction& tx) -> absl::Status {
      auto cycles = PeerReviewStore::ListCycles(tx, config_.hub_region, 0, 0, 100);
      if (!cycles.ok()) return cycles.status();
      s.cycles = *cycles;
      for (const v1::Cycle& c : s.cycles) {
        auto events = ReviewRecordsStore::ListEvents(tx, c.cycle_id());
        if (!events.ok()) return events.status();
        s.events[c.cycle_id()] = *events;
        auto findings = ReviewRecordsStore::ListFindings(tx, c.cycle_id());
        if (!findings.ok()) return findings.status();
        s.findings[c.cycle_id()] = *findings;
        auto states = PeerReviewStore::SelfAssessmentStates(tx, c.cycle_id());
        if (!states.ok()) return states.status();
        s.sa_states[c.cycle_id()] = *states;
      }
      auto years = PeerReviewStore::HistoryYears(tx, config_.hub_region);
      if (!years.ok()) return years.status();
      s.history_years = *years;
      return absl::OkStatus();
    }).ok());
    return s;
  }

  slihub::testing::TempDir dir_;
  std::unique_ptr<ReferenceData> refdata_;
  std::unique_ptr<store::Database> db_;
  ServerConfig config_;
  ServiceContext context_;
};

TEST_F(DemoDataTest, WritesTheCurrentAndPreviousCyclesAroundToday) {
  const absl::CivilDay today(2026, 11, 24);
  ASSERT_TRUE(LoadPeerReviewDemoDataAsOf(context_, today).ok());
  const Snapshot s = Read();
  ASSERT_EQ(s.cycles.size(), 3u);
  const v1::Cycle& next = s.cycles[0];
  const v1::Cycle& current = s.cycles[1];
  const v1::Cycle& previous = s.cycles[2];
  EXPECT_EQ(next.cycle_id(), "EE-2025");
  EXPECT_EQ(next.state(), v1::CYCLE_STATE_SETUP);
  EXPECT_EQ(next.groups_size(), 0);
  EXPECT_TRUE(s.events.at("EE-2025").empty());
  EXPECT_TRUE(s.sa_states.at("EE-2025").empty());
  EXPECT_GT(Day(next.phases().self_assessment_due()), Day(current.phases().summary_due()));
  EXPECT_EQ(current.cycle_id(), "EE-2024");
  EXPECT_EQ(current.state(), v1::CYCLE_STATE_CHALLENGE);
  EXPECT_EQ(current.history_size(), 3);
  EXPECT_EQ(previous.cycle_id(), "EE-2023");
  EXPECT_EQ(previous.state(), v1::CYCLE_STATE_CLOSED);
  EXPECT_EQ(s.history_years, std::vector<int>{2022});
  EXPECT_EQ(current.participants_size(), 11);

  // One event per accepted challenge, within the phase, no LA twice on a day; HELD exactly
  // before today, each HELD event with findings.
  const auto& events = s.events.at(current.cycle_id());
  int challenges = 0;
  for (const v1::Group& g : current.groups()) challenges += g.challenges_size();
  EXPECT_EQ(static_cast<int>(events.size()), challenges);
  std::set<std::pair<absl::CivilDay, std::string>> busy;
  std::set<std::string> held;
  for (const v1::ChallengeEvent& e : events) {
    const absl::CivilDay day = Day(e.date());
    EXPECT_GE(day, Day(current.phases().challenge_events().start()));
    EXPECT_LE(day, Day(current.phases().challenge_events().end()));
    EXPECT_NE(absl::GetWeekday(day), absl::Weekday::saturday);
    EXPECT_NE(absl::GetWeekday(day), absl::Weekday::sunday);
    EXPECT_EQ(e.state() == v1::CHALLENGE_EVENT_STATE_HELD, day < today) << e.event_id();
    if (e.state() == v1::CHALLENGE_EVENT_STATE_HELD) held.insert(e.event_id());
    EXPECT_EQ(s.sa_states.at(current.cycle_id()).at(e.host().value()),
              e.state() == v1::CHALLENGE_EVENT_STATE_HELD ? v1::SELF_ASSESSMENT_STATE_CHALLENGED
                                                           : v1::SELF_ASSESSMENT_STATE_MODERATED);
    EXPECT_TRUE(busy.insert({day, e.host().value()}).second);
    for (const auto& r : e.reviewers()) EXPECT_TRUE(busy.insert({day, r.value()}).second);
  }
  EXPECT_EQ(held.size(), 6u);
  const auto& findings = s.findings.at(current.cycle_id());
  ASSERT_EQ(findings.size(), held.size());
  int overdue = 0;
  for (const v1::Findings& f : findings) {
    EXPECT_EQ(held.count(f.challenge_event_id()), 1u);
    for (const v1::Action& a : f.actions()) {
      if (a.status() == v1::ACTION_STATUS_OPEN && Day(a.due_date()) < today) ++overdue;
      if (a.status() == v1::ACTION_STATUS_IN_PROGRESS) {
        EXPECT_GT(Day(a.due_date()), today);
      }
    }
  }
  EXPECT_EQ(overdue, 3);
  EXPECT_EQ(s.findings.at(previous.cycle_id()).size(), 11u);
  for (const v1::ChallengeEvent& e : s.events.at(previous.cycle_id())) {
    EXPECT_EQ(e.state(), v1::CHALLENGE_EVENT_STATE_HELD);
    EXPECT_LT(Day(e.date()), Day(current.phases().self_assessment_due()));
    EXPECT_EQ(s.sa_states.at(previous.cycle_id()).at(e.host().value()), v1::SELF_ASSESSMENT_STATE_CHALLENGED);
  }
}

TEST_F(DemoDataTest, LoadingAgainAddsNothing) {
  const absl::CivilDay today(2026, 11, 24);
  ASSERT_TRUE(LoadPeerReviewDemoDataAsOf(context_, today).ok());
  const Snapshot first = Read();
  ASSERT_TRUE(LoadPeerReviewDemoDataAsOf(context_, today).ok());
  ASSERT_TRUE(LoadPeerReviewDemoDataAsOf(context_, today + 400).ok());
  const Snapshot again = Read();
  ASSERT_EQ(again.cycles.size(), first.cycles.size());
  for (size_t i = 0; i < first.cycles.size(); ++i) {
    const std::string& id = first.cycles[i].cycle_id();
    EXPECT_EQ(again.cycles[i].SerializeAsString(), first.cycles[i].SerializeAsString());
    EXPECT_EQ(again.events.at(id).size(), first.events.at(id).size());
    EXPECT_EQ(again.findings.at(id).size(), first.findings.at(id).size());
  }
  EXPECT_EQ(again.history_years, first.history_years);
}

TEST_F(DemoDataTest, SouthEastHasItsNineteenLasAndDatesFollowTheDay) {
  Open("SE");
  const absl::CivilDay today(2027, 3, 2);
  ASSERT_TRUE(LoadPeerReviewDemoDataAsOf(context_, today).ok());
  const Snapshot s = Read();
  ASSERT_EQ(s.cycles.size(), 3u);
  EXPECT_EQ(s.cycles[0].cycle_id(), "SE-2025");
  EXPECT_EQ(s.cycles[1].cycle_id(), "SE-2024");
  EXPECT_EQ(s.cycles[1].participants_size(), 19);
  EXPECT_EQ(s.cycles[1].groups_size(), 6);
  EXPECT_EQ(s.events.at("SE-2024").size(), 19u);
  EXPECT_EQ(s.findings.at("SE-2024").size(), 10u);
  EXPECT_LT(Day(s.cycles[1].phases().challenge_events().start()), today);
  EXPECT_GT(Day(s.cycles[1].phases().challenge_events().end()), today);
}

}  // namespace
}  // namespace slihub::peerreview
