#include "services/workforce/domain/rule_set.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace slihub::workforce {

const PayCap* RuleSet::FindCap(JobType job_type, EngagementModel model) const {
  for (const PayCap& cap : pay_caps) {
    if (cap.job_type == job_type && cap.engagement_model == model) return &cap;
  }
  return nullptr;
}

bool RuleSet::IsDisabled(Rule rule) const {
  for (Rule r : disabled_rules) {
    if (r == rule) return true;
  }
  return false;
}

bool RuleSet::IsCoolingOffExempt(LeavingReason reason) const {
  for (LeavingReason r : cooling_off_exempt_reasons) {
    if (r == reason) return true;
  }
  return false;
}

namespace {

// A rule's parameter: within [low, high] when the rule applies; 0 or within them when it is
// disabled (the parameter is then unused).
void CheckParameter(int value, int low, int high, bool disabled, const char* field,
                    const char* rule, FieldViolations* violations) {
  if (value >= low && value <= high) return;
  if (disabled && value == 0) return;
  violations->Add(field, absl::StrCat("must be between ", low, " and ", high, ", not ", value,
                                      disabled ? "" : absl::StrCat(" (or disable RULE_", rule,
                                                                   " in disabled_rules)")));
}

}  // namespace

void ValidateRuleSet(const RuleSet& rule_set, FieldViolations* violations) {
  std::set<std::pair<int, int>> seen_caps;
  for (size_t i = 0; i < rule_set.pay_caps.size(); ++i) {
    const PayCap& cap = rule_set.pay_caps[i];
    const std::string path = absl::StrCat("pay_caps[", i, "]");
    const int job = static_cast<int>(cap.job_type);
    const int model = static_cast<int>(cap.engagement_model);
    if (job <= 0 || job > kMaxJobType) {
      violations->Add(absl::StrCat(path, ".job_type"), "must be one of the five job types");
    }
    if (model <= 0 || model > kMaxEngagementModel) {
      violations->Add(absl::StrCat(path, ".engagement_model"), "must be set");
    }
    if (cap.uncapped) {
      if (cap.hourly_cap_pence != 0) {
        violations->Add(absl::StrCat(path, ".hourly_cap.pence"),
                        "must be unset when uncapped is true");
      }
    } else if (cap.hourly_cap_pence < 1 || cap.hourly_cap_pence > kMaxHourlyCapPence) {
      violations->Add(absl::StrCat(path, ".hourly_cap.pence"),
                      absl::StrCat("must be between 1 and ", kMaxHourlyCapPence,
                                   " (200 pounds an hour), or set uncapped"));
    }
    if (!seen_caps.insert({job, model}).second) {
      violations->Add(path, absl::StrCat("duplicates the cap for ", JobTypeLabel(cap.job_type),
                                         " under ", EngagementModelLabel(cap.engagement_model)));
    }
  }
  std::set<int> seen_rules;
  for (size_t i = 0; i < rule_set.disabled_rules.size(); ++i) {
    const int rule = static_cast<int>(rule_set.disabled_rules[i]);
    const std::string path = absl::StrCat("disabled_rules[", i, "]");
    if (rule <= 0 || rule > kMaxRule) {
      violations->Add(path, "must be a rule");
    } else if (!seen_rules.insert(rule).second) {
      violations->Add(path, "is listed twice");
    }
  }
  if (!rule_set.IsDisabled(Rule::kPayCap)) {
    std::vector<std::string> missing;
    for (int job = 1; job <= kMaxJobType; ++job) {
      for (int model = 1; model <= kMaxEngagementModel; ++model) {
        if (seen_caps.count({job, model}) == 0) {
          missing.push_back(absl::StrCat(JobTypeLabel(static_cast<JobType>(job)), " (",
                                         EngagementModelLabel(static_cast<EngagementModel>(model)),
                                         ")"));
        }
      }
    }
    if (!missing.empty()) {
      violations->Add("pay_caps",
                      absl::StrCat("must cap, or mark uncapped, every job type under every "
                                   "engagement model (or disable RULE_PAY_CAP); missing: ",
                                   absl::StrJoin(missing, ", ")));
    }
  }
  CheckParameter(rule_set.cooling_off_months, 1, 60, rule_set.IsDisabled(Rule::kCoolingOff),
                 "cooling_off_months", "COOLING_OFF", violations);
  CheckParameter(rule_set.min_experience_months, 1, 600, rule_set.IsDisabled(Rule::kExperience),
                 "min_experience_months", "EXPERIENCE", violations);
  CheckParameter(rule_set.references_required, 1, 20, rule_set.IsDisabled(Rule::kReferences),
                 "references_required", "REFERENCES", violations);
  CheckParameter(rule_set.max_notice_weeks, 1, 52, rule_set.IsDisabled(Rule::kNotice),
                 "max_notice_weeks", "NOTICE", violations);
  CheckParameter(rule_set.register_check_max_age_days, 1, 3650,
                 rule_set.IsDisabled(Rule::kRegistration), "register_check_max_age_days",
                 "REGISTRATION", violations);
  std::set<int> seen_reasons;
  for (size_t i = 0; i < rule_set.cooling_off_exempt_reasons.size(); ++i) {
    const int reason = static_cast<int>(rule_set.cooling_off_exempt_reasons[i]);
    const std::string path = absl::StrCat("cooling_off_exempt_reasons[", i, "]");
    if (reason <= 0 || reason > kMaxLeavingReason) {
      violations->Add(path, "must be a leaving reason");
    } else if (!seen_reasons.insert(reason).second) {
      violations->Add(path, "is listed twice");
    }
  }
}

std::optional<RuleSet> SelectInForce(const std::vector<RuleSet>& versions, absl::CivilDay day) {
  const RuleSet* best = nullptr;
  for (const RuleSet& v : versions) {
    if (v.effective_from > day) continue;
    if (best == nullptr || v.effective_from > best->effective_from) best = &v;
  }
  if (best == nullptr) return std::nullopt;
  return *best;
}

}  // namespace slihub::workforce
