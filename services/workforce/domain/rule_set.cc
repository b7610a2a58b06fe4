#include "services/workforce/domain/rule_set.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"

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

void CheckRange(int value, int low, int high, const char* field, FieldViolations* violations) {
  if (value < low || value > high) {
    violations->Add(field, absl::StrCat("must be between ", low, " and ", high, ", not ", value));
  }
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
    if (cap.hourly_cap_pence <= 0) {
      violations->Add(absl::StrCat(path, ".hourly_cap.pence"), "must be positive");
    } else if (cap.hourly_cap_pence > 100000) {
      violations->Add(absl::StrCat(path, ".hourly_cap.pence"),
                      "must be at most 100000 (1,000 pounds an hour)");
    }
    if (!seen_caps.insert({job, model}).second) {
      violations->Add(path, absl::StrCat("duplicates the cap for ", JobTypeLabel(cap.job_type),
                                         " under ", EngagementModelLabel(cap.engagement_model)));
    }
  }
  CheckRange(rule_set.cooling_off_months, 0, 60, "cooling_off_months", violations);
  CheckRange(rule_set.min_experience_months, 0, 600, "min_experience_months", violations);
  CheckRange(rule_set.references_required, 0, 20, "references_required", violations);
  CheckRange(rule_set.max_notice_weeks, 1, 52, "max_notice_weeks", violations);
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
  if (rule_set.source.size() > 500) violations->Add("source", "must be at most 500 characters");
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
