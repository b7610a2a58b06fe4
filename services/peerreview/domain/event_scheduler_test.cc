#include "services/peerreview/domain/event_scheduler.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace slihub::peerreview {
namespace {

// 2026-01-12 is a Monday.
const absl::CivilDay kMon(2026, 1, 12);

std::vector<ChallengeToPlace> Group(const std::string& id, const std::vector<std::string>& members) {
  std::vector<ChallengeToPlace> out;
  for (size_t h = 0; h < members.size(); ++h) {
    ChallengeToPlace c{members[h], id, {members[h]}};
    for (size_t r = 0; r < members.size(); ++r) {
      if (r != h) c.las.push_back(members[r]);
    }
    out.push_back(c);
  }
  return out;
}

std::vector<ChallengeToPlace> Concat(std::vector<ChallengeToPlace> a, const std::vector<ChallengeToPlace>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

SchedulingRules Week() {
  SchedulingRules rules;
  rules.start = kMon;
  rules.end = kMon + 4;
  return rules;
}

// No LA twice on one day, every date usable.
void ExpectValid(const SchedulingRules& rules, const std::vector<ChallengeToPlace>& challenges,
                 const ScheduleResult& result) {
  std::set<std::pair<std::string, absl::CivilDay>> busy;
  std::map<absl::CivilDay, int> per_day;
  for (const PlacedChallenge& p : result.placed) {
    EXPECT_FALSE(DayProblem(rules, p.day, challenges[p.index].las).has_value());
    for (const std::string& la : challenges[p.index].las) {
      EXPECT_TRUE(busy.insert({la, p.day}).second) << la << " twice on " << p.day;
    }
    ++per_day[p.day];
  }
  if (rules.max_events_per_day > 0) {
    for (const auto& [day, n] : per_day) EXPECT_LE(n, rules.max_events_per_day);
  }
  EXPECT_EQ(result.placed.size() + result.unplaced.size(), challenges.size());
}

TEST(DayProblemTest, NamesEachRule) {
  SchedulingRules rules = Week();
  rules.end = kMon + 6;
  rules.excluded = {kMon + 2};
  rules.unavailable = {{"926", kMon + 3, kMon + 3, "Ofsted visit"}};
  rules.bookings = {{"EE-2025-E9", "881", kMon + 1, {"881", "873"}}};
  struct Case {
    absl::CivilDay day;
    std::vector<std::string> las;
    std::string expected;  // empty: usable
  };
  const std::vector<Case> cases = {
      {kMon, {"873", "926"}, ""},
      {kMon - 1, {"873"}, "2026-01-11 is outside 2026-01-12..2026-01-18"},
      {kMon + 7, {"873"}, "2026-01-19 is outside 2026-01-12..2026-01-18"},
      {kMon + 5, {"873"}, "2026-01-17 is a Saturday"},
      {kMon + 6, {"873"}, "2026-01-18 is a Sunday"},
      {kMon + 2, {"873"}, "2026-01-14 is an excluded date"},
      {kMon + 3, {"873", "926"}, "926 is unavailable 2026-01-15..2026-01-15 (Ofsted visit)"},
      {kMon + 1, {"926", "873"}, "873 already attends the challenge of host 881 (EE-2025-E9) on 2026-01-13"},
      {kMon + 1, {"926", "935"}, ""},
  };
  for (const Case& c : cases) {
    const std::optional<std::string> problem = DayProblem(rules, c.day, c.las);
    EXPECT_EQ(problem.value_or(""), c.expected) << c.day;
  }
  // The event being moved does not clash with itself.
  EXPECT_FALSE(DayProblem(rules, kMon + 1, {"881", "873"}, "EE-2025-E9").has_value());
  rules.allow_weekends = true;
  EXPECT_FALSE(DayProblem(rules, kMon + 5, {"873"}).has_value());
  rules.max_events_per_day = 1;
  EXPECT_EQ(DayProblem(rules, kMon + 1, {"926"}).value_or(""),
            "2026-01-13 already holds 1 event(s), the most per day");
}

struct ScheduleCase {
  std::string name;
  SchedulingRules rules;
  std::vector<ChallengeToPlace> challenges;
  int unplaced = 0;
  std::vector<std::string> reason_parts;  // each in the first unplaced challenge's reason
};

TEST(ScheduleChallengesTest, TableOfFeasibleClashingAndInfeasibleCases) {
  std::vector<ScheduleCase> cases;
  cases.push_back({"a triad in a week", Week(), Group("G1", {"873", "881", "882"}), 0, {}});
  cases.push_back({"eleven LAs in triads and a pair", Week(),
                   Concat(Concat(Group("G1", {"821", "822", "823"}), Group("G2", {"825", "826", "873"})),
                          Concat(Group("G3", {"874", "881", "882"}), Group("G4", {"883", "919"}))),
                   0, {}});
  {
    SchedulingRules rules = Week();
    rules.unavailable = {{"881", kMon, kMon + 3, "inspection"}};
    cases.push_back({"a pair with one free day", rules, Group("G1", {"873", "881"}), 1,
                     {"no date in 2026-01-12..2026-01-16 free for ", "881 is unavailable 2026-01-12..2026-01-15 (inspection)",
                      "booked at other challenges on 1 day"}});
  }
  {
    SchedulingRules rules = Week();
    rules.start = kMon + 5;
    rules.end = kMon + 6;
    cases.push_back({"a weekend-only phase", rules, Group("G1", {"873", "881"}), 2, {"2 weekend days"}});
    rules.allow_weekends = true;
    cases.push_back({"a weekend-only phase, weekends allowed", rules, Group("G1", {"873", "881"}), 0, {}});
  }
  {
    SchedulingRules rules = Week();
    rules.excluded = {kMon, kMon + 1, kMon + 2, kMon + 3};
    cases.push_back({"excluded dates leave one day for a triad", rules, Group("G1", {"873", "881", "882"}), 2,
                     {"4 excluded dates", "booked at other challenges on 1 day"}});
  }
  {
    SchedulingRules rules = Week();
    rules.end = kMon + 1;
    rules.max_events_per_day = 3;
    cases.push_back({"the daily cap leaves two of eight", rules,
                     Concat(Concat(Group("G1", {"821", "822"}), Group("G2", {"823", "825"})),
                            Concat(Group("G3", {"826", "873"}), Group("G4", {"874", "881"}))),
                     2, {"2 days already full"}});
  }
  {
    SchedulingRules rules = Week();
    rules.bookings = {{"EE-2025-E1", "935", kMon, {"935", "873"}},
                      {"EE-2025-E2", "936", kMon + 1, {"936", "873"}},
                      {"EE-2025-E3", "937", kMon + 2, {"937", "873"}}};
    cases.push_back({"existing events leave two days for a pair", rules, Group("G1", {"873", "881"}), 0, {}});
    rules.bookings.push_back({"EE-2025-E4", "938", kMon + 3, {"938", "881"}});
    cases.push_back({"existing events leave one day for a pair", rules, Group("G1", {"873", "881"}), 1,
                     {"873 booked at other challenges on 3 days; 881 booked at other challenges on 2 days"}});
  }
  {
    // The 873 challenge can only go on Monday; greedy quietest-day order could take Monday for
    // the 881 challenge, but the most constrained goes first.
    SchedulingRules rules = Week();
    rules.end = kMon + 1;
    rules.unavailable = {{"882", kMon + 1, kMon + 1, ""}};
    std::vector<ChallengeToPlace> challenges = {{"881", "G2", {"881", "873"}}, {"882", "G1", {"882", "873"}}};
    cases.push_back({"most constrained first", rules, challenges, 0, {}});
  }
  {
    SchedulingRules rules = Week();
    rules.end = rules.start - 1;
    cases.push_back({"an empty phase", rules, Group("G1", {"873", "881"}), 2, {"the challenge phase holds no date"}});
  }
  for (const ScheduleCase& c : cases) {
    SCOPED_TRACE(c.name);
    const ScheduleResult result = ScheduleChallenges(c.rules, c.challenges, 7);
    ExpectValid(c.rules, c.challenges, result);
    ASSERT_EQ(static_cast<int>(result.unplaced.size()), c.unplaced);
    for (const std::string& part : c.reason_parts) {
      EXPECT_NE(result.unplaced.front().reason.find(part), std::string::npos)
          << result.unplaced.front().reason << " lacks " << part;
    }
  }
}

TEST(ScheduleChallengesTest, SpreadsEventsAndIsDeterministicForASeed) {
  SchedulingRules rules = Week();
  rules.end = kMon + 25;
  const std::vector<ChallengeToPlace> challenges =
      Concat(Group("G1", {"821", "822", "823"}), Group("G2", {"825", "826", "873"}));
  const ScheduleResult a = ScheduleChallenges(rules, challenges, 42);
  const ScheduleResult b = ScheduleChallenges(rules, challenges, 42);
  ASSERT_EQ(a.placed.size(), 6u);
  std::set<absl::CivilDay> days;
  for (size_t i = 0; i < a.placed.size(); ++i) {
    EXPECT_EQ(a.placed[i].day, b.placed[i].day);
    days.insert(a.placed[i].day);
  }
  EXPECT_EQ(days.size(), 6u);  // quietest day first: one event a day while days are free
  bool differs = false;
  for (uint64_t seed = 1; seed < 10 && !differs; ++seed) {
    const ScheduleResult c = ScheduleChallenges(rules, challenges, seed);
    for (size_t i = 0; i < c.placed.size(); ++i) differs |= c.placed[i].day != a.placed[i].day;
  }
  EXPECT_TRUE(differs);
}

}  // namespace
}  // namespace slihub::peerreview
