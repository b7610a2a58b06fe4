#include "services/workforce/adapter/convert.h"

#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/base/civil_date.h"
#include "common/server/proto_time.h"
#include "services/workforce/domain/swe_number.h"

namespace slihub::workforce {
namespace {

// The highest hourly pay and charge a term may state, in pence (500 and 1,000 pounds an hour):
// far above any cap, so a breach can still be recorded, but no typing error gets through.
constexpr int64_t kMaxHourlyPayPence = 50000;
constexpr int64_t kMaxHourlyChargePence = 100000;

template <typename E>
bool InRange(int value, int max) {
  return value > 0 && value <= max;
}

}  // namespace

std::string Path(const std::string& field, const std::string& suffix) {
  if (field.empty()) return suffix;
  if (suffix.empty()) return field;
  return absl::StrCat(field, ".", suffix);
}

cpb::CivilDate ToProtoDate(absl::CivilDay day) {
  cpb::CivilDate out;
  out.set_year(static_cast<int32_t>(day.year()));
  out.set_month(day.month());
  out.set_day(day.day());
  return out;
}

std::string ReadSweNumber(const std::string& text, const std::string& field,
                          FieldViolations* violations) {
  absl::StatusOr<std::string> swe = NormaliseSweNumber(text);
  if (!swe.ok()) {
    violations->Add(field, std::string(swe.status().message()));
    return "";
  }
  return *swe;
}

RuleSet ReadRuleSet(const pb::RuleSet& in, const ReferenceData& refdata, const std::string& field,
                    FieldViolations* violations) {
  RuleSet r;
  r.region = in.region().value();
  if (refdata.FindRegion(r.region) == nullptr) {
    violations->Add(Path(field, "region.value"), absl::StrCat("'", r.region, "' is not a region key"));
  }
  if (auto day = ReadDate(in.effective_from(), in.has_effective_from(),
                          Path(field, "effective_from"), violations)) {
    r.effective_from = *day;
  }
  for (const pb::PayCap& cap : in.pay_caps()) {
    r.pay_caps.push_back({static_cast<JobType>(cap.job_type()),
                          static_cast<EngagementModel>(cap.engagement_model()),
                          cap.hourly_cap().pence(), cap.uncapped()});
  }
  r.cooling_off_months = in.cooling_off_months();
  for (int reason : in.cooling_off_exempt_reasons()) {
    r.cooling_off_exempt_reasons.push_back(static_cast<LeavingReason>(reason));
  }
  r.min_experience_months = in.min_experience_months();
  r.references_required = in.references_required();
  r.max_notice_weeks = in.max_notice_weeks();
  for (int rule : in.disabled_rules()) r.disabled_rules.push_back(static_cast<Rule>(rule));
  r.source = in.source();
  r.register_check_max_age_days = in.register_check_max_age_days();
  FieldViolations nested;
  CheckText(r.source, "source", TextRule{500, false, false}, &nested);
  ValidateRuleSet(r, &nested);
  violations->AddNested(field, nested.violations());
  return r;
}

LaPolicy ReadLaPolicy(const pb::LaWorkforcePolicy& in, const ReferenceData& refdata,
                      const std::string& hub, const std::string& field,
                      FieldViolations* violations) {
  LaPolicy p;
  const std::string la_field = Path(field, "la_code.value");
  if (const LocalAuthorityRecord* la = ReadLa(refdata, in.la_code().value(), la_field,
                                              violations)) {
    p.la_code = la->la_code;
    if (la->region_code != hub) {
      violations->Add(la_field, absl::StrCat("is an LA of the ", la->region_code,
                                             " region; this hub holds ", hub, "'s policies"));
    }
  }
  if (auto day = ReadDate(in.effective_from(), in.has_effective_from(),
                          Path(field, "effective_from"), violations)) {
    p.effective_from = *day;
  }
  for (int i = 0; i < in.job_title_mappings_size(); ++i) {
    const pb::JobTitleMapping& m = in.job_title_mappings(i);
    CheckText(m.local_title(),
              Path(field, absl::StrCat("job_title_mappings[", i, "].local_title")),
              kShortText, violations);
    p.mappings.push_back({m.local_title(), static_cast<JobType>(m.job_type())});
  }
  for (const pb::PermanentNotice& n : in.permanent_notice()) {
    p.notice.push_back({static_cast<JobType>(n.job_type()), n.notice_weeks()});
  }
  FieldViolations nested;
  ValidateLaPolicy(p, &nested);
  violations->AddNested(field, nested.violations());
  return p;
}

void ToProto(const StoredLaPolicy& in, pb::LaWorkforcePolicy* out) {
  const LaPolicy& p = in.policy;
  out->mutable_la_code()->set_value(p.la_code);
  out->set_version(p.version);
  *out->mutable_effective_from() = ToProtoDate(p.effective_from);
  for (const TitleMapping& m : p.mappings) {
    pb::JobTitleMapping* mapping = out->add_job_title_mappings();
    mapping->set_local_title(m.local_title);
    mapping->set_job_type(static_cast<pb::JobType>(m.job_type));
  }
  for (const PermanentNotice& n : p.notice) {
    pb::PermanentNotice* notice = out->add_permanent_notice();
    notice->set_job_type(static_cast<pb::JobType>(n.job_type));
    notice->set_notice_weeks(n.notice_weeks);
  }
  ToProto(in.audit, out->mutable_audit());
}

void ToProto(const Audit& in, cpb::AuditInfo* out) {
  *out->mutable_create_time() = ToProtoTimestamp(in.create_time);
  out->set_created_by(in.created_by);
  *out->mutable_update_time() = ToProtoTimestamp(in.update_time);
  out->set_updated_by(in.updated_by);
  out->set_request_id(in.request_id);
}

void ToProto(const StoredRuleSet& in, pb::RuleSet* out) {
  const RuleSet& r = in.rule_set;
  out->mutable_region()->set_value(r.region);
  out->set_version(r.version);
  *out->mutable_effective_from() = ToProtoDate(r.effective_from);
  for (const PayCap& cap : r.pay_caps) {
    pb::PayCap* c = out->add_pay_caps();
    c->set_job_type(static_cast<pb::JobType>(cap.job_type));
    c->set_engagement_model(static_cast<pb::EngagementModel>(cap.engagement_model));
    if (cap.uncapped) {
      c->set_uncapped(true);
    } else {
      c->mutable_hourly_cap()->set_pence(cap.hourly_cap_pence);
    }
  }
  out->set_cooling_off_months(r.cooling_off_months);
  for (LeavingReason reason : r.cooling_off_exempt_reasons) {
    out->add_cooling_off_exempt_reasons(static_cast<pb::LeavingReason>(reason));
  }
  out->set_min_experience_months(r.min_experience_months);
  out->set_references_required(r.references_required);
  out->set_max_notice_weeks(r.max_notice_weeks);
  for (Rule rule : r.disabled_rules) out->add_disabled_rules(static_cast<pb::Rule>(rule));
  out->set_source(r.source);
  out->set_register_check_max_age_days(r.register_check_max_age_days);
  ToProto(in.audit, out->mutable_audit());
}

EmploymentPeriod ReadPeriod(const pb::EmploymentPeriod& in, const ReferenceData& refdata,
                            std::vector<FieldViolation>* violations) {
  FieldViolations v;
  EmploymentPeriod p;
  p.record_id = in.record_id();
  CheckText(p.record_id, "record_id", TextRule{128, false, false}, &v);
  p.swe_number = ReadSweNumber(in.swe_number(), "swe_number", &v);
  if (const LocalAuthorityRecord* la = ReadLa(refdata, in.la_code().value(), "la_code.value",
                                              &v)) {
    p.la_code = la->la_code;
    p.region = la->region_code;
  }
  p.employment_type = static_cast<EmploymentType>(in.employment_type());
  p.job_type = static_cast<JobType>(in.job_type());
  p.local_job_title = in.local_job_title();
  CheckText(p.local_job_title, "local_job_title", kShortText, &v);
  bool dates_ok = true;
  if (auto day = ReadDate(in.start_date(), in.has_start_date(), "start_date", &v)) {
    p.start_date = *day;
  } else {
    dates_ok = false;
  }
  if (auto day = ReadOptionalDate(in.end_date(), in.has_end_date(), "end_date", &v)) {
    p.end_date = *day;
  } else if (in.has_end_date()) {
    dates_ok = false;
  }
  p.leaving_reason = static_cast<LeavingReason>(in.leaving_reason());
  p.child_and_family = in.child_and_family();
  p.asye = in.asye();
  for (const PeriodViolation& pv : ValidatePeriodFacts(p)) {
    if (!dates_ok && pv.field == "end_date") continue;  // already reported as a bad date
    // An unset job type with a local title is mapped through the LA's policy when recorded.
    if (pv.field == "job_type" && p.job_type == JobType::kUnspecified &&
        !p.local_job_title.empty()) {
      continue;
    }
    v.Add(pv.field, pv.description);
  }
  for (const FieldViolation& fv : v.violations()) violations->push_back(fv);
  return p;
}

void ToProto(const StoredPeriod& in, pb::EmploymentPeriod* out) {
  const EmploymentPeriod& p = in.period;
  out->set_record_id(p.record_id);
  out->set_swe_number(p.swe_number);
  out->mutable_la_code()->set_value(p.la_code);
  out->set_employment_type(static_cast<pb::EmploymentType>(p.employment_type));
  out->set_job_type(static_cast<pb::JobType>(p.job_type));
  out->set_local_job_title(p.local_job_title);
  *out->mutable_start_date() = ToProtoDate(p.start_date);
  if (p.end_date.has_value()) *out->mutable_end_date() = ToProtoDate(*p.end_date);
  out->set_leaving_reason(static_cast<pb::LeavingReason>(p.leaving_reason));
  out->set_child_and_family(p.child_and_family);
  out->set_asye(p.asye);
  out->set_version(in.version);
  ToProto(in.audit, out->mutable_audit());
}

void ToProto(const RegisterCheck& in, pb::RegisterCheck* out) {
  out->set_check_id(in.check_id);
  out->set_swe_number(in.swe_number);
  out->set_status(static_cast<pb::RegisterStatus>(in.status));
  for (const std::string& c : in.conditions) out->add_conditions(c);
  *out->mutable_checked_at() = ToProtoTimestamp(in.checked_at);
  out->set_checked_by(in.checked_by);
  out->set_source(static_cast<pb::RegisterCheckSource>(in.source));
  if (!in.recorder_la.empty() && in.recorder_la != kUnknownRecorder) {
    out->mutable_recorded_by_la()->set_value(in.recorder_la);
  }
}

EngagementTerms ReadTerms(const pb::EngagementTerms& in, const ReferenceData& refdata,
                          const std::string& field, FieldViolations* v,
                          const LocalAuthorityRecord** la) {
  EngagementTerms t;
  t.swe_number = ReadSweNumber(in.swe_number(), Path(field, "swe_number"), v);
  *la = ReadLa(refdata, in.la_code().value(), Path(field, "la_code.value"), v);
  if (*la != nullptr) t.la_code = (*la)->la_code;
  switch (in.job_case()) {
    case pb::EngagementTerms::kJobType:
      if (!InRange<JobType>(in.job_type(), kMaxJobType)) {
        v->Add(Path(field, "job_type"), "must be one of the five job types");
      }
      t.job_type = static_cast<JobType>(in.job_type());
      break;
    case pb::EngagementTerms::kLocalJobTitle:
      t.local_job_title = in.local_job_title();
      if (absl::StripAsciiWhitespace(t.local_job_title).empty()) {
        v->Add(Path(field, "local_job_title"), "must be 1 to 200 characters");
      } else {
        CheckText(t.local_job_title, Path(field, "local_job_title"), kShortText, v);
      }
      break;
    default:
      v->Add(Path(field, "job_type"), "is required (or local_job_title)");
  }
  if (!InRange<EngagementModel>(in.engagement_model(), kMaxEngagementModel)) {
    v->Add(Path(field, "engagement_model"), "must be set");
  }
  t.engagement_model = static_cast<EngagementModel>(in.engagement_model());
  const std::optional<absl::CivilDay> start =
      ReadDate(in.start_date(), in.has_start_date(), Path(field, "start_date"), v);
  if (start.has_value()) t.start_date = *start;
  const std::optional<absl::CivilDay> end = ReadOptionalDate(
      in.expected_end_date(), in.has_expected_end_date(), Path(field, "expected_end_date"), v);
  if (end.has_value()) {
    if (start.has_value() && *end < *start) {
      v->Add(Path(field, "expected_end_date"), "must not be before start_date");
    }
    t.expected_end_date = *end;
  }
  t.hourly_pay_rate_pence = in.hourly_pay_rate().pence();
  CheckRange(t.hourly_pay_rate_pence, 1, kMaxHourlyPayPence, Path(field, "hourly_pay_rate.pence"),
             v);
  t.hourly_charge_rate_pence = in.hourly_charge_rate().pence();
  if (t.hourly_charge_rate_pence < 0 || t.hourly_charge_rate_pence > kMaxHourlyChargePence) {
    CheckRange(t.hourly_charge_rate_pence, 0, kMaxHourlyChargePence,
               Path(field, "hourly_charge_rate.pence"), v);
  } else if (t.hourly_charge_rate_pence != 0 &&
             t.hourly_charge_rate_pence < t.hourly_pay_rate_pence) {
    v->Add(Path(field, "hourly_charge_rate.pence"),
           "must be at least the hourly pay rate (it includes pay), or 0 when unknown");
  }
  t.contracted_minutes_per_week = in.contracted_minutes_per_week();
  if (t.contracted_minutes_per_week < 0 || t.contracted_minutes_per_week > 7 * 24 * 60) {
    v->Add(Path(field, "contracted_minutes_per_week"), "must be between 0 and 10080");
  }
  if (in.has_notice_weeks()) {
    t.notice_weeks = in.notice_weeks();
    CheckRange(in.notice_weeks(), 0, 104, Path(field, "notice_weeks"), v);
  }
  if (in.references_size() > 20) v->Add(Path(field, "references"), "must be at most 20");
  for (int i = 0; i < in.references_size() && i < 20; ++i) {
    const pb::Reference& r = in.references(i);
    const std::string path = absl::StrCat(Path(field, "references"), "[", i, "]");
    Reference ref;
    ref.source = static_cast<ReferenceSource>(r.source());
    if (!InRange<ReferenceSource>(r.source(), kMaxReferenceSource)) {
      v->Add(Path(path, "source"), "must be set");
    }
    if (ref.source == ReferenceSource::kLocalAuthority) {
      if (ReadLa(refdata, r.referee_la().value(), Path(path, "referee_la.value"), v) !=
          nullptr) {
        ref.referee_la = r.referee_la().value();
      }
    } else if (r.has_referee_la()) {
      v->Add(Path(path, "referee_la"), "must be unset unless source is LOCAL_AUTHORITY");
    }
    ref.practice_based = r.practice_based();
    ref.national_template = r.national_template();
    ref.received_on =
        ReadOptionalDate(r.received_on(), r.has_received_on(), Path(path, "received_on"), v);
    t.references.push_back(std::move(ref));
  }
  const pb::ProjectTeamFacts& team = in.project_team();
  t.project_team.is_project_team = team.is_project_team();
  if (team.is_project_team()) {
    t.project_team.project_name = team.project_name();
    t.project_team.workers_identified_and_approved = team.workers_identified_and_approved();
    t.project_team.costs_per_worker = team.costs_per_worker();
    t.project_team.la_controls_practice = team.la_controls_practice();
  }
  CheckText(team.project_name(), Path(field, "project_team.project_name"), kShortText, v);
  t.agency_name = in.agency_name();
  CheckText(t.agency_name, Path(field, "agency_name"), kShortText, v);
  return t;
}

void FillQualifying(const EmploymentPeriod& p, bool withhold, pb::QualifyingPeriod* out) {
  if (!withhold) {
    out->mutable_la_code()->set_value(p.la_code);
    out->set_record_id(p.record_id);
  }
  out->mutable_region()->set_value(p.region);
  *out->mutable_start_date() = ToProtoDate(p.start_date);
  if (p.end_date.has_value()) *out->mutable_end_date() = ToProtoDate(*p.end_date);
  out->set_asye(p.asye);
}

namespace {

struct DetailsWriter {
  pb::RuleResult* out;
  bool withhold;
  const std::string& region;  // the check's region: other regions' periods are withheld

  void operator()(const PayCapDetails& d) const {
    pb::PayCapDetails* p = out->mutable_pay_cap();
    if (d.cap_pence.has_value()) p->mutable_cap()->set_pence(*d.cap_pence);
    p->mutable_region()->set_value(d.region);
    p->set_job_type(static_cast<pb::JobType>(d.job_type));
    p->set_engagement_model(static_cast<pb::EngagementModel>(d.engagement_model));
    p->set_rule_set_version(d.rule_set_version);
    *p->mutable_rule_set_effective_from() = ToProtoDate(d.rule_set_effective_from);
    p->mutable_rate()->set_pence(d.rate_pence);
    p->mutable_excess()->set_pence(d.excess_pence);
  }
  void operator()(const CoolingOffDetails& d) const {
    pb::CoolingOffDetails* p = out->mutable_cooling_off();
    p->set_cooling_off_months(d.cooling_off_months);
    if (d.last_permanent.has_value()) {
      p->set_leaving_reason(static_cast<pb::LeavingReason>(d.last_permanent->leaving_reason));
      if (withhold) {
        out->set_details_withheld(true);
      } else {
        p->mutable_last_permanent_la()->set_value(d.last_permanent->la_code);
        *p->mutable_last_permanent_end_date() = ToProtoDate(*d.last_permanent->end_date);
      }
    }
    if (d.earliest_allowed_start.has_value() && !withhold) {
      *p->mutable_earliest_allowed_start() = ToProtoDate(*d.earliest_allowed_start);
    }
    p->set_exempt_by(static_cast<pb::LeavingReason>(d.exempt_by));
    p->set_other_region_posts_ignored(d.other_region_posts_ignored);
  }
  void operator()(const ExperienceDetails& d) const {
    pb::ExperienceDetails* p = out->mutable_experience();
    p->set_required_months(d.required_months);
    p->set_counted_months(d.counted_months);
    p->set_counted_days(d.counted_days);
    for (const EmploymentPeriod& period : d.periods_used) {
      // A national check's periods of other regions: where they were gained stays with them.
      const bool hide = withhold || period.region != region;
      FillQualifying(period, hide, p->add_periods_used());
      if (hide) out->set_details_withheld(true);
    }
    p->set_periods_excluded(d.periods_excluded);
  }
  void operator()(const ReferencesDetails& d) const {
    pb::ReferencesDetails* p = out->mutable_references();
    p->set_required(d.required);
    p->set_practice_based_count(d.practice_based_count);
    p->set_national_template_present(d.national_template_present);
    p->set_undated_count(d.undated_count);
  }
  void operator()(const NoticeDetails& d) const {
    pb::NoticeDetails* p = out->mutable_notice();
    p->set_proposed_weeks(d.proposed_weeks);
    p->set_rule_max_weeks(d.rule_max_weeks);
    p->set_la_permanent_notice_weeks(d.la_permanent_notice_weeks);
    p->set_allowed_max_weeks(d.allowed_max_weeks);
    p->set_la_policy_version(d.la_policy_version);
  }
  void operator()(const ProjectTeamDetails& d) const {
    pb::ProjectTeamDetails* p = out->mutable_project_team();
    p->set_is_project_team(d.is_project_team);
    p->set_workers_identified_and_approved(d.workers_identified_and_approved);
    p->set_costs_per_worker(d.costs_per_worker);
    p->set_la_controls_practice(d.la_controls_practice);
  }
  void operator()(const RegistrationDetails& d) const {
    pb::RegistrationDetails* p = out->mutable_registration();
    if (d.register_check.has_value()) ToProto(*d.register_check, p->mutable_register_check());
    p->set_max_age_days(d.max_age_days);
    for (const RegisterCheck& c : d.unconfirmed_checks) {
      ToProto(c, p->add_unconfirmed_checks());
    }
  }
};

}  // namespace

void ToProto(const CheckResult& in, bool withhold, absl::Time check_time,
             pb::EngagementCheck* out) {
  out->set_verdict(static_cast<pb::Verdict>(in.verdict));
  for (const RuleResult& r : in.results) {
    pb::RuleResult* result = out->add_results();
    result->set_rule(static_cast<pb::Rule>(r.rule));
    result->set_outcome(static_cast<pb::RuleOutcome>(r.outcome));
    result->set_exception_id(r.exception_id);
    std::visit(DetailsWriter{result, withhold, in.region}, r.details);
    // The explanation names the LA and dates, so it is generic when they are withheld from a
    // caller outside the region (other regions' periods in a national check are only counted
    // there, so its explanation stays).
    result->set_explanation(withhold && result->details_withheld()
                                ? absl::StrCat("Outcome decided by records held by the ", in.region,
                                               " region; the details are shared only with its "
                                               "councils.")
                                : r.explanation);
  }
  *out->mutable_evaluated_on() = ToProtoDate(in.evaluated_on);
  out->mutable_region()->set_value(in.region);
  out->set_rule_set_version(in.rule_set_version);
  out->set_job_type(static_cast<pb::JobType>(in.job_type));
  *out->mutable_check_time() = ToProtoTimestamp(check_time);
}

}  // namespace slihub::workforce
