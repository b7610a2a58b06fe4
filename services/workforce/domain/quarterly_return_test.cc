#include "services/workforce/domain/quarterly_return.h"

#include "gtest/gtest.h"

namespace slihub::workforce {
namespace {

using D = absl::CivilDay;

Assignment Make(const std::string& id, const std::string& swe, D start,
                std::optional<D> end = std::nullopt) {
  Assignment a;
  a.engagement_id = id;
  a.la_code = "873";
  a.swe_number = swe;
  a.start_date = start;
  a.end_date = end;
  a.hourly_pay_rate_pence = 4000;
  a.hourly_charge_rate_pence = 5600;
  a.contracted_minutes_per_week = 2250;  // 37.5 hours
  a.agency_name = "Acme";
  a.verdict = Verdict::kCompliant;
  for (int r = 1; r <= kMaxRule; ++r) {
    a.rules.push_back({static_cast<Rule>(r), RuleOutcome::kPass, false});
  }
  return a;
}

TEST(QuarterRangeTest, QuartersAreCalendarQuartersAndBadOnesAreRefused) {
  EXPECT_EQ(QuarterRange(2026, 1)->first, D(2026, 1, 1));
  EXPECT_EQ(QuarterRange(2026, 1)->last, D(2026, 3, 31));
  EXPECT_EQ(QuarterRange(2024, 4)->last, D(2024, 12, 31));
  EXPECT_EQ(QuarterRange(2024, 3)->first, D(2024, 7, 1));
  EXPECT_FALSE(QuarterRange(2026, 0).ok());
  EXPECT_FALSE(QuarterRange(2026, 5).ok());
  EXPECT_FALSE(QuarterRange(1999, 1).ok());
}

TEST(AgencyCostTest, ChargeTimesWeeklyHoursOverTheDaysEngaged) {
  const DayRange week{D(2026, 1, 5), D(2026, 1, 11)};
  // 56.00/h * 37.5 h = 2100.00 a week.
  EXPECT_EQ(*AgencyCost(Make("e", "SW1", D(2026, 1, 1)), week), 210000);
  // Started on the Thursday: 4 of the 7 days.
  EXPECT_EQ(*AgencyCost(Make("e", "SW1", D(2026, 1, 8)), week), 120000);
  // Ended before the range: nothing.
  EXPECT_EQ(*AgencyCost(Make("e", "SW1", D(2025, 1, 1), D(2026, 1, 4)), week), 0);
  // One day: 2100.00 / 7 = 300.00.
  EXPECT_EQ(*AgencyCost(Make("e", "SW1", D(2026, 1, 1), D(2026, 1, 5)), week), 30000);
  Assignment unknown = Make("e", "SW1", D(2026, 1, 1));
  unknown.contracted_minutes_per_week = 0;
  EXPECT_FALSE(AgencyCost(unknown, week).has_value());
  unknown = Make("e", "SW1", D(2026, 1, 1));
  unknown.hourly_charge_rate_pence = 0;
  EXPECT_FALSE(AgencyCost(unknown, week).has_value());
}

TEST(AgencyCostTest, RoundsHalfUp) {
  Assignment a = Make("e", "SW1", D(2026, 1, 1));
  a.hourly_charge_rate_pence = 1;
  a.contracted_minutes_per_week = 210;  // 3.5 hours: 0.5p a day
  EXPECT_EQ(*AgencyCost(a, {D(2026, 1, 1), D(2026, 1, 1)}), 1);
  a.contracted_minutes_per_week = 209;
  EXPECT_EQ(*AgencyCost(a, {D(2026, 1, 1), D(2026, 1, 1)}), 0);
}

TEST(MonthlyCostsTest, OneEntryPerMonthOfTheQuarter) {
  Assignment a = Make("e1", "SW1", D(2026, 2, 1), D(2026, 2, 28));
  Assignment b = Make("e2", "SW2", D(2026, 3, 30));
  b.contracted_minutes_per_week = 0;
  const std::vector<MonthCost> costs = MonthlyCosts({a, b}, *QuarterRange(2026, 1));
  ASSERT_EQ(costs.size(), 3u);
  EXPECT_EQ(costs[0].month, 1);
  EXPECT_EQ(costs[0].cost_pence, 0);
  EXPECT_EQ(costs[1].month, 2);
  EXPECT_EQ(costs[1].cost_pence, 840000);  // four weeks
  EXPECT_EQ(costs[2].assignments_without_hours, 1);
  EXPECT_EQ(costs[2].cost_pence, 0);
}

TEST(TallyRulesTest, CountsOutcomesAndExceptionsPerRule) {
  Assignment a = Make("e1", "SW1", D(2026, 1, 1));
  Assignment b = Make("e2", "SW2", D(2026, 1, 1));
  b.rules[0] = {Rule::kPayCap, RuleOutcome::kFail, true};
  b.rules[1] = {Rule::kCoolingOff, RuleOutcome::kExempt, false};
  b.rules[5] = {Rule::kProjectTeam, RuleOutcome::kNotApplicable, false};
  const std::vector<RuleTally> tallies = TallyRules({a, b});
  ASSERT_EQ(tallies.size(), 7u);
  EXPECT_EQ(tallies[0].rule, Rule::kPayCap);
  EXPECT_EQ(tallies[0].passed, 1);
  EXPECT_EQ(tallies[0].failed, 1);
  EXPECT_EQ(tallies[0].covered_by_exception, 1);
  EXPECT_EQ(tallies[1].exempt, 1);
  EXPECT_EQ(tallies[5].not_applicable, 1);
  EXPECT_NE(tallies[0].explanation.find("1 of 2 assignments passed"), std::string::npos);
  EXPECT_EQ(TallyRules({})[0].explanation, "No agency assignments in the period.");
}

TEST(SummariseComplianceTest, ActiveWorkersOnTheLastDaySharesBreachesAndSpend) {
  const DayRange q1 = *QuarterRange(2026, 1);
  Assignment compliant = Make("e1", "SW1", D(2025, 12, 1));
  Assignment covered = Make("e2", "SW2", D(2026, 2, 1));
  covered.verdict = Verdict::kCoveredByException;
  covered.rules[0] = {Rule::kPayCap, RuleOutcome::kFail, true};
  covered.approved_cap_breach = true;
  Assignment ended = Make("e3", "SW3", D(2026, 1, 1), D(2026, 1, 31));
  Assignment later = Make("e4", "SW4", D(2026, 4, 1));
  const LaCompliance c = SummariseCompliance({compliant, covered, ended, later}, q1);
  EXPECT_EQ(c.active_agency_workers, 2);
  EXPECT_EQ(c.compliant_workers, 1);
  EXPECT_EQ(c.share_compliant_bp, 5000);
  EXPECT_EQ(c.rule_breaches, 1);
  EXPECT_EQ(c.cap_breaches, 1);
  // 90 + 59 + 31 engaged days at 300.00 a day.
  EXPECT_EQ(c.agency_spend_pence, (90 + 59 + 31) * 30000);
  const LaCompliance total = AddCompliance(c, c);
  EXPECT_EQ(total.active_agency_workers, 4);
  EXPECT_EQ(total.share_compliant_bp, 5000);
  EXPECT_EQ(SummariseCompliance({}, q1).share_compliant_bp, 0);
}

}  // namespace
}  // namespace slihub::workforce
