// CheckEngagement's rules: a pure function from proposed terms, the rule set in force, the LA's
// notice, and the worker's history to one result per rule and a verdict.
#ifndef SLIHUB_SERVICES_WORKFORCE_DOMAIN_ENGAGEMENT_CHECK_H_
#define SLIHUB_SERVICES_WORKFORCE_DOMAIN_ENGAGEMENT_CHECK_H_

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "absl/time/civil_time.h"
#include "services/workforce/domain/history.h"
#include "services/workforce/domain/rule_set.h"
#include "services/workforce/domain/types.h"

namespace slihub::workforce {

// One reference received. Plain data.
struct Reference {
  ReferenceSource source = ReferenceSource::kUnspecified;
  std::string referee_la;
  bool practice_based = false;
  bool national_template = false;
  std::optional<absl::CivilDay> received_on;  // nullopt: received, date not stated
};

// What an LA states about a project-team engagement. Plain data.
struct ProjectTeamFacts {
  bool is_project_team = false;
  std::string project_name;
  bool workers_identified_and_approved = false;
  bool costs_per_worker = false;
  bool la_controls_practice = false;
};

// Proposed engagement terms, already validated and with the job type resolved. Plain data.
struct EngagementTerms {
  std::string swe_number;
  std::string la_code;
  JobType job_type = JobType::kUnspecified;
  // The LA's own title when given instead of job_type (resolved before the rules run).
  std::string local_job_title;
  EngagementModel engagement_model = EngagementModel::kUnspecified;
  absl::CivilDay start_date;
  std::optional<absl::CivilDay> expected_end_date;
  int64_t hourly_pay_rate_pence = 0;
  int64_t hourly_charge_rate_pence = 0;
  int contracted_minutes_per_week = 0;
  std::optional<int> notice_weeks;  // nullopt: not stated
  std::vector<Reference> references;
  ProjectTeamFacts project_team;
  std::string agency_name;
};

// Everything a check reads besides the terms. The references are not owned.
struct CheckInputs {
  absl::CivilDay evaluated_on;  // the start date, or the what-if date
  std::string region;           // the engaging LA's region
  const RuleSet* rule_set = nullptr;  // the version in force on evaluated_on; required
  // The LA's permanent-staff notice for the job type, when its policy states one.
  std::optional<int> la_permanent_notice_weeks;
  int64_t la_policy_version = 0;
  const std::vector<EmploymentPeriod>* history = nullptr;     // the worker's periods, any order
  const std::vector<RegisterCheck>* register_checks = nullptr;  // any order
  // A national check: the regions whose facts are missing (their hubs did not answer and nothing
  // usable was cached), in code order. A rule whose facts fall short while a missing region could
  // hold the rest is INCONCLUSIVE naming them (the registration rule is INCONCLUSIVE when no
  // current check was found, and otherwise decides on the current check found, naming them as
  // not seen). Empty for an own-region check.
  std::vector<std::string> missing_regions;
};

// The pay cap rule's figures.
struct PayCapDetails {
  std::optional<int64_t> cap_pence;
  std::string region;
  JobType job_type = JobType::kUnspecified;
  EngagementModel engagement_model = EngagementModel::kUnspecified;
  int64_t rule_set_version = 0;
  absl::CivilDay rule_set_effective_from;
  int64_t rate_pence = 0;
  int64_t excess_pence = 0;
};

// The cooling-off rule's figures.
struct CoolingOffDetails {
  int cooling_off_months = 0;
  std::optional<EmploymentPeriod> last_permanent;  // in the region, ended before evaluated_on
  std::optional<absl::CivilDay> earliest_allowed_start;
  LeavingReason exempt_by = LeavingReason::kUnspecified;
  int other_region_posts_ignored = 0;
};

// The experience rule's figures.
struct ExperienceDetails {
  int required_months = 0;
  int counted_months = 0;
  int counted_days = 0;
  std::vector<EmploymentPeriod> periods_used;  // in start date order
  int periods_excluded = 0;
};

// The references rule's figures.
struct ReferencesDetails {
  int required = 0;
  int practice_based_count = 0;
  bool national_template_present = false;
  int undated_count = 0;  // practice-based references without a received date (not counted)
};

// The notice rule's figures.
struct NoticeDetails {
  int proposed_weeks = 0;  // 0 when not stated
  int rule_max_weeks = 0;
  int la_permanent_notice_weeks = 0;  // 0 when the LA has none on record
  int allowed_max_weeks = 0;
  int64_t la_policy_version = 0;
};

// The project team rule's figures (the facts as stated).
struct ProjectTeamDetails {
  bool is_project_team = false;
  bool workers_identified_and_approved = false;
  bool costs_per_worker = false;
  bool la_controls_practice = false;
};

// The registration rule's figures.
struct RegistrationDetails {
  // The latest check on or before evaluated_on that counts for the engaging LA.
  std::optional<RegisterCheck> register_check;
  int max_age_days = 0;
  // Later checks by other LAs that found a sanction: shown, never deciding.
  std::vector<RegisterCheck> unconfirmed_checks;
};

// One rule's outcome, explanation and figures (the alternative matching `rule`).
struct RuleResult {
  Rule rule = Rule::kUnspecified;
  RuleOutcome outcome = RuleOutcome::kUnspecified;
  std::string explanation;
  std::string exception_id;  // for a FAIL covered by an approved exception
  std::variant<PayCapDetails, CoolingOffDetails, ExperienceDetails, ReferencesDetails,
               NoticeDetails, ProjectTeamDetails, RegistrationDetails>
      details;
};

// A whole check: one result per rule in Rule order, and the verdict.
struct CheckResult {
  Verdict verdict = Verdict::kUnspecified;
  std::vector<RuleResult> results;
  absl::CivilDay evaluated_on;
  std::string region;
  int64_t rule_set_version = 0;
  JobType job_type = JobType::kUnspecified;
};

// Evaluates every rule. Deterministic: the same arguments always give the same result.
// A rule listed in the rule set's disabled_rules is NOT_APPLICABLE; a rule whose deciding fact
// is missing (in the terms, the history or the rule set) is INCOMPLETE, naming it; the experience
// rule short of its minimum, and the registration rule without a check within its maximum age,
// while inputs.missing_regions is not empty are INCONCLUSIVE, naming them.
// The verdict: NON_COMPLIANT when a rule fails, else INCOMPLETE when one is, else INCONCLUSIVE when
// one is, else COMPLIANT. `inputs.rule_set`,
// `inputs.history` and `inputs.register_checks` must be non-null.
CheckResult EvaluateEngagement(const EngagementTerms& terms, const CheckInputs& inputs);

// The individual rules, exposed for tests; EvaluateEngagement calls each once.
RuleResult EvaluatePayCap(const EngagementTerms& terms, const CheckInputs& inputs);
RuleResult EvaluateCoolingOff(const EngagementTerms& terms, const CheckInputs& inputs);
RuleResult EvaluateExperience(const EngagementTerms& terms, const CheckInputs& inputs);
RuleResult EvaluateReferences(const EngagementTerms& terms, const CheckInputs& inputs);
RuleResult EvaluateNotice(const EngagementTerms& terms, const CheckInputs& inputs);
RuleResult EvaluateProjectTeam(const EngagementTerms& terms, const CheckInputs& inputs);
RuleResult EvaluateRegistration(const EngagementTerms& terms, const CheckInputs& inputs);

// The verdict of `results` before exceptions: NON_COMPLIANT when one failed, else INCOMPLETE
// when one is incomplete, else INCONCLUSIVE when one is inconclusive, else COMPLIANT.
Verdict VerdictOf(const std::vector<RuleResult>& results);

// "£41.50": pence as pounds and pence, for explanations.
std::string FormatPence(int64_t pence);

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_DOMAIN_ENGAGEMENT_CHECK_H_
