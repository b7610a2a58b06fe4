// Unit tests of the rule parameters: every name, the ranges, malformed values, all-or-nothing.
#include "services/placement/domain/rule_parameters.h"

#include "gtest/gtest.h"

namespace slihub::placement {
namespace {

TEST(RuleParametersTest, DefaultsAreTheIssues) {
  const RuleParameters p;
  EXPECT_EQ(p.holds.max_duration, absl::Hours(72));
  EXPECT_EQ(p.match.stale_after, absl::Hours(24 * 14));
}

TEST(RuleParametersTest, EveryNameSetsItsParameter) {
  RuleParameters p;
  ASSERT_TRUE(ApplyRuleParameters({{"hold_max_hours", "48"},
                                   {"stale_after_days", "7.5"},
                                   {"distance_horizon_miles", "40"},
                                   {"cost_horizon_pence", "500000"},
                                   {"near_home_miles", "15"},
                                   {"weight.distance", "0.5"},
                                   {"weight.cost", "0"},
                                   {"weight.ofsted_grade", "2"},
                                   {"weight.needs_fit", "3"},
                                   {"weight.in_la", "4"},
                                   {"weight.in_region", "5"},
                                   {"weight.sibling_capacity", "6"},
                                   {"weight.staleness", "100"}},
                                  &p)
                  .ok());
  EXPECT_EQ(p.holds.max_duration, absl::Hours(48));
  EXPECT_EQ(p.match.stale_after, absl::Hours(180));
  EXPECT_DOUBLE_EQ(p.match.distance_horizon_miles, 40);
  EXPECT_EQ(p.match.cost_horizon_pence, 500000);
  EXPECT_DOUBLE_EQ(p.match.near_home_miles, 15);
  const std::array<double, kComponentCount> weights = {0.5, 0, 2, 3, 4, 5, 6, 100};
  EXPECT_EQ(p.match.weights, weights);
}

TEST(RuleParametersTest, RefusesUnknownMalformedAndOutOfRangeValuesNamingThem) {
  const std::pair<const char*, const char*> bad[] = {
      {"hold_max_hours", "0"},        {"hold_max_hours", "169"}, {"hold_max_hours", "72h"},
      {"stale_after_days", "0.5"},    {"stale_after_days", ""},  {"weight.cost", "-1"},
      {"weight.cost", "101"},         {"weight.cost", "nan"},    {"cost_horizon_pence", "0"},
      {"distance_horizon_miles", "inf"}, {"weight.colour", "1"}, {"HOLD_MAX_HOURS", "10"}};
  for (const auto& [name, value] : bad) {
    RuleParameters p;
    const absl::Status s = ApplyRuleParameter(name, value, &p);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << name << "=" << value;
    EXPECT_NE(s.message().find(name), absl::string_view::npos) << s.message();
    EXPECT_EQ(p.holds.max_duration, absl::Hours(72));
  }
}

TEST(RuleParametersTest, AllOrNothing) {
  RuleParameters p;
  EXPECT_FALSE(ApplyRuleParameters({{"hold_max_hours", "10"}, {"weight.cost", "x"}}, &p).ok());
  EXPECT_EQ(p.holds.max_duration, absl::Hours(72));
}

}  // namespace
}  // namespace slihub::placement
