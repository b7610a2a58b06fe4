#include "services/peerreview/domain/regional_summary.h"

#include "gtest/gtest.h"

namespace slihub::peerreview {
namespace {

const std::vector<SummaryTheme> kThemes = {
    {"workforce", "Workforce"}, {"send", "SEND"}, {"care_leavers", "Care Leavers"}, {"attendance", "Attendance"}};

TEST(RegionalSummaryTest, RanksByDistinctLasWithSharedRanksInListOrder) {
  const std::vector<LaThemes> las = {
      {"873", {"send", "workforce"}, {"workforce"}},
      {"881", {"care_leavers"}, {"send"}},
      {"882", {}, {"workforce", "unknown_theme"}},
      {"935", {"care_leavers"}, {}},
  };
  const std::vector<RankedTheme> ranked = RankThemes(kThemes, las);
  ASSERT_EQ(ranked.size(), 4u);
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
  EXPECT_EQ(ranked[3].rank, 4);
  EXPECT_EQ(ranked[3].distinct_las, 0);
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

}  // namespace
}  // namespace slihub::peerreview
