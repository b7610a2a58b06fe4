#include "services/datacollection/domain/decimal.h"

#include "gtest/gtest.h"

namespace slihub::datacollection {
namespace {

TEST(DecimalTest, ComparesExactlyAcrossScales) {
  EXPECT_EQ(CompareDecimal({125, 1}, {1250, 2}), 0);
  EXPECT_EQ(CompareDecimal({125, 1}, {1251, 2}), -1);
  EXPECT_EQ(CompareDecimal({-1, 0}, {-5, 1}), -1);
  EXPECT_EQ(CompareDecimal({100, 0}, {999999999, 7}), 1);
}

TEST(DecimalTest, SignificantScaleDropsTrailingZeros) {
  EXPECT_EQ(SignificantScale({1250, 2}), 1);
  EXPECT_EQ(SignificantScale({1200, 2}), 0);
  EXPECT_EQ(SignificantScale({1234, 2}), 2);
  EXPECT_EQ(SignificantScale({0, 5}), 0);
}

TEST(DecimalTest, RescaleExactRefusesToLoseDigits) {
  EXPECT_EQ(RescaleExact({125, 1}, 3), (Decimal{12500, 3}));
  EXPECT_EQ(RescaleExact({1250, 2}, 1), (Decimal{125, 1}));
  EXPECT_FALSE(RescaleExact({1255, 2}, 1).has_value());
  EXPECT_FALSE(RescaleExact({INT64_MAX, 0}, 1).has_value());
}

TEST(DecimalTest, RoundsHalfAwayFromZero) {
  EXPECT_EQ(RoundToScale({125, 2}, 1), (Decimal{13, 1}));
  EXPECT_EQ(RoundToScale({-125, 2}, 1), (Decimal{-13, 1}));
  EXPECT_EQ(RoundToScale({124, 2}, 1), (Decimal{12, 1}));
  EXPECT_EQ(DivideRounded(1, 3, 2), (Decimal{0, 2}));
  EXPECT_EQ(DivideRounded(2, 3, 0), (Decimal{1, 0}));
  EXPECT_EQ(DivideRounded(-5, 2, 0), (Decimal{-3, 0}));
  EXPECT_FALSE(DivideRounded(1, 0, 0).has_value());
}

TEST(DecimalTest, ParsesAndFormatsPlainDecimals) {
  EXPECT_EQ(*ParseDecimal("12.50"), (Decimal{1250, 2}));
  EXPECT_EQ(*ParseDecimal("-0.5"), (Decimal{-5, 1}));
  EXPECT_EQ(*ParseDecimal("7"), (Decimal{7, 0}));
  for (const char* bad : {"", "-", ".5", "5.", "1,000", "1e3", "1.0000000001", "99999999999999999999"}) {
    EXPECT_FALSE(ParseDecimal(bad).ok()) << bad;
  }
  EXPECT_EQ(FormatDecimal({1250, 2}), "12.50");
  EXPECT_EQ(FormatDecimal({-5, 1}), "-0.5");
  EXPECT_EQ(FormatDecimal({5, 3}), "0.005");
  EXPECT_EQ(FormatDecimal({0, 0}), "0");
  EXPECT_EQ(FormatDecimal({INT64_MIN, 0}), "-9223372036854775808");
}

}  // namespace
}  // namespace slihub::datacollection
