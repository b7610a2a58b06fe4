#include "services/workforce/domain/engagement_check.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "common/base/civil_date.h"
#include "common/base/england_time.h"
#include "services/workforce/domain/experience.h"

namespace slihub::workforce {
namespace {

RuleResult Disabled(Rule rule, RuleResult result) {
  result.rule = rule;
  result.outcome = RuleOutcome::kNotApplicable;
  result.explanation = "The rule set in force does not apply this rule.";
  return result;
}

RuleResult Incomplete(RuleResult result, std::string explanation) {
  result.outcome = RuleOutcome::kIncomplete;
  result.explanation = std::move(explanation);
  return result;
}

// A rule set parameter left unset in a version published before publishing required it.
std::string UnsetParameter(const RuleSet& rules, const std::string& region, const char* field) {
  return absl::StrCat("Incomplete: the ", region, " rule set version ", rules.version,
                      " does not set ", field, "; publish a version that does (or disables "
                      "the rule).");
}

}  // namespace

std::string FormatPence(int64_t pence) {
  const char* sign = pence < 0 ? "-" : "";
  const int64_t abs = pence < 0 ? -pence : pence;
  return absl::StrFormat("%s\xC2\xA3%d.%02d", sign, abs / 100, abs % 100);
}

RuleResult EvaluatePayCap(const EngagementTerms& terms, const CheckInputs& inputs) {
  const RuleSet& rules = *inputs.rule_set;
  RuleResult result;
  result.rule = Rule::kPayCap;
  PayCapDetails d;
  d.region = inputs.region;
  d.job_type = terms.job_type;
  d.engagement_model = terms.engagement_model;
  d.rule_set_version = rules.version;
  d.rule_set_effective_from = rules.effective_from;
  d.rate_pence = terms.hourly_pay_rate_pence;
  result.details = d;
  if (rules.IsDisabled(Rule::kPayCap)) return Disabled(Rule::kPayCap, std::move(result));
  const PayCap* cap = rules.FindCap(terms.job_type, terms.engagement_model);
  if (cap == nullptr) {
    return Incomplete(
        std::move(result),
        absl::StrCat("Incomplete: the ", inputs.region, " rule set version ", rules.version,
                     " neither caps nor marks uncapped a ", JobTypeLabel(terms.job_type),
                     " engaged through ", EngagementModelLabel(terms.engagement_model),
                     "; publish a version that does."));
  }
  if (cap->uncapped) {
    result.outcome = RuleOutcome::kNotApplicable;
    result.explanation =
        absl::StrCat("The ", inputs.region, " rule set version ", rules.version,
                     " does not cap a ", JobTypeLabel(terms.job_type), " engaged through ",
                     EngagementModelLabel(terms.engagement_model), ".");
    return result;
  }
  d.cap_pence = cap->hourly_cap_pence;
  d.excess_pence = std::max<int64_t>(0, terms.hourly_pay_rate_pence - cap->hourly_cap_pence);
  const std::string cap_text =
      absl::StrCat("the ", inputs.region, " cap of ", FormatPence(cap->hourly_cap_pence),
                   "/h for a ", JobTypeLabel(terms.job_type), " (",
                   EngagementModelLabel(terms.engagement_model), ", rule set version ",
                   rules.version, ")");
  if (d.excess_pence > 0) {
    result.outcome = RuleOutcome::kFail;
    result.explanation = absl::StrCat("Pay of ", FormatPence(terms.hourly_pay_rate_pence),
                                      "/h exceeds ", cap_text, " by ",
                                      FormatPence(d.excess_pence), ".");
  } else {
    result.outcome = RuleOutcome::kPass;
    result.explanation = absl::StrCat("Pay of ", FormatPence(terms.hourly_pay_rate_pence),
                                      "/h is within ", cap_text, ".");
  }
  result.details = d;
  return result;
}

RuleResult EvaluateCoolingOff(const EngagementTerms& terms, const CheckInputs& inputs) {
  const RuleSet& rules = *inputs.rule_set;
  RuleResult result;
  result.rule = Rule::kCoolingOff;
  CoolingOffDetails d;
  d.cooling_off_months = rules.cooling_off_months;
  const EmploymentPeriod* last = nullptr;
  for (const EmploymentPeriod& p : *inputs.history) {
    if (p.employment_type != EmploymentType::kPermanent || !p.end_date.has_value() ||
        *p.end_date >= inputs.evaluated_on) {
      continue;
    }
    if (p.region != inputs.region) {
      ++d.other_region_posts_ignored;
      continue;
    }
    // The latest leaving date decides; on a tie a non-exempt reason wins (the stricter reading),
    // then the record id keeps the choice deterministic.
    if (last == nullptr || *p.end_date > *last->end_date) {
      last = &p;
    } else if (*p.end_date == *last->end_date) {
      const bool p_exempt = rules.IsCoolingOffExempt(p.leaving_reason);
      const bool last_exempt = rules.IsCoolingOffExempt(last->leaving_reason);
      if ((last_exempt && !p_exempt) ||
          (p_exempt == last_exempt &&
           std::tie(p.la_code, p.record_id) < std::tie(last->la_code, last->record_id))) {
        last = &p;
      }
    }
  }
  if (last != nullptr) d.last_permanent = *last;
  if (rules.IsDisabled(Rule::kCoolingOff)) {
    result.details = d;
    return Disabled(Rule::kCoolingOff, std::move(result));
  }
  if (rules.cooling_off_months <= 0) {
    result.details = d;
    return Incomplete(std::move(result),
                      UnsetParameter(rules, inputs.region, "cooling_off_months"));
  }
  if (last == nullptr) {
    result.outcome = RuleOutcome::kPass;
    result.explanation = absl::StrCat("No permanent post in the ", inputs.region,
                                      " region ended before ",
                                      FormatCivilDate(inputs.evaluated_on), ".");
    if (d.other_region_posts_ignored > 0) {
      absl::StrAppend(&result.explanation, " ", d.other_region_posts_ignored,
                      " permanent post(s) in other regions do not count.");
    }
    result.details = d;
    return result;
  }
  const std::string left =
      absl::StrCat("The last permanent post in the ", inputs.region, " region (LA ",
                   last->la_code, ") ended on ", FormatCivilDate(*last->end_date), " by ",
                   LeavingReasonLabel(last->leaving_reason));
  if (rules.IsCoolingOffExempt(last->leaving_reason)) {
    d.exempt_by = last->leaving_reason;
    result.outcome = RuleOutcome::kExempt;
    result.explanation = absl::StrCat(left, ", which exempts the worker from cooling off.");
    result.details = d;
    return result;
  }
  const absl::CivilDay earliest = AddMonthsClamped(*last->end_date, rules.cooling_off_months);
  d.earliest_allowed_start = earliest;
  if (inputs.evaluated_on >= earliest) {
    result.outcome = RuleOutcome::kPass;
    result.explanation = absl::StrCat(left, "; the ", rules.cooling_off_months,
                                      "-month cooling-off period ended, agency work allowed "
                                      "from ", FormatCivilDate(earliest), ".");
  } else {
    result.outcome = RuleOutcome::kFail;
    result.explanation = absl::StrCat(left, "; the ", rules.cooling_off_months,
                                      "-month cooling-off period allows agency work in the "
                                      "region from ", FormatCivilDate(earliest), ", not ",
                                      FormatCivilDate(inputs.evaluated_on), ".");
  }
  result.details = d;
  return result;
}

RuleResult EvaluateExperience(const EngagementTerms& terms, const CheckInputs& inputs) {
  const RuleSet& rules = *inputs.rule_set;
  RuleResult result;
  result.rule = Rule::kExperience;
  ExperienceDetails d;
  d.required_months = rules.min_experience_months;
  std::vector<DaySpan> spans;
  spans.reserve(inputs.history->size());
  std::vector<const EmploymentPeriod*> used;  // sorted as pointers, copied once in order
  used.reserve(inputs.history->size());
  const absl::CivilDay last_day = inputs.evaluated_on - 1;  // experience gained before the start
  for (const EmploymentPeriod& p : *inputs.history) {
    if (p.start_date > last_day) continue;
    if (!p.IsQualifying()) {
      ++d.periods_excluded;
      continue;
    }
    const absl::CivilDay end =
        p.end_date.has_value() ? std::min(*p.end_date, last_day) : last_day;
    spans.push_back({p.start_date, end});
    used.push_back(&p);
  }
  std::sort(used.begin(), used.end(), [](const EmploymentPeriod* a, const EmploymentPeriod* b) {
    return std::tie(a->start_date, a->la_code, a->record_id) <
           std::tie(b->start_date, b->la_code, b->record_id);
  });
  d.periods_used.reserve(used.size());
  for (const EmploymentPeriod* p : used) d.periods_used.push_back(*p);
  const ExperienceCount count = CountExperience(std::move(spans));
  d.counted_days = count.days;
  d.counted_months = count.months;
  const size_t periods_used = d.periods_used.size();
  result.details = std::move(d);
  if (rules.IsDisabled(Rule::kExperience)) return Disabled(Rule::kExperience, std::move(result));
  if (rules.min_experience_months <= 0) {
    return Incomplete(std::move(result),
                      UnsetParameter(rules, inputs.region, "min_experience_months"));
  }
  const std::string counted = absl::StrCat(
      count.months, " month(s) (", count.days, " days) of direct English LA child-and-family "
      "employment before ", FormatCivilDate(inputs.evaluated_on), " from ", periods_used,
      " period(s)");
  if (count.months >= rules.min_experience_months) {
    result.outcome = RuleOutcome::kPass;
    result.explanation =
        absl::StrCat(counted, " meet the minimum of ", rules.min_experience_months, ".");
  } else if (!inputs.missing_regions.empty()) {
    // Periods can only add months: what a silent region holds could make up the shortfall.
    result.outcome = RuleOutcome::kInconclusive;
    result.explanation = absl::StrCat(
        "Inconclusive: ", counted, " fall short of the minimum of ", rules.min_experience_months,
        ", and no answer came from ", absl::StrJoin(inputs.missing_regions, ", "),
        ", whose periods could make up the rest; check again when ",
        inputs.missing_regions.size() == 1 ? "that region answers." : "those regions answer.");
  } else {
    result.outcome = RuleOutcome::kFail;
    result.explanation =
        absl::StrCat(counted, " fall short of the minimum of ", rules.min_experience_months,
                     "; agency and other non-direct work does not count.");
  }
  return result;
}

RuleResult EvaluateReferences(const EngagementTerms& terms, const CheckInputs& inputs) {
  const RuleSet& rules = *inputs.rule_set;
  RuleResult result;
  result.rule = Rule::kReferences;
  ReferencesDetails d;
  d.required = rules.references_required;
  for (const Reference& r : terms.references) {
    if (!r.received_on.has_value()) {
      if (r.practice_based) ++d.undated_count;
      continue;  // a reference is counted only once its received date is known
    }
    if (*r.received_on > inputs.evaluated_on) continue;
    if (r.practice_based) ++d.practice_based_count;
    if (r.national_template) d.national_template_present = true;
  }
  result.details = d;
  if (rules.IsDisabled(Rule::kReferences)) return Disabled(Rule::kReferences, std::move(result));
  if (rules.references_required <= 0) {
    return Incomplete(std::move(result),
                      UnsetParameter(rules, inputs.region, "references_required"));
  }
  const std::string counted =
      absl::StrCat(d.practice_based_count, " practice-based reference(s) received by ",
                   FormatCivilDate(inputs.evaluated_on), "; ", d.required, " required");
  const std::string tail = d.national_template_present ? "; one is on the national template."
                                                       : "; none is on the national template.";
  if (d.practice_based_count >= d.required) {
    result.outcome = RuleOutcome::kPass;
    result.explanation = absl::StrCat(counted, tail);
  } else if (d.practice_based_count + d.undated_count >= d.required) {
    result.outcome = RuleOutcome::kIncomplete;
    result.explanation =
        absl::StrCat("Incomplete: ", counted, "; ", d.undated_count,
                     " practice-based reference(s) have no received date: state when each was "
                     "received.");
  } else {
    result.outcome = RuleOutcome::kFail;
    result.explanation = absl::StrCat(counted, tail);
  }
  return result;
}

RuleResult EvaluateNotice(const EngagementTerms& terms, const CheckInputs& inputs) {
  const RuleSet& rules = *inputs.rule_set;
  RuleResult result;
  result.rule = Rule::kNotice;
  NoticeDetails d;
  d.proposed_weeks = terms.notice_weeks.value_or(0);
  d.rule_max_weeks = rules.max_notice_weeks;
  d.la_policy_version = inputs.la_policy_version;
  d.allowed_max_weeks = rules.max_notice_weeks;
  if (inputs.la_permanent_notice_weeks.has_value() && *inputs.la_permanent_notice_weeks > 0) {
    d.la_permanent_notice_weeks = *inputs.la_permanent_notice_weeks;
    d.allowed_max_weeks = std::min(d.allowed_max_weeks, d.la_permanent_notice_weeks);
  }
  result.details = d;
  if (rules.IsDisabled(Rule::kNotice)) return Disabled(Rule::kNotice, std::move(result));
  if (rules.max_notice_weeks <= 0) {
    return Incomplete(std::move(result), UnsetParameter(rules, inputs.region, "max_notice_weeks"));
  }
  if (!terms.notice_weeks.has_value()) {
    return Incomplete(std::move(result),
                      "Incomplete: the terms do not state the notice period (notice_weeks); "
                      "state it, 0 for none.");
  }
  const int notice = *terms.notice_weeks;
  std::string basis = absl::StrCat("the allowed maximum of ", d.allowed_max_weeks, " week(s)");
  if (d.la_permanent_notice_weeks > 0 && d.la_permanent_notice_weeks < d.rule_max_weeks) {
    absl::StrAppend(&basis, " (the LA's permanent notice for the role, shorter than the rule's ",
                    d.rule_max_weeks, ")");
  }
  if (notice <= d.allowed_max_weeks) {
    result.outcome = RuleOutcome::kPass;
    result.explanation = absl::StrCat("Notice of ", notice, " week(s) is within ", basis, ".");
  } else {
    result.outcome = RuleOutcome::kFail;
    result.explanation = absl::StrCat("Notice of ", notice, " week(s) exceeds ", basis, ".");
  }
  return result;
}

RuleResult EvaluateProjectTeam(const EngagementTerms& terms, const CheckInputs& inputs) {
  RuleResult result;
  result.rule = Rule::kProjectTeam;
  const ProjectTeamFacts& f = terms.project_team;
  ProjectTeamDetails d;
  d.is_project_team = f.is_project_team;
  if (f.is_project_team) {
    d.workers_identified_and_approved = f.workers_identified_and_approved;
    d.costs_per_worker = f.costs_per_worker;
    d.la_controls_practice = f.la_controls_practice;
  }
  result.details = d;
  if (inputs.rule_set->IsDisabled(Rule::kProjectTeam)) {
    return Disabled(Rule::kProjectTeam, std::move(result));
  }
  if (!f.is_project_team) {
    result.outcome = RuleOutcome::kNotApplicable;
    result.explanation = "Not a project-team engagement.";
    return result;
  }
  std::vector<std::string> missing;
  if (!d.workers_identified_and_approved) missing.push_back("workers identified and approved in advance");
  if (!d.costs_per_worker) missing.push_back("costs broken down per worker");
  if (!d.la_controls_practice) missing.push_back("LA control of practice");
  if (missing.empty()) {
    result.outcome = RuleOutcome::kPass;
    result.explanation = "Project team: workers identified and approved, costs per worker, and "
                         "the LA controls practice.";
  } else {
    result.outcome = RuleOutcome::kFail;
    result.explanation = "Project team lacks: ";
    for (size_t i = 0; i < missing.size(); ++i) {
      absl::StrAppend(&result.explanation, i == 0 ? "" : "; ", missing[i]);
    }
    absl::StrAppend(&result.explanation, ".");
  }
  return result;
}

RuleResult EvaluateRegistration(const EngagementTerms& terms, const CheckInputs& inputs) {
  const RuleSet& rules = *inputs.rule_set;
  RuleResult result;
  result.rule = Rule::kRegistration;
  RegistrationDetails d;
  d.max_age_days = rules.register_check_max_age_days;
  // Only the engaging LA's own checks and the hub's decide; another LA's sanction is shown as
  // unconfirmed until the hub corroborates it.
  const RegisterCheck* latest = nullptr;
  for (const RegisterCheck& c : *inputs.register_checks) {
    if (EnglandDay(c.checked_at) > inputs.evaluated_on || !c.CountsFor(terms.la_code)) continue;
    if (latest == nullptr || c.checked_at > latest->checked_at ||
        (c.checked_at == latest->checked_at && c.check_id > latest->check_id)) {
      latest = &c;
    }
  }
  for (const RegisterCheck& c : *inputs.register_checks) {
    if (EnglandDay(c.checked_at) > inputs.evaluated_on || c.CountsFor(terms.la_code) ||
        !c.FindsSanction() || (latest != nullptr && c.checked_at <= latest->checked_at)) {
      continue;
    }
    d.unconfirmed_checks.push_back(c);
  }
  if (latest != nullptr) d.register_check = *latest;
  const size_t unconfirmed = d.unconfirmed_checks.size();
  result.details = std::move(d);
  if (rules.IsDisabled(Rule::kRegistration)) {
    return Disabled(Rule::kRegistration, std::move(result));
  }
  if (rules.register_check_max_age_days <= 0) {
    return Incomplete(std::move(result),
                      UnsetParameter(rules, inputs.region, "register_check_max_age_days"));
  }
  std::string note =
      unconfirmed == 0
          ? std::string()
          : absl::StrCat(" ", unconfirmed, " later check(s) by another LA found a sanction; "
                         "unconfirmed until the hub corroborates them with its own check.");
  // A region that did not answer may hold a hub check (one that counts for every LA) later than
  // any found here. Without a current check found that check would decide the rule, so the rule
  // is INCONCLUSIVE rather than INCOMPLETE. With a current check found the rule decides on it:
  // the rule set accepts a check within register_check_max_age_days, taking the risk of a
  // change since, and a later check elsewhere is such a change; the silent regions are named.
  const std::string missing = absl::StrJoin(inputs.missing_regions, ", ");
  if (!inputs.missing_regions.empty()) {
    absl::StrAppend(&note, " Register checks held by ", missing, " were not available.");
  }
  const bool current =
      latest != nullptr &&
      inputs.evaluated_on - EnglandDay(latest->checked_at) <= rules.register_check_max_age_days;
  if (!current && !inputs.missing_regions.empty()) {
    result.outcome = RuleOutcome::kInconclusive;
    result.explanation = absl::StrCat(
        "Inconclusive: no register check within ", rules.register_check_max_age_days,
        " days of ", FormatCivilDate(inputs.evaluated_on), " by this LA or a hub was found",
        latest == nullptr
            ? std::string()
            : absl::StrCat(" (the latest is of ", FormatCivilDate(EnglandDay(latest->checked_at)),
                           ")"),
        ", and no answer came from ", missing, ", whose hub checks could decide it; check again "
        "when ", inputs.missing_regions.size() == 1 ? "that region answers" : "those regions answer",
        ", or record a check.");
    if (unconfirmed > 0) {
      absl::StrAppend(&result.explanation, " ", unconfirmed,
                      " later check(s) by another LA found a sanction; unconfirmed until the "
                      "hub corroborates them with its own check.");
    }
    return result;
  }
  // A FAIL names the silent regions too (a later check there could show a sanction lifted; a
  // new check by the LA decides).
  const std::string fail_note =
      inputs.missing_regions.empty()
          ? std::string()
          : absl::StrCat(" Register checks held by ", missing,
                         " were not available; record a new check if the status may have "
                         "changed.");
  if (latest == nullptr) {
    return Incomplete(std::move(result),
                      absl::StrCat("Incomplete: no Social Work England register check by this "
                                   "LA or the hub on or before ",
                                   FormatCivilDate(inputs.evaluated_on),
                                   "; record one.", note));
  }
  const absl::CivilDay checked_on = EnglandDay(latest->checked_at);
  const int64_t age = inputs.evaluated_on - checked_on;
  const std::string when = absl::StrCat("The register check of ", FormatCivilDate(checked_on));
  if (age > rules.register_check_max_age_days) {
    return Incomplete(std::move(result),
                      absl::StrCat("Incomplete: the latest register check (", 
                                   FormatCivilDate(checked_on), ") is ", age,
                                   " days old on ", FormatCivilDate(inputs.evaluated_on),
                                   ", older than the ", rules.register_check_max_age_days,
                                   " days the rule set allows; check the register again.",
                                   note));
  }
  switch (latest->status) {
    case RegisterStatus::kRegistered:
      result.outcome = RuleOutcome::kPass;
      result.explanation = absl::StrCat(when, " shows the worker registered without suspension");
      if (!latest->conditions.empty()) {
        absl::StrAppend(&result.explanation, " (", latest->conditions.size(),
                        " condition(s) of practice)");
      }
      absl::StrAppend(&result.explanation, ".", note);
      break;
    case RegisterStatus::kSuspended:
      result.outcome = RuleOutcome::kFail;
      result.explanation = absl::StrCat(when, " shows the worker suspended.", fail_note);
      break;
    case RegisterStatus::kRemoved:
      result.outcome = RuleOutcome::kFail;
      result.explanation =
          absl::StrCat(when, " shows the worker removed from the register.", fail_note);
      break;
    default:
      result.outcome = RuleOutcome::kFail;
      result.explanation = absl::StrCat(when, " found no register entry.", fail_note);
      break;
  }
  return result;
}

Verdict VerdictOf(const std::vector<RuleResult>& results) {
  bool incomplete = false;
  bool inconclusive = false;
  for (const RuleResult& r : results) {
    if (r.outcome == RuleOutcome::kFail) return Verdict::kNonCompliant;
    incomplete |= r.outcome == RuleOutcome::kIncomplete;
    inconclusive |= r.outcome == RuleOutcome::kInconclusive;
  }
  return incomplete     ? Verdict::kIncomplete
         : inconclusive ? Verdict::kInconclusive
                        : Verdict::kCompliant;
}

CheckResult EvaluateEngagement(const EngagementTerms& terms, const CheckInputs& inputs) {
  CheckResult out;
  out.evaluated_on = inputs.evaluated_on;
  out.region = inputs.region;
  out.rule_set_version = inputs.rule_set->version;
  out.job_type = terms.job_type;
  out.results.reserve(kMaxRule);
  out.results.push_back(EvaluatePayCap(terms, inputs));
  out.results.push_back(EvaluateCoolingOff(terms, inputs));
  out.results.push_back(EvaluateExperience(terms, inputs));
  out.results.push_back(EvaluateReferences(terms, inputs));
  out.results.push_back(EvaluateNotice(terms, inputs));
  out.results.push_back(EvaluateProjectTeam(terms, inputs));
  out.results.push_back(EvaluateRegistration(terms, inputs));
  out.verdict = VerdictOf(out.results);
  return out;
}

}  // namespace slihub::workforce
