#include "services/datacollection/domain/period.h"

#include "common/base/england_time.h"
#include "gtest/gtest.h"

namespace slihub::datacollection {
namespace {

TEST(PeriodTest, DeadlineInstantItselfIsOnTimeAndOneMicrosecondLaterIsLate) {
  const absl::Time deadline = absl::FromUnixSeconds(1753959600);  // 2025-07-31T11:00:00Z
  EXPECT_EQ(StampTimeliness(deadline, deadline), Timeliness::kOnTime);
  EXPECT_EQ(StampTimeliness(deadline - absl::Microseconds(1), deadline), Timeliness::kOnTime);
  EXPECT_EQ(StampTimeliness(deadline + absl::Microseconds(1), deadline), Timeliness::kLate);
}

TEST(PeriodTest, UkLocalNoonDeadlineIsElevenUtcInSummerAndNoonUtcInWinter) {
  const absl::Time summer =
      absl::FromCivil(absl::CivilSecond(2025, 7, 31, 12, 0, 0), EnglandTimeZone());
  EXPECT_EQ(absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", summer, absl::UTCTimeZone()), "2025-07-31T11:00:00Z");
  const absl::Time winter =
      absl::FromCivil(absl::CivilSecond(2026, 1, 31, 12, 0, 0), EnglandTimeZone());
  EXPECT_EQ(absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", winter, absl::UTCTimeZone()), "2026-01-31T12:00:00Z");
  // A return at 11:30Z on a summer noon-London deadline day is late (12:30 BST).
  EXPECT_EQ(StampTimeliness(absl::FromUnixSeconds(1753961400), summer), Timeliness::kLate);
}

// Deadlines are stated in UK local time (Europe/London); the boundary instant is on time in both
// British Summer Time (UTC+1) and Greenwich Mean Time (UTC+0).
TEST(PeriodTest, LondonNoonDeadlineBoundaryInSummerAndWinter) {
  absl::TimeZone london;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/London", &london));
  for (const absl::CivilSecond local : {absl::CivilSecond(2025, 7, 31, 12, 0, 0), absl::CivilSecond(2026, 1, 30, 12, 0, 0)}) {
    const absl::Time deadline = absl::FromCivil(local, EnglandTimeZone());
    EXPECT_EQ(absl::ToCivilSecond(deadline, london), local);
    EXPECT_EQ(StampTimeliness(deadline, deadline), Timeliness::kOnTime) << local;
    EXPECT_EQ(StampTimeliness(deadline + absl::Microseconds(1), deadline), Timeliness::kLate) << local;
    // 11:59:59 and 12:00:01 London time, either side of the stated deadline.
    const absl::TimeZone england = EnglandTimeZone();
    EXPECT_EQ(StampTimeliness(absl::FromCivil(local - 1, england), deadline), Timeliness::kOnTime)
        << local;
    EXPECT_EQ(StampTimeliness(absl::FromCivil(local + 1, england), deadline), Timeliness::kLate)
        << local;
  }
}

TEST(PeriodTest, StateFollowsOpenDeadlineAndClose) {
  const absl::Time t0 = absl::FromUnixSeconds(1000000);
  const PeriodWindow w{t0, t0 + absl::Hours(1), t0 + absl::Hours(2)};
  EXPECT_EQ(StateAt(w, t0 - absl::Seconds(1)), PeriodState::kScheduled);
  EXPECT_EQ(StateAt(w, t0), PeriodState::kOpen);
  EXPECT_EQ(StateAt(w, w.deadline_time), PeriodState::kOpen);
  EXPECT_EQ(StateAt(w, w.deadline_time + absl::Nanoseconds(1)), PeriodState::kLate);
  EXPECT_EQ(StateAt(w, w.close_time), PeriodState::kClosed);
}

TEST(PeriodTest, QuarterIdsFollowTheFinancialYear) {
  const Quarter q1 = *ParseQuarterId("2025-Q1");
  EXPECT_EQ(q1.start_date, absl::CivilDay(2025, 4, 1));
  EXPECT_EQ(q1.end_date, absl::CivilDay(2025, 6, 30));
  const Quarter q4 = *ParseQuarterId("2025-Q4");
  EXPECT_EQ(q4.start_date, absl::CivilDay(2026, 1, 1));
  EXPECT_EQ(q4.end_date, absl::CivilDay(2026, 3, 31));
  EXPECT_EQ(QuarterId(PreviousQuarter(q1)), "2024-Q4");
  EXPECT_EQ(QuarterId(PreviousQuarter(q4)), "2025-Q3");
  EXPECT_EQ(QuarterLabel(q1), "Q1 2025-26 (Apr-Jun 2025)");
  EXPECT_EQ(QuarterLabel(q4), "Q4 2025-26 (Jan-Mar 2026)");
  for (const char* bad : {"2025-Q5", "2025-Q0", "2025Q1", "25-Q1", "2025-q1", "abcd-Q1"}) {
    EXPECT_FALSE(ParseQuarterId(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace slihub::datacollection
