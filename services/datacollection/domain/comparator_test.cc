#include "services/datacollection/domain/comparator.h"

#include "gtest/gtest.h"

namespace slihub::datacollection {
namespace {

Observation Present(Decimal value, std::optional<Decimal> numerator = std::nullopt,
                    std::optional<Decimal> denominator = std::nullopt) {
  Observation o;
  o.state = ValueState::kPresent;
  o.value = value;
  o.numerator = numerator;
  o.denominator = denominator;
  return o;
}

TEST(ComparatorTest, PooledWhenEveryPresentLaGaveNumeratorAndDenominator) {
  // 10/400 and 30/600 per 10,000: pooled 40/1000 = 400.0, not the mean of 250 and 500 (375).
  Observation missing;
  missing.state = ValueState::kMissing;
  auto part = PartOf({Present({2500, 1}, Decimal{10, 0}, Decimal{400, 0}),
                      Present({5000, 1}, Decimal{30, 0}, Decimal{600, 0}), missing});
  ASSERT_TRUE(part);
  EXPECT_EQ(part->las_present, 2);
  const ComparatorFigure f = FormFigure(*part, Unit::kRatePer10000, 1);
  EXPECT_EQ(f.method, FigureMethod::kPooled);
  ASSERT_TRUE(f.value);
  EXPECT_EQ(FormatDecimal(*f.value), "400.0");
  EXPECT_EQ(f.las_included, 2);
}

TEST(ComparatorTest, MeanOfLasWhenOneLaLacksADenominatorRoundedOnceHalfAwayFromZero) {
  auto part = PartOf({Present({105, 1}, Decimal{1, 0}, Decimal{10, 0}), Present({110, 1})});
  ASSERT_TRUE(part);
  const ComparatorFigure f = FormFigure(*part, Unit::kPercentage, 0);
  EXPECT_EQ(f.method, FigureMethod::kMeanOfLas);
  EXPECT_EQ(FormatDecimal(*f.value), "11");  // 10.75 -> 11
}

TEST(ComparatorTest, PartsAddUpToTheFigureOfAllTheirLas) {
  const std::vector<Observation> a = {Present({333, 2}), Present({1, 0})};
  const std::vector<Observation> b = {Present({2, 1})};
  std::vector<Observation> all = a;
  all.insert(all.end(), b.begin(), b.end());
  auto sum = AddParts(*PartOf(a), *PartOf(b));
  ASSERT_TRUE(sum);
  EXPECT_EQ(FormatDecimal(*FormFigure(*sum, Unit::kCount, 2).value),
            FormatDecimal(*FormFigure(*PartOf(all), Unit::kCount, 2).value));
  EXPECT_EQ(FormatDecimal(*FormFigure(*sum, Unit::kCount, 2).value), "1.51");  // 4.53/3
}

TEST(ComparatorTest, NoPresentLaGivesNoValueAndOverflowIsRefused) {
  EXPECT_FALSE(FormFigure(*PartOf({}), Unit::kCount, 0).value);
  AggregatePart big;
  big.value_sum = Decimal{INT64_MAX, 0};
  big.las_present = 1;
  EXPECT_FALSE(AddParts(big, big));
}

}  // namespace
}  // namespace slihub::datacollection
