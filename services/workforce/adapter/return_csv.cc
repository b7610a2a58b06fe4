#include "services/workforce/adapter/return_csv.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "common/base/civil_date.h"
#include "common/base/csv_writer.h"
#include "services/workforce/domain/types.h"

namespace slihub::workforce {
namespace {

namespace pb = ::slihub::workforce::v1;

const char* VerdictLabel(Verdict v) {
  switch (v) {
    case Verdict::kCompliant: return "compliant";
    case Verdict::kCoveredByException: return "covered by exception";
    case Verdict::kNonCompliant: return "non-compliant";
    case Verdict::kIncomplete: return "incomplete";
    case Verdict::kInconclusive: return "inconclusive";
    case Verdict::kUnspecified: break;
  }
  return "unspecified";
}

std::string Day(const slihub::common::v1::CivilDate& d) {
  return FormatCivilDate(absl::CivilDay(d.year(), d.month(), d.day()));
}

}  // namespace

std::string AssignmentsCsv(const pb::QuarterlyReturn& r) {
  CsvWriter csv;
  csv.AddRow({"la_code", "year", "quarter", "engagement_id", "swe_number", "job_type",
              "engagement_model", "hourly_pay_rate_pence", "start_date", "end_date",
              "project_team", "agency_name", "verdict"});
  const std::string year = absl::StrCat(r.quarter().year());
  const std::string quarter = absl::StrCat(r.quarter().quarter());
  for (const pb::AssignmentRow& a : r.assignments()) {
    csv.AddRow({r.la_code().value(), year, quarter, a.engagement_id(), a.swe_number(),
                JobTypeLabel(static_cast<JobType>(a.job_type())),
                EngagementModelLabel(static_cast<EngagementModel>(a.engagement_model())),
                absl::StrCat(a.hourly_pay_rate().pence()), Day(a.start_date()),
                a.has_end_date() ? Day(a.end_date()) : std::string(),
                a.project_team() ? "yes" : "no", a.agency_name(),
                VerdictLabel(static_cast<Verdict>(a.verdict()))});
  }
  return csv.Release();
}

std::string SummaryCsv(const pb::QuarterlyReturn& r) {
  CsvWriter csv;
  csv.AddRow({"la_code", "year", "quarter", "section", "name", "metric", "value"});
  const std::string year = absl::StrCat(r.quarter().year());
  const std::string quarter = absl::StrCat(r.quarter().quarter());
  auto line = [&](absl::string_view section, absl::string_view name, absl::string_view metric,
                  absl::string_view value) {
    csv.AddRow({r.la_code().value(), year, quarter, section, name, metric, value});
  };
  const pb::ReturnSummary& s = r.summary();
  for (const pb::RuleCompliance& c : s.rule_compliance()) {
    const std::string name = RuleName(static_cast<Rule>(c.rule()));
    line("rule", name, "passed", absl::StrCat(c.passed()));
    line("rule", name, "failed", absl::StrCat(c.failed()));
    line("rule", name, "covered_by_exception", absl::StrCat(c.covered_by_exception()));
    line("rule", name, "exempt", absl::StrCat(c.exempt()));
    line("rule", name, "not_applicable", absl::StrCat(c.not_applicable()));
    for (const std::string& e : c.explanations()) line("rule", name, "explanation", e);
  }
  for (const pb::CapBreach& b : s.cap_breaches()) {
    line("cap_breach", b.engagement_id(), "swe_number", b.swe_number());
    line("cap_breach", b.engagement_id(), "cap_pence", absl::StrCat(b.cap().pence()));
    line("cap_breach", b.engagement_id(), "hourly_pay_rate_pence",
         absl::StrCat(b.hourly_pay_rate().pence()));
    line("cap_breach", b.engagement_id(), "excess_pence", absl::StrCat(b.excess().pence()));
    for (const pb::ExceptionApproval& a : b.approvals()) {
      line("cap_breach", b.engagement_id(),
           a.capacity() == pb::APPROVER_CAPACITY_DCS ? "signed_off_by_dcs"
                                                     : "signed_off_by_chief_executive",
           a.approver());
    }
  }
  for (const pb::AgencyInvolvement& a : s.agencies()) {
    line("agency", a.agency_name(), "assignments", absl::StrCat(a.assignments()));
  }
  for (const pb::AgencyConcern& c : s.agency_concerns()) {
    line("agency_concern", c.agency_name(), "concern", c.concern());
  }
  for (const pb::MonthlyAgencyCost& m : s.monthly_costs()) {
    const std::string month = absl::StrFormat("%04d-%02d", m.year(), m.month());
    line("monthly_cost", month, "cost_pence", absl::StrCat(m.cost().pence()));
    line("monthly_cost", month, "assignments_without_hours",
         absl::StrCat(m.assignments_without_hours()));
  }
  return csv.Release();
}

}  // namespace slihub::workforce
