#include "services/workforce/domain/rule_set.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace slihub::workforce {
namespace {

RuleSet Valid() {
  RuleSet r;
  r.region = "EE";
  r.effective_from = absl::CivilDay(2025, 10, 1);
  r.pay_caps = {{JobType::kSocialWorker, EngagementModel::kLimitedCompany, 4000},
                {JobType::kSocialWorker, EngagementModel::kAgencyPaye, 3600}};
  r.cooling_off_months = 3;
  r.cooling_off_exempt_reasons = {LeavingReason::kRedundant, LeavingReason::kLeftDuringProbation,
                                  LeavingReason::kMovedToPermanentRole};
  r.min_experience_months = 36;
  r.references_required = 2;
  r.max_notice_weeks = 4;
  return r;
}

std::vector<std::string> Fields(const RuleSet& r) {
  FieldViolations v;
  ValidateRuleSet(r, &v);
  std::vector<std::string> out;
  for (const auto& f : v.violations()) out.push_back(f.field);
  return out;
}

TEST(RuleSetTest, ValidRuleSetHasNoViolations) { EXPECT_TRUE(Fields(Valid()).empty()); }

TEST(RuleSetTest, CapsMustBePositiveSetAndUnique) {
  RuleSet r = Valid();
  r.pay_caps.push_back({JobType::kSocialWorker, EngagementModel::kLimitedCompany, 4100});
  r.pay_caps.push_back({JobType::kTeamManager, EngagementModel::kUmbrella, 0});
  r.pay_caps.push_back({JobType::kUnspecified, EngagementModel::kUnspecified, 100});
  EXPECT_EQ(Fields(r), (std::vector<std::string>{"pay_caps[2]", "pay_caps[3].hourly_cap.pence",
                                                 "pay_caps[4].job_type",
                                                 "pay_caps[4].engagement_model"}));
}

TEST(RuleSetTest, PeriodsAndCountsAreBounded) {
  RuleSet r = Valid();
  r.cooling_off_months = -1;
  r.min_experience_months = 601;
  r.references_required = -2;
  r.max_notice_weeks = 0;
  r.cooling_off_exempt_reasons.push_back(LeavingReason::kRedundant);
  r.disabled_rules = {Rule::kUnspecified};
  EXPECT_EQ(Fields(r), (std::vector<std::string>{"cooling_off_months", "min_experience_months",
                                                 "references_required", "max_notice_weeks",
                                                 "cooling_off_exempt_reasons[3]",
                                                 "disabled_rules[0]"}));
}

TEST(RuleSetTest, SelectsTheVersionInForceOnTheDay) {
  RuleSet v1 = Valid();
  v1.version = 1;
  v1.effective_from = absl::CivilDay(2016, 1, 1);
  RuleSet v2 = Valid();
  v2.version = 2;
  v2.effective_from = absl::CivilDay(2025, 10, 1);
  const std::vector<RuleSet> versions = {v2, v1};
  EXPECT_FALSE(SelectInForce(versions, absl::CivilDay(2015, 12, 31)).has_value());
  EXPECT_EQ(SelectInForce(versions, absl::CivilDay(2016, 1, 1))->version, 1);
  EXPECT_EQ(SelectInForce(versions, absl::CivilDay(2025, 9, 30))->version, 1);
  EXPECT_EQ(SelectInForce(versions, absl::CivilDay(2025, 10, 1))->version, 2);
  EXPECT_EQ(SelectInForce(versions, absl::CivilDay(2030, 1, 1))->version, 2);
  EXPECT_FALSE(SelectInForce({}, absl::CivilDay(2025, 10, 1)).has_value());
}

TEST(RuleSetTest, FindsCapsPerJobTypeAndModel) {
  const RuleSet r = Valid();
  EXPECT_EQ(r.FindCap(JobType::kSocialWorker, EngagementModel::kAgencyPaye)->hourly_cap_pence,
            3600);
  EXPECT_EQ(r.FindCap(JobType::kSocialWorker, EngagementModel::kLimitedCompany)->hourly_cap_pence,
            4000);
  EXPECT_EQ(r.FindCap(JobType::kTeamManager, EngagementModel::kAgencyPaye), nullptr);
}

}  // namespace
}  // namespace slihub::workforce
