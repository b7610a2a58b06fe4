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
  for (int job = 1; job <= kMaxJobType; ++job) {
    for (int model = 1; model <= kMaxEngagementModel; ++model) {
      if (r.FindCap(static_cast<JobType>(job), static_cast<EngagementModel>(model)) == nullptr) {
        r.pay_caps.push_back(
            {static_cast<JobType>(job), static_cast<EngagementModel>(model), 0, true});
      }
    }
  }
  r.cooling_off_months = 3;
  r.cooling_off_exempt_reasons = {LeavingReason::kRedundant, LeavingReason::kLeftDuringProbation,
                                  LeavingReason::kMovedToPermanentRole};
  r.min_experience_months = 36;
  r.references_required = 2;
  r.max_notice_weeks = 4;
  r.register_check_max_age_days = 90;
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
  const size_t n = r.pay_caps.size();
  r.pay_caps.push_back({JobType::kSocialWorker, EngagementModel::kLimitedCompany, 4100});
  r.pay_caps[n - 1] = {JobType::kIroCpChair, EngagementModel::kAgencyPaye, 0, false};
  r.pay_caps.push_back({JobType::kUnspecified, EngagementModel::kUnspecified, 100});
  r.pay_caps.push_back({JobType::kIroCpChair, EngagementModel::kUmbrella, 20001});
  const std::string last = "pay_caps[" + std::to_string(n - 1) + "]";
  const std::string at = "pay_caps[" + std::to_string(n);
  EXPECT_EQ(Fields(r),
            (std::vector<std::string>{last + ".hourly_cap.pence", at + "]",
                                      "pay_caps[" + std::to_string(n + 1) + "].job_type",
                                      "pay_caps[" + std::to_string(n + 1) + "].engagement_model",
                                      "pay_caps[" + std::to_string(n + 2) + "].hourly_cap.pence",
                                      "pay_caps[" + std::to_string(n + 2) + "]"}));
}

TEST(RuleSetTest, PeriodsAndCountsAreBounded) {
  RuleSet r = Valid();
  r.cooling_off_months = -1;
  r.min_experience_months = 601;
  r.references_required = -2;
  r.max_notice_weeks = 0;
  r.cooling_off_exempt_reasons.push_back(LeavingReason::kRedundant);
  r.disabled_rules = {Rule::kUnspecified};
  EXPECT_EQ(Fields(r), (std::vector<std::string>{"disabled_rules[0]", "cooling_off_months",
                                                 "min_experience_months",
                                                 "references_required", "max_notice_weeks",
                                                 "cooling_off_exempt_reasons[3]"}));
}

// Publishing checks completeness: the rule set the trial published (no caps, zero experience
// months, zero references) is refused; each rule's parameter may be 0 only when it is disabled.
TEST(RuleSetTest, AnIncompleteRuleSetIsRefused) {
  RuleSet r = Valid();
  r.pay_caps.clear();
  r.min_experience_months = 0;
  r.references_required = 0;
  r.register_check_max_age_days = 0;
  EXPECT_EQ(Fields(r), (std::vector<std::string>{"pay_caps", "min_experience_months",
                                                 "references_required",
                                                 "register_check_max_age_days"}));
  r.disabled_rules = {Rule::kPayCap, Rule::kExperience, Rule::kReferences, Rule::kRegistration};
  EXPECT_TRUE(Fields(r).empty());
  // One combination missing is named.
  RuleSet one = Valid();
  one.pay_caps.pop_back();
  FieldViolations v;
  ValidateRuleSet(one, &v);
  ASSERT_EQ(v.violations().size(), 1u);
  EXPECT_NE(v.violations()[0].description.find("IRO / CP conference chair (agency PAYE)"),
            std::string::npos)
      << v.violations()[0].description;
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
  EXPECT_TRUE(r.FindCap(JobType::kTeamManager, EngagementModel::kAgencyPaye)->uncapped);
  RuleSet partial = Valid();
  partial.pay_caps.resize(2);
  EXPECT_EQ(partial.FindCap(JobType::kTeamManager, EngagementModel::kAgencyPaye), nullptr);
}

}  // namespace
}  // namespace slihub::workforce
