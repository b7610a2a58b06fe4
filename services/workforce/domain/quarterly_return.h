// The quarterly DfE agency return and the regional compliance summary: pure calculations over
// stored engagements (which rules they passed, what they cost) for a date range.
#ifndef SLIHUB_SERVICES_WORKFORCE_DOMAIN_QUARTERLY_RETURN_H_
#define SLIHUB_SERVICES_WORKFORCE_DOMAIN_QUARTERLY_RETURN_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "services/workforce/domain/types.h"

namespace slihub::workforce {

// A closed range of days, first..last inclusive. Plain data.
struct DayRange {
  absl::CivilDay first;
  absl::CivilDay last;
};

// The days of calendar quarter `quarter` (1 = January to March) of `year`. InvalidArgument
// outside 1..4 or years 2000..2100.
absl::StatusOr<DayRange> QuarterRange(int year, int quarter);

// One rule's outcome on a stored engagement. Plain data.
struct RuleVerdict {
  Rule rule = Rule::kUnspecified;
  RuleOutcome outcome = RuleOutcome::kUnspecified;
  bool covered_by_exception = false;
};

// One stored engagement as the return reads it. Plain data.
struct Assignment {
  std::string engagement_id;
  std::string la_code;
  std::string swe_number;
  JobType job_type = JobType::kUnspecified;
  EngagementModel engagement_model = EngagementModel::kUnspecified;
  int64_t hourly_pay_rate_pence = 0;
  int64_t hourly_charge_rate_pence = 0;  // 0 when unknown
  int contracted_minutes_per_week = 0;   // 0 when unknown
  absl::CivilDay start_date;
  std::optional<absl::CivilDay> end_date;  // nullopt while continuing
  bool project_team = false;
  std::string agency_name;
  Verdict verdict = Verdict::kUnspecified;
  std::vector<RuleVerdict> rules;  // one per rule, in Rule order
  bool approved_cap_breach = false;  // pay cap failed and an approved exception covered it
};

// True when `a` was engaged on at least one day of `range`.
bool ActiveDuring(const Assignment& a, const DayRange& range);
// True when `a` was engaged on `day`.
bool ActiveOn(const Assignment& a, absl::CivilDay day);

// Agency cost of `a` over the days of `range` it was engaged: hourly charge times contracted
// hours per week times days / 7, in pence rounded half up. nullopt when the charge rate or the
// contracted hours are unknown (0).
std::optional<int64_t> AgencyCost(const Assignment& a, const DayRange& range);

// Compliance with one rule across assignments. Plain data.
struct RuleTally {
  Rule rule = Rule::kUnspecified;
  int passed = 0;
  int failed = 0;
  int not_applicable = 0;
  int exempt = 0;
  int covered_by_exception = 0;  // a subset of failed
  std::string explanation;       // generated, one sentence
};

// One tally per rule (Rule order) over `assignments`, each with a generated explanation.
std::vector<RuleTally> TallyRules(const std::vector<Assignment>& assignments);

// Agency cost for one calendar month. Plain data.
struct MonthCost {
  int year = 0;
  int month = 0;
  int64_t cost_pence = 0;
  int assignments_without_hours = 0;  // active in the month but cost unknown
};

// One entry per calendar month touching `range`, restricted to the range's days.
std::vector<MonthCost> MonthlyCosts(const std::vector<Assignment>& assignments,
                                    const DayRange& range);

// An agency and how many assignments it supplied. Plain data.
struct AgencyCount {
  std::string agency_name;  // "(not stated)" when the terms named none
  int assignments = 0;
};

// Agencies of `assignments`, by name.
std::vector<AgencyCount> CountAgencies(const std::vector<Assignment>& assignments);

// One LA's compliance over a period. Plain data.
struct LaCompliance {
  int active_agency_workers = 0;  // distinct workers engaged on range.last
  int compliant_workers = 0;      // of those, every active engagement COMPLIANT
  int share_compliant_bp = 0;     // basis points; 0 when none active
  int rule_breaches = 0;          // failed rules on engagements active during the range
  int cap_breaches = 0;           // approved cap breaches on engagements starting in the range
  int64_t agency_spend_pence = 0;  // cost over the range (unknown hours count nothing)
};

// The LA figures for `assignments` (one LA's) over `range`.
LaCompliance SummariseCompliance(const std::vector<Assignment>& assignments,
                                 const DayRange& range);
// Sums LA figures into a region total (share recomputed from the sums).
LaCompliance AddCompliance(const LaCompliance& a, const LaCompliance& b);

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_DOMAIN_QUARTERLY_RETURN_H_
