#include "services/workforce/domain/quarterly_return.h"

#include <algorithm>
#include <map>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace slihub::workforce {
namespace {

// The overlap of `a`'s engaged days with `range`, or nullopt when none.
std::optional<DayRange> Overlap(const Assignment& a, const DayRange& range) {
  const absl::CivilDay first = std::max(a.start_date, range.first);
  const absl::CivilDay last = a.end_date.has_value() ? std::min(*a.end_date, range.last)
                                                     : range.last;
  if (last < first) return std::nullopt;
  return DayRange{first, last};
}

absl::CivilDay MonthEnd(absl::CivilMonth month) { return absl::CivilDay(month + 1) - 1; }

}  // namespace

absl::StatusOr<DayRange> QuarterRange(int year, int quarter) {
  if (quarter < 1 || quarter > 4) return absl::InvalidArgumentError("quarter must be 1 to 4");
  if (year < 2000 || year > 2100) return absl::InvalidArgumentError("year must be 2000 to 2100");
  const absl::CivilMonth first(year, 3 * (quarter - 1) + 1);
  return DayRange{absl::CivilDay(first), MonthEnd(first + 2)};
}

bool ActiveDuring(const Assignment& a, const DayRange& range) {
  return Overlap(a, range).has_value();
}

bool ActiveOn(const Assignment& a, absl::CivilDay day) { return ActiveDuring(a, {day, day}); }

std::optional<int64_t> AgencyCost(const Assignment& a, const DayRange& range) {
  if (a.hourly_charge_rate_pence <= 0 || a.contracted_minutes_per_week <= 0) return std::nullopt;
  const std::optional<DayRange> days = Overlap(a, range);
  if (!days.has_value()) return 0;
  const int64_t n = (days->last - days->first) + 1;
  // pence/hour * minutes/week * days / (60 minutes * 7 days), rounded half up.
  const int64_t numerator = a.hourly_charge_rate_pence * a.contracted_minutes_per_week * n;
  return (2 * numerator + 420) / 840;
}

std::vector<RuleTally> TallyRules(const std::vector<Assignment>& assignments) {
  std::vector<RuleTally> out;
  for (int r = 1; r <= kMaxRule; ++r) {
    RuleTally t;
    t.rule = static_cast<Rule>(r);
    for (const Assignment& a : assignments) {
      for (const RuleVerdict& v : a.rules) {
        if (v.rule != t.rule) continue;
        switch (v.outcome) {
          case RuleOutcome::kPass: ++t.passed; break;
          case RuleOutcome::kIncomplete:  // the register refuses these; not met if one appears
          case RuleOutcome::kInconclusive:  // (national checks only; never stored)
          case RuleOutcome::kFail:
            ++t.failed;
            if (v.covered_by_exception) ++t.covered_by_exception;
            break;
          case RuleOutcome::kNotApplicable: ++t.not_applicable; break;
          case RuleOutcome::kExempt: ++t.exempt; break;
          case RuleOutcome::kUnspecified: break;
        }
      }
    }
    const int total = t.passed + t.failed + t.not_applicable + t.exempt;
    if (total == 0) {
      t.explanation = "No agency assignments in the period.";
    } else {
      t.explanation = absl::StrCat(t.passed, " of ", total, " assignments passed; ", t.failed,
                                   " failed (", t.covered_by_exception,
                                   " under an exception approved by the DCS and the Chief "
                                   "Executive); ",
                                   t.exempt, " exempt; ", t.not_applicable, " not applicable.");
    }
    out.push_back(std::move(t));
  }
  return out;
}

std::vector<MonthCost> MonthlyCosts(const std::vector<Assignment>& assignments,
                                    const DayRange& range) {
  std::vector<MonthCost> out;
  for (absl::CivilMonth m(range.first); m <= absl::CivilMonth(range.last); ++m) {
    const DayRange days{std::max(absl::CivilDay(m), range.first),
                        std::min(MonthEnd(m), range.last)};
    MonthCost cost;
    cost.year = static_cast<int>(m.year());
    cost.month = m.month();
    for (const Assignment& a : assignments) {
      if (!ActiveDuring(a, days)) continue;
      const std::optional<int64_t> c = AgencyCost(a, days);
      if (c.has_value()) {
        cost.cost_pence += *c;
      } else {
        ++cost.assignments_without_hours;
      }
    }
    out.push_back(cost);
  }
  return out;
}

std::vector<AgencyCount> CountAgencies(const std::vector<Assignment>& assignments) {
  std::map<std::string, int> counts;
  for (const Assignment& a : assignments) {
    ++counts[a.agency_name.empty() ? "(not stated)" : a.agency_name];
  }
  std::vector<AgencyCount> out;
  for (const auto& [name, n] : counts) out.push_back({name, n});
  return out;
}

LaCompliance SummariseCompliance(const std::vector<Assignment>& assignments,
                                 const DayRange& range) {
  LaCompliance out;
  std::map<std::string, bool> active;  // worker -> every active engagement compliant
  for (const Assignment& a : assignments) {
    if (!ActiveDuring(a, range)) continue;
    for (const RuleVerdict& v : a.rules) out.rule_breaches += v.outcome == RuleOutcome::kFail;
    if (a.approved_cap_breach && a.start_date >= range.first && a.start_date <= range.last) {
      ++out.cap_breaches;
    }
    out.agency_spend_pence += AgencyCost(a, range).value_or(0);
    if (ActiveOn(a, range.last)) {
      auto [it, inserted] = active.emplace(a.swe_number, true);
      it->second = it->second && a.verdict == Verdict::kCompliant;
    }
  }
  out.active_agency_workers = static_cast<int>(active.size());
  for (const auto& [worker, compliant] : active) out.compliant_workers += compliant;
  return AddCompliance(out, LaCompliance());
}

LaCompliance AddCompliance(const LaCompliance& a, const LaCompliance& b) {
  LaCompliance out;
  out.active_agency_workers = a.active_agency_workers + b.active_agency_workers;
  out.compliant_workers = a.compliant_workers + b.compliant_workers;
  out.share_compliant_bp =
      out.active_agency_workers == 0
          ? 0
          : static_cast<int>(int64_t{10000} * out.compliant_workers / out.active_agency_workers);
  out.rule_breaches = a.rule_breaches + b.rule_breaches;
  out.cap_breaches = a.cap_breaches + b.cap_breaches;
  out.agency_spend_pence = a.agency_spend_pence + b.agency_spend_pence;
  return out;
}

}  // namespace slihub::workforce
