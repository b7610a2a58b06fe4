// Sufficiency aggregation: medians, percentiles, basis-point rounding and per-area totals.
#include "services/placement/domain/sufficiency.h"

#include "gtest/gtest.h"

namespace slihub::placement {
namespace {

TEST(SufficiencyTest, MedianOfOddEvenAndEmpty) {
  EXPECT_DOUBLE_EQ(Median({}), 0);
  EXPECT_DOUBLE_EQ(Median({5}), 5);
  EXPECT_DOUBLE_EQ(Median({9, 1, 5}), 5);
  EXPECT_DOUBLE_EQ(Median({4, 1, 3, 2}), 2.5);
}

TEST(SufficiencyTest, NearestRankPercentile) {
  std::vector<absl::Duration> d;
  for (int i = 1; i <= 10; ++i) d.push_back(absl::Hours(i));
  EXPECT_EQ(*NearestRankPercentile(d, 50), absl::Hours(5));
  EXPECT_EQ(*NearestRankPercentile(d, 90), absl::Hours(9));
  EXPECT_EQ(*NearestRankPercentile(d, 91), absl::Hours(10));
  EXPECT_EQ(*NearestRankPercentile({absl::Hours(3)}, 90), absl::Hours(3));
  EXPECT_FALSE(NearestRankPercentile({}, 50).has_value());
}

TEST(SufficiencyTest, BasisPointsRoundHalfUp) {
  EXPECT_EQ(BasisPoints(1, 3), 3333);
  EXPECT_EQ(BasisPoints(2, 3), 6667);
  EXPECT_EQ(BasisPoints(1, 8), 1250);
  EXPECT_EQ(BasisPoints(1, 20000), 1);   // 0.5 bp rounds up
  EXPECT_EQ(BasisPoints(1, 20001), 0);
  EXPECT_EQ(BasisPoints(3, 3), 10000);
  EXPECT_EQ(BasisPoints(0, 0), 0);
}

TEST(SufficiencyTest, DistanceSummaryExcludesUnknownAndIncludesTheThreshold) {
  const DistanceSummary s = SummariseDistances({5.0, 20.0, 20.5, std::nullopt, 40.0}, 20);
  EXPECT_EQ(s.count, 5);
  EXPECT_EQ(s.distance_unknown, 1);
  EXPECT_DOUBLE_EQ(s.median_miles, 20.25);
  EXPECT_EQ(s.share_within_bp, 5000);  // 5 and 20 of four known
}

TEST(SufficiencyTest, AreasAddUpToTheirRegion) {
  const std::vector<std::pair<std::string, std::string>> las = {{"935", "EE"}, {"926", "EE"}, {"886", "SE"}};
  std::vector<VacancyStock> stock = {
      {"926", "EE", PlacementType::kChildrensHomePrivate, OfstedGrade::kGood, 2, false},
      {"926", "EE", PlacementType::kChildrensHomePrivate, OfstedGrade::kGood, 1, true},
      {"935", "EE", PlacementType::kLaFosterCare, OfstedGrade::kOutstanding, 1, false},
      {"999", "EE", PlacementType::kLaFosterCare, OfstedGrade::kOutstanding, 1, false},  // not in scope
  };
  const std::vector<PlacementFlow> flows = {{"926", 4.0, absl::Hours(10)},
                                            {"926", 30.0, absl::Hours(30)},
                                            {"935", std::nullopt, absl::Hours(20)}};
  const std::vector<TopMatchFlow> top_matches = {
      {"926", 2.0}, {"926", 12.0}, {"926", 40.0}, {"886", std::nullopt}, {"999", 1.0}};
  const auto [la_figures, region_figures] =
      ComputeSufficiency(las, stock, {{"926", 3}, {"886", 1}}, top_matches, flows, 20);
  ASSERT_EQ(la_figures.size(), 3u);
  EXPECT_EQ(la_figures[0].la_code, "926");  // region then LA code order
  EXPECT_EQ(la_figures[1].la_code, "935");
  EXPECT_EQ(la_figures[2].la_code, "886");
  const AreaFigures& norfolk = la_figures[0];
  EXPECT_EQ(norfolk.open_vacancies, 2);
  const VacancyTally& homes = norfolk.vacancies.at({4, 2});
  EXPECT_EQ(homes.vacancies, 2);
  EXPECT_EQ(homes.beds_free, 3);
  EXPECT_EQ(homes.stale, 1);
  EXPECT_EQ(norfolk.open_referrals, 3);
  EXPECT_EQ(norfolk.matches.count, 3);
  EXPECT_DOUBLE_EQ(norfolk.matches.median_miles, 12.0);
  EXPECT_EQ(norfolk.matches.share_within_bp, 6667);  // 2 of 3 within 20 miles
  EXPECT_EQ(la_figures[1].matches.count, 0);
  EXPECT_EQ(la_figures[2].matches.count, 1);
  EXPECT_EQ(la_figures[2].matches.distance_unknown, 1);
  EXPECT_EQ(norfolk.placements.count, 2);
  EXPECT_EQ(norfolk.placements.share_within_bp, 5000);
  EXPECT_EQ(*norfolk.median_time_to_confirmation, absl::Hours(10));
  ASSERT_EQ(region_figures.size(), 2u);
  EXPECT_EQ(region_figures[0].region, "EE");
  EXPECT_EQ(region_figures[0].open_vacancies, 3);
  EXPECT_EQ(region_figures[0].open_referrals, 3);
  EXPECT_EQ(region_figures[0].placements.count, 3);
  EXPECT_EQ(region_figures[0].placements.distance_unknown, 1);
  EXPECT_EQ(*region_figures[0].median_time_to_confirmation, absl::Hours(20));
  EXPECT_EQ(region_figures[0].matches.count, 3);
  EXPECT_EQ(region_figures[1].matches.count, 1);
  EXPECT_EQ(region_figures[1].open_referrals, 1);
  EXPECT_EQ(region_figures[1].open_vacancies, 0);
}

// Placements this region's LAs made in other regions' settings count among their placements and,
// apart, as placements outside the region.
TEST(SufficiencyTest, PlacementsOutsideTheRegionAreCountedApart) {
  const std::vector<std::pair<std::string, std::string>> las = {{"926", "EE"}, {"935", "EE"}};
  std::vector<PlacementFlow> placements = {
      {"926", 5.0, absl::Hours(4), false},
      {"926", 60.0, absl::Hours(8), true},
      {"935", std::nullopt, absl::Hours(2), true},
  };
  auto [la_figures, region_figures] = ComputeSufficiency(las, {}, {}, {}, placements, 20);
  ASSERT_EQ(la_figures.size(), 2u);
  EXPECT_EQ(la_figures[0].placements.count, 2);
  EXPECT_EQ(la_figures[0].placements_outside_region, 1);
  EXPECT_EQ(la_figures[1].placements_outside_region, 1);
  ASSERT_EQ(region_figures.size(), 1u);
  EXPECT_EQ(region_figures[0].placements.count, 3);
  EXPECT_EQ(region_figures[0].placements_outside_region, 2);
  EXPECT_EQ(region_figures[0].placements.share_within_bp, 5000);  // 1 of 2 known within 20
}

}  // namespace
}  // namespace slihub::placement
