// A region's agency rule set: one effective-dated version of every rule parameter, its
// validation, and the choice of the version in force on a date.
#ifndef SLIHUB_SERVICES_WORKFORCE_DOMAIN_RULE_SET_H_
#define SLIHUB_SERVICES_WORKFORCE_DOMAIN_RULE_SET_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/errors/errors.h"
#include "services/workforce/domain/types.h"

namespace slihub::workforce {

// One hourly pay cap for a job type under an engagement model. Plain data.
struct PayCap {
  JobType job_type = JobType::kUnspecified;
  EngagementModel engagement_model = EngagementModel::kUnspecified;
  int64_t hourly_cap_pence = 0;  // 0 when uncapped
  bool uncapped = false;          // explicitly no cap for this combination
};

// The highest hourly cap a rule set may state, in pence (200 pounds an hour).
inline constexpr int64_t kMaxHourlyCapPence = 20000;

// One version of a region's rules. Plain data; `version` is 0 until published.
struct RuleSet {
  std::string region;
  int64_t version = 0;
  absl::CivilDay effective_from;
  std::vector<PayCap> pay_caps;
  int cooling_off_months = 0;
  std::vector<LeavingReason> cooling_off_exempt_reasons;
  int min_experience_months = 0;
  int references_required = 0;
  int max_notice_weeks = 0;
  std::vector<Rule> disabled_rules;
  std::string source;
  // The oldest a register check may be, in days, for the registration rule to rely on it; 0 in
  // a version published before the parameter existed (the rule is then INCOMPLETE).
  int register_check_max_age_days = 0;

  // The cap (or explicit uncapped entry) for (job type, model), or nullptr when this version
  // has none.
  const PayCap* FindCap(JobType job_type, EngagementModel model) const;
  // True when `rule` is listed in disabled_rules.
  bool IsDisabled(Rule rule) const;
  // True when `reason` is listed in cooling_off_exempt_reasons.
  bool IsCoolingOffExempt(LeavingReason reason) const;
};

// Checks a rule set's parameters and that it is complete (not its region, dates or the text of
// its source, which the adapter checks), adding violations with field paths relative to the
// rule set ("pay_caps[2].hourly_cap.pence"). Rules: job types and models set; each cap 1 to
// kMaxHourlyCapPence, or uncapped with no amount; at most one entry per (job type, model) and,
// unless the pay cap rule is disabled, one for every combination; each rule's parameter in its
// range unless the rule is disabled (cooling off 1..60 months, experience 1..600 months,
// references 1..20, notice 1..52 weeks, register check age 1..3650 days), and 0 or in range when
// disabled; exempt reasons and disabled rules set and listed once each.
void ValidateRuleSet(const RuleSet& rule_set, FieldViolations* violations);

// The version in force on `day`: the one with the latest effective_from on or before it, or
// nullopt when every version starts later. `versions` may be in any order.
std::optional<RuleSet> SelectInForce(const std::vector<RuleSet>& versions, absl::CivilDay day);

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_DOMAIN_RULE_SET_H_
