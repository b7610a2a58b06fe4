#include "services/workforce/domain/experience.h"

#include "gtest/gtest.h"

namespace slihub::workforce {
namespace {

using D = absl::CivilDay;

TEST(ExperienceTest, ThreeCalendarYearsAreThirtySixMonthsAndADayLessIsThirtyFive) {
  EXPECT_EQ(CountExperience({{D(2022, 1, 1), D(2024, 12, 31)}}).months, 36);
  EXPECT_EQ(CountExperience({{D(2022, 1, 1), D(2024, 12, 30)}}).months, 35);
  EXPECT_EQ(CountExperience({{D(2022, 1, 1), D(2024, 12, 31)}}).days, 1096);
}

TEST(ExperienceTest, OverlapsCountOnce) {
  const ExperienceCount c = CountExperience(
      {{D(2020, 1, 1), D(2021, 12, 31)}, {D(2021, 1, 1), D(2022, 12, 31)}});
  EXPECT_EQ(c.months, 36);
  EXPECT_EQ(c.days, 1096);
  const ExperienceCount inside =
      CountExperience({{D(2020, 1, 1), D(2022, 12, 31)}, {D(2021, 3, 1), D(2021, 6, 30)}});
  EXPECT_EQ(inside.months, 36);
}

TEST(ExperienceTest, TouchingPeriodsMergeIntoWholeMonths) {
  // 15 Jan - 14 Feb and 15 Feb - 14 Mar are two whole months once joined.
  EXPECT_EQ(CountExperience({{D(2023, 1, 15), D(2023, 2, 14)}, {D(2023, 2, 15), D(2023, 3, 14)}})
                .months,
            2);
}

TEST(ExperienceTest, NonConsecutivePeriodsAddUpAndLeftoverDaysPoolAtThirtyOne) {
  EXPECT_EQ(CountExperience({{D(2015, 1, 1), D(2016, 6, 30)}, {D(2020, 1, 1), D(2021, 6, 30)}})
                .months,
            36);
  // 20 leftover days + 11 leftover days = 31: one more month.
  EXPECT_EQ(CountExperience({{D(2015, 1, 1), D(2015, 1, 20)}, {D(2016, 3, 1), D(2016, 3, 11)}})
                .months,
            1);
  // 20 + 10 = 30: not a month.
  EXPECT_EQ(CountExperience({{D(2015, 1, 1), D(2015, 1, 20)}, {D(2016, 3, 1), D(2016, 3, 10)}})
                .months,
            0);
}

TEST(ExperienceTest, MonthEndStartsClampAndLeapDaysCount) {
  // 31 Jan + 1 month = 29 Feb 2024 (leap year): 31 Jan - 28 Feb is one month.
  EXPECT_EQ(CountExperience({{D(2024, 1, 31), D(2024, 2, 28)}}).months, 1);
  EXPECT_EQ(CountExperience({{D(2024, 1, 31), D(2024, 2, 27)}}).months, 0);
  EXPECT_EQ(CountExperience({{D(2024, 2, 1), D(2024, 2, 29)}}).days, 29);
  EXPECT_EQ(CountExperience({{D(2024, 2, 1), D(2024, 2, 29)}}).months, 1);
}

TEST(ExperienceTest, NothingCountsNothing) {
  EXPECT_EQ(CountExperience({}).months, 0);
  EXPECT_EQ(CountExperience({}).days, 0);
  EXPECT_EQ(CountExperience({{D(2024, 5, 5), D(2024, 5, 5)}}).days, 1);
}

}  // namespace
}  // namespace slihub::workforce
