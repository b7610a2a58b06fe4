#include "services/peerreview/domain/reviewer_choice.h"

#include "gtest/gtest.h"

namespace slihub::peerreview {
namespace {

std::vector<std::string> Codes(const std::vector<DirectoryLa>& las,
                               const std::vector<RankedReviewer>& ranked) {
  std::vector<std::string> out;
  for (const RankedReviewer& r : ranked) out.push_back(las[r.index].la_code);
  return out;
}

std::vector<DirectoryLa> Sample() {
  std::vector<DirectoryLa> las(4);
  las[0] = {"873", "EE", {}, {}, 2};
  las[1] = {"826", "SE", {{absl::CivilDay(2026, 3, 2), absl::CivilDay(2026, 3, 6)}}, {"send"}, 3};
  las[2] = {"202", "LDN", {}, {"workforce"}, 0};
  las[3] = {"881", "EE", {}, {"send"}, 1};
  return las;
}

TEST(ReviewerChoiceTest, ThemeFirstThenLoadThenRegionAndCode) {
  const std::vector<DirectoryLa> las = Sample();
  ReviewerQuery query;
  query.theme_id = "send";
  const auto ranked = RankReviewers(las, query);
  EXPECT_EQ(Codes(las, ranked), (std::vector<std::string>{"881", "826", "202", "873"}));
  EXPECT_TRUE(ranked[0].reviewed_theme);
  EXPECT_TRUE(ranked[1].reviewed_theme);
  EXPECT_FALSE(ranked[2].reviewed_theme);
}

TEST(ReviewerChoiceTest, WithoutThemeLeastLoadedFirst) {
  const std::vector<DirectoryLa> las = Sample();
  const auto ranked = RankReviewers(las, ReviewerQuery{});
  EXPECT_EQ(Codes(las, ranked), (std::vector<std::string>{"202", "881", "873", "826"}));
  for (const RankedReviewer& r : ranked) EXPECT_FALSE(r.reviewed_theme);
}

TEST(ReviewerChoiceTest, UnavailableOnAnyDayAndExcludedAreLeftOut) {
  const std::vector<DirectoryLa> las = Sample();
  ReviewerQuery query;
  query.excluded = {"202"};
  query.dates = std::make_pair(absl::CivilDay(2026, 3, 6), absl::CivilDay(2026, 3, 9));
  EXPECT_EQ(Codes(las, RankReviewers(las, query)), (std::vector<std::string>{"881", "873"}));
  query.dates = std::make_pair(absl::CivilDay(2026, 3, 7), absl::CivilDay(2026, 3, 9));
  EXPECT_EQ(Codes(las, RankReviewers(las, query)), (std::vector<std::string>{"881", "873", "826"}));
  query.max_candidates = 1;
  EXPECT_EQ(Codes(las, RankReviewers(las, query)), (std::vector<std::string>{"881"}));
}

}  // namespace
}  // namespace slihub::peerreview
