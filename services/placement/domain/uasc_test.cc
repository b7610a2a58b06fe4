// Unit tests of the UASC rules: the threshold in force, exact threshold arithmetic at and around
// the boundary, rota order and ties, and working-day deadlines across weekends and bank holidays.
#include "services/placement/domain/uasc.h"

#include <algorithm>

#include "gtest/gtest.h"

namespace slihub::placement {
namespace {

absl::CivilDay D(int y, int m, int d) { return absl::CivilDay(y, m, d); }

// England and Wales bank holidays around the cases below (the service reads its list from data).
const std::vector<absl::CivilDay> kHolidays = {
    D(2022, 12, 26), D(2022, 12, 27), D(2023, 1, 2),  D(2023, 4, 7),   D(2023, 4, 10),
    D(2023, 5, 1),   D(2023, 5, 8),   D(2023, 5, 29), D(2024, 3, 29),  D(2024, 4, 1),
    D(2024, 5, 6),   D(2024, 12, 25), D(2024, 12, 26), D(2025, 1, 1),  D(2025, 4, 18),
    D(2025, 4, 21),  D(2025, 8, 25),  D(2025, 12, 25), D(2025, 12, 26), D(2026, 1, 1),
    D(2026, 12, 25), D(2026, 12, 28), D(2027, 1, 1),   D(2027, 12, 27), D(2027, 12, 28)};

const std::vector<UascThreshold> kRules = {{2, D(2022, 8, 24), 100}, {1, D(2016, 7, 1), 70}};

TEST(UascThresholdTest, RuleInForceIsEffectiveDatedInclusive) {
  EXPECT_FALSE(ThresholdInForce(kRules, D(2016, 6, 30)).has_value());
  EXPECT_EQ(ThresholdInForce(kRules, D(2016, 7, 1))->rate_per_100000, 70);
  EXPECT_EQ(ThresholdInForce(kRules, D(2022, 8, 23))->rate_per_100000, 70);
  EXPECT_EQ(ThresholdInForce(kRules, D(2022, 8, 24))->rate_per_100000, 100);
  EXPECT_EQ(ThresholdInForce(kRules, D(2022, 8, 24))->version, 2);
  EXPECT_EQ(ThresholdInForce(kRules, D(2030, 1, 1))->rate_per_100000, 100);
  EXPECT_FALSE(ThresholdInForce({}, D(2024, 1, 1)).has_value());
}

struct ThresholdCase {
  int64_t under18;
  int64_t uasc;
  int rate;
  double threshold;
  bool refer_out;
  bool directed;
};

TEST(UascThresholdTest, ExactIntegerComparisonAtTheBoundary) {
  const ThresholdCase cases[] = {
      {70000, 70, 100, 70.0, false, false},     // exactly at 0.1%: neither
      {70000, 69, 100, 70.0, false, true},      // one below: directed
      {70000, 71, 100, 70.0, true, false},      // one above: may refer out
      {70001, 70, 100, 70.001, false, true},    // threshold 70.001: 70 is below (no rounding down)
      {69999, 70, 100, 69.999, true, false},    // threshold 69.999: 70 is above (no rounding up)
      {100000, 70, 70, 70.0, false, false},     // 0.07% (before 24 Aug 2022): at threshold
      {100000, 70, 100, 100.0, false, true},    // the same LA at 0.1%: below
      {142857, 100, 70, 99.9999, true, false},  // 0.07% of 142,857 = 99.9999: 100 is above
      {142858, 100, 70, 100.0006, false, true}, // 0.07% of 142,858 = 100.0006: 100 is below
      {0, 0, 100, 0.0, false, false},           // no children: at threshold (0 = 0)
      {0, 1, 100, 0.0, true, false},
  };
  for (const ThresholdCase& c : cases) {
    const UascPosition p = EvaluateUasc({"926", D(2024, 3, 31), c.under18, c.uasc}, c.rate);
    const std::string label = std::to_string(c.under18) + "/" + std::to_string(c.uasc) + "@" +
                              std::to_string(c.rate);
    EXPECT_DOUBLE_EQ(p.threshold, c.threshold) << label;
    // Headroom is the exact difference rounded once (not the difference of two rounded values).
    EXPECT_NEAR(p.headroom, c.threshold - static_cast<double>(c.uasc), 1e-9) << label;
    EXPECT_DOUBLE_EQ(p.headroom, static_cast<double>(p.headroom_scaled) / kUascRateScale) << label;
    EXPECT_EQ(p.headroom_scaled, c.under18 * c.rate - c.uasc * kUascRateScale) << label;
    EXPECT_EQ(p.may_refer_out, c.refer_out) << label;
    EXPECT_EQ(p.can_be_directed, c.directed) << label;
  }
}

TEST(UascThresholdTest, LargeLaDoesNotOverflow) {
  const UascPosition p = EvaluateUasc({"850", D(2024, 3, 31), 300000000, 299999}, 100000);
  EXPECT_EQ(p.headroom_scaled, 300000000LL * 100000 - 299999LL * 100000);
  EXPECT_TRUE(p.can_be_directed);
}

TEST(UascRotaTest, FurthestBelowFirstTiesByLaCodeAndDeterministic) {
  std::vector<UascPosition> in = {
      EvaluateUasc({"935", {}, 200000, 150}, 100),  // headroom 50
      EvaluateUasc({"881", {}, 300000, 250}, 100),  // headroom 50 (tie with 935: 881 first)
      EvaluateUasc({"926", {}, 250000, 100}, 100),  // headroom 150
      EvaluateUasc({"873", {}, 200000, 200}, 100),  // at threshold: not receiving
      EvaluateUasc({"821", {}, 80000, 120}, 100),   // above: not receiving
      EvaluateUasc({"919", {}, 100001, 100}, 100),  // headroom 0.001: last receiver
  };
  const UascRota rota = BuildUascRota(in);
  std::vector<std::string> order;
  for (const UascPosition& p : rota.receiving) order.push_back(p.la_code);
  EXPECT_EQ(order, (std::vector<std::string>{"926", "881", "935", "919"}));
  ASSERT_EQ(rota.not_receiving.size(), 2u);
  EXPECT_EQ(rota.not_receiving[0].la_code, "821");
  EXPECT_EQ(rota.not_receiving[1].la_code, "873");
  std::reverse(in.begin(), in.end());
  const UascRota again = BuildUascRota(in);
  for (size_t i = 0; i < again.receiving.size(); ++i) {
    EXPECT_EQ(again.receiving[i].la_code, order[i]);
  }
}

TEST(UascRotaTest, EmptyRegion) {
  const UascRota rota = BuildUascRota({});
  EXPECT_TRUE(rota.receiving.empty());
  EXPECT_TRUE(rota.not_receiving.empty());
}

struct DeadlineCase {
  absl::CivilDay referred_on;
  bool from_hotel;
  absl::CivilDay deadline;
  const char* why;
};

TEST(UascDeadlineTest, WorkingDaysSkipWeekendsAndBankHolidays) {
  const DeadlineCase cases[] = {
      {D(2024, 3, 4), false, D(2024, 3, 18), "Monday, no holidays: two weeks later"},
      {D(2024, 3, 4), true, D(2024, 3, 11), "Monday from a hotel: one week later"},
      {D(2024, 3, 8), true, D(2024, 3, 15), "Friday from a hotel"},
      {D(2024, 3, 9), true, D(2024, 3, 15), "Saturday: counting starts Monday"},
      {D(2024, 3, 10), true, D(2024, 3, 15), "Sunday: counting starts Monday"},
      {D(2024, 3, 25), true, D(2024, 4, 3), "Easter 2024: Good Friday 29 Mar, Easter Monday 1 Apr"},
      {D(2024, 3, 22), false, D(2024, 4, 9), "ten days across Easter 2024"},
      {D(2025, 4, 17), true, D(2025, 4, 28), "Maundy Thursday 2025: Good Friday and Easter Monday skipped"},
      {D(2024, 12, 20), false, D(2025, 1, 8), "Christmas 2024 (Wed/Thu) and New Year (Wed)"},
      {D(2024, 12, 24), true, D(2025, 1, 3), "Christmas Eve 2024 from a hotel"},
      {D(2022, 12, 23), true, D(2023, 1, 4), "Christmas 2022: substitutes Tue 27 Dec and Mon 2 Jan"},
      {D(2026, 12, 24), true, D(2027, 1, 5), "Christmas 2026: Boxing Day substitute Mon 28 Dec"},
      {D(2027, 12, 24), true, D(2028, 1, 4), "Christmas 2027: both substitutes Mon 27, Tue 28 Dec"},
      {D(2023, 5, 5), true, D(2023, 5, 15), "Coronation Monday 8 May 2023"},
      {D(2023, 5, 26), true, D(2023, 6, 5), "Spring bank holiday Monday 29 May 2023"},
      {D(2025, 8, 22), false, D(2025, 9, 8), "Summer bank holiday Monday 25 Aug 2025"},
      {D(2024, 5, 3), true, D(2024, 5, 13), "Early May bank holiday Monday 6 May 2024"},
      {D(2025, 12, 25), true, D(2026, 1, 5), "referred on Christmas Day 2025"},
  };
  for (const DeadlineCase& c : cases) {
    EXPECT_EQ(TransferDeadline(c.referred_on, c.from_hotel, kHolidays), c.deadline) << c.why;
  }
}

TEST(UascDeadlineTest, ZeroWorkingDaysIsTheStartDay) {
  EXPECT_EQ(AddWorkingDays(D(2024, 12, 25), 0, kHolidays), D(2024, 12, 25));
  EXPECT_EQ(AddWorkingDays(D(2024, 12, 24), 1, kHolidays), D(2024, 12, 27));
  EXPECT_EQ(AddWorkingDays(D(2024, 12, 24), 1, {}), D(2024, 12, 25));
}

TEST(UascDeadlineTest, OverdueOnlyAfterTheDeadline) {
  const absl::CivilDay deadline = D(2025, 1, 8);
  EXPECT_FALSE(TransferOverdue(kTransferPending, deadline, std::nullopt, D(2025, 1, 8)));
  EXPECT_TRUE(TransferOverdue(kTransferPending, deadline, std::nullopt, D(2025, 1, 9)));
  EXPECT_FALSE(TransferOverdue(kTransferCompleted, deadline, D(2025, 1, 8), D(2025, 3, 1)));
  EXPECT_TRUE(TransferOverdue(kTransferCompleted, deadline, D(2025, 1, 9), D(2025, 1, 9)));
  EXPECT_FALSE(TransferOverdue(kTransferCancelled, deadline, std::nullopt, D(2025, 3, 1)));
}

}  // namespace
}  // namespace slihub::placement
