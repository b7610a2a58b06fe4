#include "services/datacollection/domain/rug.h"

#include <map>

#include "gtest/gtest.h"

namespace slihub::datacollection {
namespace {

CellValue P(int64_t unscaled, int scale = 0) { return {ValueState::kPresent, Decimal{unscaled, scale}}; }
CellValue S(ValueState state) { return {state, std::nullopt}; }

std::vector<int> RanksOf(const std::vector<Rank>& ranks) {
  std::vector<int> out;
  for (const Rank& r : ranks) out.push_back(r.rank);
  return out;
}

TEST(RugTest, CompetitionRankingSharesTiesAndSkips) {
  const std::vector<CellValue> cells = {P(10), P(20), P(20), P(30)};
  EXPECT_EQ(RanksOf(CompetitionRanks(cells, Polarity::kHigherIsBetter)), (std::vector<int>{4, 2, 2, 1}));
  EXPECT_EQ(RanksOf(CompetitionRanks(cells, Polarity::kLowerIsBetter)), (std::vector<int>{1, 2, 2, 4}));
  EXPECT_EQ(RanksOf(CompetitionRanks(cells, Polarity::kNeither)), (std::vector<int>{4, 2, 2, 1}));
  const auto ranks = CompetitionRanks(cells, Polarity::kHigherIsBetter);
  EXPECT_FALSE(ranks[0].tied);
  EXPECT_TRUE(ranks[1].tied);
  EXPECT_TRUE(ranks[2].tied);
  EXPECT_EQ(ranks[0].rank_from_bottom, 1);
  EXPECT_EQ(ranks[1].rank_from_bottom, 2);
  EXPECT_EQ(ranks[3].rank_from_bottom, 4);
}

TEST(RugTest, TiesAreExactAcrossScales) {
  const std::vector<CellValue> cells = {P(125, 1), P(1250, 2), P(1251, 2)};
  EXPECT_EQ(RanksOf(CompetitionRanks(cells, Polarity::kHigherIsBetter)), (std::vector<int>{2, 2, 1}));
}

TEST(RugTest, MissingAndSuppressedAreNotRankedAndNotZero) {
  const std::vector<CellValue> cells = {P(0), S(ValueState::kMissing), P(5), S(ValueState::kSuppressed),
                                        S(ValueState::kNotSubmitted)};
  const auto ranks = CompetitionRanks(cells, Polarity::kLowerIsBetter);
  EXPECT_EQ(RanksOf(ranks), (std::vector<int>{1, 0, 2, 0, 0}));
  const RegionalStats stats = ComputeRegionalStats(cells, 1);
  EXPECT_EQ(stats.present, 2);
  EXPECT_EQ(stats.missing, 1);
  EXPECT_EQ(stats.suppressed, 1);
  EXPECT_EQ(stats.not_submitted, 1);
  EXPECT_EQ(stats.mean, (Decimal{25, 1}));  // (0 + 5) / 2, not divided by 5
  EXPECT_EQ(stats.median, (Decimal{25, 1}));
  EXPECT_EQ(stats.minimum, (Decimal{0, 0}));
  EXPECT_EQ(stats.maximum, (Decimal{5, 0}));
}

TEST(RugTest, NothingPresentLeavesStatisticsUnset) {
  const RegionalStats stats = ComputeRegionalStats({S(ValueState::kMissing)}, 1);
  EXPECT_FALSE(stats.mean.has_value());
  EXPECT_FALSE(stats.median.has_value());
}

TEST(RugTest, MeanAndMedianRoundHalfAwayFromZero) {
  EXPECT_EQ(ComputeRegionalStats({P(1), P(2)}, 0).mean, (Decimal{2, 0}));             // 1.5 -> 2
  EXPECT_EQ(ComputeRegionalStats({P(-1), P(-2)}, 0).mean, (Decimal{-2, 0}));          // -1.5 -> -2
  EXPECT_EQ(ComputeRegionalStats({P(10, 1), P(10, 1), P(11, 1)}, 1).mean, (Decimal{10, 1}));
  const RegionalStats even = ComputeRegionalStats({P(45, 1), P(10, 1), P(30, 1), P(20, 1)}, 1);
  EXPECT_EQ(even.median, (Decimal{25, 1}));
  EXPECT_EQ(ComputeRegionalStats({P(1), P(2), P(3), P(4)}, 0).median, (Decimal{3, 0}));  // 2.5 -> 3
  EXPECT_EQ(ComputeRegionalStats({P(3), P(1), P(2)}, 0).median, (Decimal{2, 0}));
}

// For n distinct values: how many LAs fall in each band, and how many are flagged top / bottom 20%.
struct BandCase {
  int n;
  std::vector<int> per_band;
  int flagged;
};

TEST(RugTest, QuartileBandsAndFlagsForRegionSizes10_11_19_33) {
  for (const BandCase& c : {BandCase{10, {2, 3, 2, 3}, 2}, BandCase{11, {2, 3, 3, 3}, 2},
                            BandCase{19, {4, 5, 5, 5}, 3}, BandCase{33, {8, 8, 8, 9}, 6}}) {
    IndicatorDef def;
    def.indicator_id = "X";
    def.polarity = Polarity::kHigherIsBetter;
    RugRowInput input;
    input.indicator = &def;
    for (int i = 0; i < c.n; ++i) input.current.push_back(P(i * 7 % c.n + 100));
    const RugRow row = ComputeRugRow(input);
    std::vector<int> per_band(4, 0);
    int top = 0, bottom = 0;
    for (const RugCell& cell : row.cells) {
      ASSERT_GE(cell.quartile, 1);
      ++per_band[cell.quartile - 1];
      EXPECT_EQ(cell.ranked_count, c.n);
      EXPECT_EQ(cell.quartile, (4 * cell.rank.rank + c.n - 1) / c.n);
      top += cell.top_20_percent;
      bottom += cell.bottom_20_percent;
      if (cell.top_20_percent) {
        EXPECT_LE(5 * cell.rank.rank, c.n);
      }
    }
    EXPECT_EQ(per_band, c.per_band) << "n = " << c.n;
    EXPECT_EQ(top, c.flagged) << "n = " << c.n;
    EXPECT_EQ(bottom, c.flagged) << "n = " << c.n;
  }
}

TEST(RugTest, ATieTakesTheBandOfItsSharedRank) {
  // n = 10, values 10..1 except the 3rd and 4th best are equal: both rank 3, band 2; rank 5 skips 4.
  std::vector<CellValue> cells = {P(10), P(9), P(8), P(8), P(6), P(5), P(4), P(3), P(2), P(1)};
  const auto ranks = CompetitionRanks(cells, Polarity::kHigherIsBetter);
  EXPECT_EQ(RanksOf(ranks), (std::vector<int>{1, 2, 3, 3, 5, 6, 7, 8, 9, 10}));
  EXPECT_EQ(QuartileBand(3, 10), 2);
  // A tie across the top-20% boundary: values 5, 5, 5 best of 10 all rank 1, all flagged.
  std::vector<CellValue> tied = {P(5), P(5), P(5), P(4), P(3), P(3), P(2), P(1), P(1), P(1)};
  IndicatorDef def;
  def.polarity = Polarity::kHigherIsBetter;
  RugRowInput input{&def, tied, {}, {}, {}};
  const RugRow row = ComputeRugRow(input);
  int top = 0, bottom = 0;
  for (const RugCell& cell : row.cells) {
    top += cell.top_20_percent;
    bottom += cell.bottom_20_percent;
  }
  EXPECT_EQ(top, 3);
  EXPECT_EQ(bottom, 3);
}

TEST(RugTest, NoFlagsForNeitherPolarityOrFewerThanFiveValues) {
  EXPECT_FALSE(InExtreme20Percent(1, 10, Polarity::kNeither));
  EXPECT_FALSE(InExtreme20Percent(1, 4, Polarity::kHigherIsBetter));
  EXPECT_TRUE(InExtreme20Percent(1, 5, Polarity::kLowerIsBetter));
  EXPECT_FALSE(InExtreme20Percent(2, 9, Polarity::kLowerIsBetter));
  EXPECT_EQ(QuartileBand(0, 10), 0);
}

TEST(RugTest, StatisticalNeighbourAverageSkipsMissingNeighbours) {
  IndicatorDef def;
  def.polarity = Polarity::kLowerIsBetter;
  def.decimal_places = 1;
  RugRowInput input;
  input.indicator = &def;
  input.current = {P(100, 1), P(200, 1), S(ValueState::kMissing), P(301, 1), S(ValueState::kSuppressed)};
  input.neighbours = {{1, 2, 3}, {2, 4}, {0}, {}, {0, 1}};
  input.neighbours_listed = {10, 10, 10, 10, 10};
  const RugRow row = ComputeRugRow(input);
  EXPECT_EQ(row.cells[0].neighbour_average, (Decimal{251, 1}));  // (20.0 + 30.1) / 2 = 25.05 -> 25.1
  EXPECT_EQ(row.cells[0].neighbours_used, 2);
  EXPECT_EQ(row.cells[0].neighbours_listed, 10);
  EXPECT_FALSE(row.cells[1].neighbour_average.has_value());     // both neighbours withheld
  EXPECT_EQ(row.cells[1].neighbours_used, 0);
  EXPECT_EQ(row.cells[2].neighbour_average, (Decimal{100, 1}));  // a missing LA still has neighbours
  EXPECT_FALSE(row.cells[3].neighbour_average.has_value());
  EXPECT_EQ(row.cells[4].neighbour_average, (Decimal{150, 1}));
  EXPECT_EQ(row.cells[2].quartile, 0);
  EXPECT_EQ(row.cells[2].rank.rank, 0);
}

TEST(RugTest, ChangeAgainstThePreviousPeriodFollowsPolarity) {
  Change up = ComputeChange(P(215, 1), P(200, 1), Polarity::kHigherIsBetter, 1);
  EXPECT_EQ(up.direction, Trend::kImproved);
  EXPECT_EQ(up.difference, (Decimal{15, 1}));
  EXPECT_EQ(up.previous_value, (Decimal{200, 1}));
  EXPECT_EQ(ComputeChange(P(215, 1), P(200, 1), Polarity::kLowerIsBetter, 1).direction, Trend::kWorsened);
  EXPECT_EQ(ComputeChange(P(190, 1), P(200, 1), Polarity::kLowerIsBetter, 1).direction, Trend::kImproved);
  EXPECT_EQ(ComputeChange(P(215, 1), P(200, 1), Polarity::kNeither, 1).direction, Trend::kIncreased);
  EXPECT_EQ(ComputeChange(P(190, 1), P(200, 1), Polarity::kNeither, 1).direction, Trend::kDecreased);
  Change same = ComputeChange(P(20), P(200, 1), Polarity::kHigherIsBetter, 1);
  EXPECT_EQ(same.direction, Trend::kUnchanged);
  EXPECT_EQ(same.difference, (Decimal{0, 1}));
  Change gone = ComputeChange(P(20), S(ValueState::kSuppressed), Polarity::kHigherIsBetter, 1);
  EXPECT_EQ(gone.direction, Trend::kNotComparable);
  EXPECT_EQ(gone.previous_state, ValueState::kSuppressed);
  EXPECT_FALSE(gone.difference.has_value());
  EXPECT_EQ(ComputeChange(S(ValueState::kMissing), P(20), Polarity::kHigherIsBetter, 1).direction,
            Trend::kNotComparable);
}

TEST(RugTest, DisproportionalityRatioAgainstTheOverallRate) {
  EXPECT_EQ(DisproportionalityRatio(P(900, 1), P(450, 1)), (Decimal{200, 2}));
  EXPECT_EQ(DisproportionalityRatio(P(1), P(3)), (Decimal{33, 2}));
  EXPECT_EQ(DisproportionalityRatio(P(2), P(3)), (Decimal{67, 2}));
  EXPECT_EQ(DisproportionalityRatio(P(45, 1), P(45)), (Decimal{10, 2}));
  EXPECT_FALSE(DisproportionalityRatio(P(5), P(0)).has_value());
  EXPECT_FALSE(DisproportionalityRatio(S(ValueState::kSuppressed), P(5)).has_value());
  EXPECT_FALSE(DisproportionalityRatio(P(5), S(ValueState::kMissing)).has_value());
}

}  // namespace
}  // namespace slihub::datacollection
