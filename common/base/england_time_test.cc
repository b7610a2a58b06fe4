#include "common/base/england_time.h"

#include "gtest/gtest.h"

namespace slihub {
namespace {

absl::Time Utc(int y, int m, int d, int hh, int mm, int ss) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, ss), absl::UTCTimeZone());
}

TEST(EnglandTimeTest, TodayFollowsBritishSummerTime) {
  // 23:30 UTC on 31 July is 00:30 on 1 August in London.
  EXPECT_EQ(EnglandDay(Utc(2026, 7, 31, 23, 30, 0)), absl::CivilDay(2026, 8, 1));
  // In winter London is on UTC.
  EXPECT_EQ(EnglandDay(Utc(2026, 12, 31, 23, 30, 0)), absl::CivilDay(2026, 12, 31));
}

TEST(EnglandTimeTest, DayBoundariesAreLocal) {
  EXPECT_EQ(StartOfEnglandDay(absl::CivilDay(2026, 7, 31)), Utc(2026, 7, 30, 23, 0, 0));
  EXPECT_EQ(EndOfEnglandDay(absl::CivilDay(2026, 7, 31)),
            Utc(2026, 7, 31, 23, 0, 0) - absl::Microseconds(1));
  EXPECT_EQ(EndOfEnglandDay(absl::CivilDay(2026, 1, 31)),
            Utc(2026, 2, 1, 0, 0, 0) - absl::Microseconds(1));
}

}  // namespace
}  // namespace slihub
