#include "services/peerreview/domain/review_team.h"

#include "gtest/gtest.h"

namespace slihub::peerreview {
namespace {

TeamRequest Base() {
  TeamRequest r;
  r.host = "873";
  r.candidates = {"821", "822", "823", "825", "826", "873", "874"};
  r.size = 3;
  r.first_day = absl::CivilDay(2026, 2, 10);
  r.last_day = absl::CivilDay(2026, 2, 11);
  r.seed = 5;
  return r;
}

TEST(ReviewTeamTest, LeastLoadedFirstAndNeverTheHost) {
  TeamRequest r = Base();
  r.load = {{"821", 3}, {"822", 0}, {"823", 0}, {"825", 1}, {"826", 2}, {"874", 0}};
  const TeamResult result = ChooseReviewTeam(r);
  EXPECT_EQ(result.team, (std::vector<std::string>{"822", "823", "874"}));
  EXPECT_NE(result.rationale.find("822 (0)"), std::string::npos);
  EXPECT_EQ(ChooseReviewTeam(r).team, result.team);  // deterministic
}

TEST(ReviewTeamTest, TableOfExclusionReasons) {
  TeamRequest r = Base();
  r.size = 6;
  r.excluded = {"821"};
  r.conflicts = {{"822", "873"}};
  r.rules.unavailable = {{"823", absl::CivilDay(2026, 2, 11), absl::CivilDay(2026, 2, 13), "recess"}};
  r.rules.bookings = {{"EE-2025-E4", "826", absl::CivilDay(2026, 2, 10), {"826", "825"}}};
  const TeamResult result = ChooseReviewTeam(r);
  EXPECT_EQ(result.team, (std::vector<std::string>{"874"}));
  const std::map<std::string, std::string> expected = {
      {"821", "excluded at the host's request"},
      {"822", "declared a conflict of interest with 873"},
      {"823", "823 is unavailable 2026-02-11..2026-02-13 (recess)"},
      {"825", "825 already attends the challenge of host 826 (EE-2025-E4) on 2026-02-10"},
      {"826", "826 already attends the challenge of host 826 (EE-2025-E4) on 2026-02-10"},
  };
  EXPECT_EQ(result.excluded, expected);
}

TEST(ReviewTeamTest, MembersInConflictWithEachOtherAreNotBothChosen) {
  TeamRequest r = Base();
  r.candidates = {"821", "822", "873"};
  r.size = 2;
  r.conflicts = {{"821", "822"}};
  const TeamResult result = ChooseReviewTeam(r);
  EXPECT_EQ(result.team.size(), 1u);
  ASSERT_EQ(result.excluded.size(), 1u);
  EXPECT_NE(result.excluded.begin()->second.find("conflict of interest with team member"), std::string::npos);
}

}  // namespace
}  // namespace slihub::peerreview
