#include "services/datacollection/domain/tracking.h"

#include "gtest/gtest.h"

namespace slihub::datacollection {
namespace {

const absl::Time kDeadline = absl::FromUnixSeconds(1753959600);
const std::vector<std::string> kExpected = {"A", "B", "C", "D"};

TEST(TrackingTest, NothingSubmittedIsNotDueBeforeTheDeadlineAndMissingAfter) {
  LaStatus before = ComputeLaStatus("873", kExpected, {}, kDeadline, kDeadline);
  EXPECT_EQ(before.state, SubmissionState::kNotDue);
  EXPECT_EQ(before.missing, 4);
  LaStatus after = ComputeLaStatus("873", kExpected, {}, kDeadline, kDeadline + absl::Seconds(1));
  EXPECT_EQ(after.state, SubmissionState::kMissing);
  EXPECT_EQ(after.on_time_share, (Decimal{0, 1}));
}

TEST(TrackingTest, IndicatorsGivenLateCountLateAndTheShareIsRounded) {
  const std::vector<VersionFacts> versions = {
      {1, kDeadline, {"A"}},
      {2, kDeadline + absl::Hours(1), {"A", "B"}},
  };
  LaStatus s = ComputeLaStatus("873", {"A", "B", "C"}, versions, kDeadline, kDeadline + absl::Hours(2));
  EXPECT_EQ(s.state, SubmissionState::kOnTime);
  EXPECT_EQ(s.latest_version, 2);
  EXPECT_EQ(s.on_time, 1);
  EXPECT_EQ(s.late, 1);
  EXPECT_EQ(s.missing, 1);
  EXPECT_EQ(s.on_time_share, (Decimal{333, 1}));
  EXPECT_EQ(s.first_receive_time, kDeadline);
}

TEST(TrackingTest, FirstVersionAfterTheDeadlineMakesTheLaLate) {
  LaStatus s = ComputeLaStatus("873", kExpected, {{1, kDeadline + absl::Microseconds(1), {"A", "B", "C", "D"}}},
                               kDeadline, kDeadline + absl::Hours(1));
  EXPECT_EQ(s.state, SubmissionState::kLate);
  EXPECT_EQ(s.late, 4);
  EXPECT_EQ(s.on_time_share, (Decimal{0, 1}));
}

TEST(TrackingTest, RegionTotalsAndShares) {
  std::vector<LaStatus> las(3);
  las[0].state = SubmissionState::kOnTime; las[0].expected = 4; las[0].on_time = 4;
  las[1].state = SubmissionState::kLate; las[1].expected = 4; las[1].on_time = 1;
  las[2].state = SubmissionState::kMissing; las[2].expected = 4;
  RegionSummary r = Summarise(las);
  EXPECT_EQ(r.expected, 3);
  EXPECT_EQ(r.on_time, 1);
  EXPECT_EQ(r.late, 1);
  EXPECT_EQ(r.missing, 1);
  EXPECT_EQ(r.la_on_time_share, (Decimal{333, 1}));
  EXPECT_EQ(r.indicator_on_time_share, (Decimal{417, 1}));  // 5/12 = 41.67 -> 41.7
  EXPECT_EQ(PercentageShare(2, 3), (Decimal{667, 1}));
  EXPECT_EQ(PercentageShare(1, 8), (Decimal{125, 1}));
}

}  // namespace
}  // namespace slihub::datacollection
