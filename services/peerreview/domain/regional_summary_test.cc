#include "services/peerreview/domain/regional_summary.h"

#include "gtest/gtest.h"

namespace slihub::peerreview {
namespace {

const std::vector<SummaryTheme> kThemes = {
    {"workforce", "Workforce"}, {"send", "SEND"}, {"care_leavers", "Care Leavers"}, {"attendance", "Attendance"}};

// A theme no LA names for development or priority is left out (it used to rank last with 0 LAs).
TEST(RegionalSummaryTest, RanksByDistinctLasWithSharedRanksInListOrder) {
  const std::vector<LaThemes> las = {
      {"873", {"send", "workforce"}, {"workforce"}},
      {"881", {"care_leavers"}, {"send"}},
      {"882", {}, {"workforce", "unknown_theme"}},
      {"935", {"care_leavers"}, {}},
  };
  const std::vector<RankedTheme> ranked = RankThemes(kThemes, las);
  ASSERT_EQ(ranked.size(), 3u);
  EXPECT_EQ(ranked[0].theme.theme_id, "workforce");
  EXPECT_EQ(ranked[0].distinct_las, 2);
  EXPECT_EQ(ranked[0].las_development, 1);
  EXPECT_EQ(ranked[0].las_priority, 2);
  EXPECT_EQ(ranked[0].la_codes, (std::vector<std::string>{"873", "882"}));
  EXPECT_EQ(ranked[1].theme.theme_id, "send");
  EXPECT_EQ(ranked[2].theme.theme_id, "care_leavers");
  EXPECT_EQ(ranked[0].rank, 1);
  EXPECT_EQ(ranked[1].rank, 1);
  EXPECT_EQ(ranked[2].rank, 1);
}

TEST(RegionalSummaryTest, ThemeNamedOnlyInStrengthsIsNotRankedWithZeroLas) {
  const std::vector<LaThemes> las = {{"873", {"send"}, {}}, {"881", {}, {"send"}}};
  const std::vector<RankedTheme> ranked = RankThemes(kThemes, las);
  ASSERT_EQ(ranked.size(), 1u);
  EXPECT_EQ(ranked[0].theme.theme_id, "send");
  EXPECT_EQ(ranked[0].distinct_las, 2);
}

TEST(RegionalSummaryTest, TheSameStrengthOfAnLaIsListedOnceWithItsThemesJoined) {
  std::vector<OfferedStrength> strengths;
  EXPECT_EQ(AddStrength(&strengths, {"873", {"workforce"}, "Stable, skilled workforce."}), 0u);
  EXPECT_EQ(AddStrength(&strengths, {"881", {"workforce"}, "Stable, skilled workforce."}), 1u);
  EXPECT_EQ(AddStrength(&strengths, {"873", {"send", "workforce"}, " stable, skilled WORKFORCE. "}),
            0u);
  ASSERT_EQ(strengths.size(), 2u);
  EXPECT_EQ(strengths[0].text, "Stable, skilled workforce.");
  EXPECT_EQ(strengths[0].theme_ids, (std::vector<std::string>{"workforce", "send"}));
}

TEST(RegionalSummaryTest, RenderingsEscapeLaText) {
  SummaryDocument d;
  d.cycle_id = "EE-2025";
  d.title = "East of England peer review 2025-26";
  d.participating = 11;
  d.with_self_assessment = 1;
  d.as_of = "2026-01-05";
  d.theme_list = kThemes;
  d.themes = RankThemes(kThemes, {{"873", {"send"}, {}}});
  d.strengths = {{"873", {"workforce"}, "Academy <script>alert(1)</script> | *great*"}};
  const std::string html = RenderHtml(d);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(html.find("<td>SEND</td>"), std::string::npos);
  const std::string md = RenderMarkdown(d);
  EXPECT_NE(md.find("| 1 | SEND | 1 | 1 | 0 | 873 |"), std::string::npos);
  EXPECT_NE(md.find("- **873** (Workforce): Academy \\<script\\>alert\\(1\\)\\</script\\> \\| \\*great\\*"),
            std::string::npos);
}

TEST(RegionalSummaryTest, ActionsDueAreOpenOnesByTheDateEarliestFirstWithOverdueMarked) {
  const absl::CivilDay as_of(2026, 4, 1);
  const std::vector<AgreedAction> actions = {
      {"881", "F2", "A1", "Audit pathway plans", "Head of Service", absl::CivilDay(2026, 6, 30), true},
      {"873", "F1", "A2", "Recruit IROs", "Principal Social Worker", absl::CivilDay(2026, 3, 31), true},
      {"873", "F1", "A1", "Sufficiency strategy", "DCS", absl::CivilDay(2026, 3, 31), true},
      {"882", "F3", "A1", "Done already", "DCS", absl::CivilDay(2026, 2, 1), false},
      {"935", "F4", "A1", "Beyond the window", "DCS", absl::CivilDay(2026, 7, 1), true},
  };
  const std::vector<DueItem> due = ActionsDue(actions, as_of, absl::CivilDay(2026, 6, 30));
  ASSERT_EQ(due.size(), 3u);
  EXPECT_EQ(due[0].action.action_id, "A1");
  EXPECT_EQ(due[0].action.la_code, "873");
  EXPECT_TRUE(due[0].overdue);
  EXPECT_EQ(due[1].action.action_id, "A2");
  EXPECT_EQ(due[2].action.la_code, "881");
  EXPECT_FALSE(due[2].overdue);  // due on the last day of the window, not before as_of

  SummaryDocument d;
  d.title = "T";
  d.due_by = "2026-06-30";
  d.actions_due = due;
  EXPECT_NE(RenderMarkdown(d).find("| 2026-03-31 | 873 | Sufficiency strategy | DCS | yes |"), std::string::npos);
  EXPECT_NE(RenderHtml(d).find("<td>Audit pathway plans</td><td>Head of Service</td><td>no</td>"),
            std::string::npos);
}

}  // namespace
}  // namespace slihub::peerreview
