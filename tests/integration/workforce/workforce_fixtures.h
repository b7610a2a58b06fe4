// Builders shared by the workforce integration tests: dates, an Eastern rule set, employment
// periods and engagement terms that pass every rule for an experienced worker.
#ifndef SLIHUB_TESTS_INTEGRATION_WORKFORCE_WORKFORCE_FIXTURES_H_
#define SLIHUB_TESTS_INTEGRATION_WORKFORCE_WORKFORCE_FIXTURES_H_

#include <atomic>
#include <cstdint>
#include <string>

#include "common/base/england_time.h"
#include "slihub/workforce/v1/workforce_service.pb.h"

namespace slihub::testing {

namespace wf = ::slihub::workforce::v1;
namespace cv1 = ::slihub::common::v1;

inline cv1::CivilDate Date(int y, int m, int d) {
  cv1::CivilDate out;
  out.set_year(y);
  out.set_month(m);
  out.set_day(d);
  return out;
}

// A fresh request id for a write ("it-<n>"): every write must carry one.
inline std::string NewRequestId() {
  static std::atomic<int> next{0};
  return "it-" + std::to_string(++next);
}

// The day `days` after today in England (before it when negative): for scenarios that must lie
// in the future, such as an exception signed before its engagement starts.
inline cv1::CivilDate DaysFromToday(int days) {
  const absl::CivilDay day = TodayInEngland() + days;
  return Date(static_cast<int>(day.year()), day.month(), day.day());
}

inline wf::RuleSet EasternRules(cv1::CivilDate from, int64_t sw_cap) {
  wf::RuleSet r;
  r.mutable_region()->set_value("EE");
  *r.mutable_effective_from() = from;
  auto add_cap = [&](wf::JobType job, wf::EngagementModel model, int64_t pence) {
    wf::PayCap* cap = r.add_pay_caps();
    cap->set_job_type(job);
    cap->set_engagement_model(model);
    cap->mutable_hourly_cap()->set_pence(pence);
  };
  add_cap(wf::JOB_TYPE_SOCIAL_WORKER, wf::ENGAGEMENT_MODEL_LIMITED_COMPANY, sw_cap);
  add_cap(wf::JOB_TYPE_SOCIAL_WORKER, wf::ENGAGEMENT_MODEL_AGENCY_PAYE, sw_cap - 600);
  // Every other combination explicitly uncapped: publishing refuses an incomplete set.
  for (int job = 1; job <= 5; ++job) {
    for (int model = 1; model <= 3; ++model) {
      if (job == wf::JOB_TYPE_SOCIAL_WORKER && model != wf::ENGAGEMENT_MODEL_UMBRELLA) continue;
      wf::PayCap* cap = r.add_pay_caps();
      cap->set_job_type(static_cast<wf::JobType>(job));
      cap->set_engagement_model(static_cast<wf::EngagementModel>(model));
      cap->set_uncapped(true);
    }
  }
  r.set_cooling_off_months(3);
  r.add_cooling_off_exempt_reasons(wf::LEAVING_REASON_REDUNDANT);
  r.add_cooling_off_exempt_reasons(wf::LEAVING_REASON_LEFT_DURING_PROBATION);
  r.add_cooling_off_exempt_reasons(wf::LEAVING_REASON_MOVED_TO_PERMANENT_ROLE);
  r.set_min_experience_months(36);
  r.set_references_required(2);
  r.set_max_notice_weeks(4);
  r.set_register_check_max_age_days(365);
  r.set_source("integration test memorandum");
  return r;
}

inline wf::EmploymentPeriod Period(const std::string& id, const std::string& swe,
                                   const std::string& la, cv1::CivilDate start,
                                   cv1::CivilDate end,
                                   wf::LeavingReason reason = wf::LEAVING_REASON_RESIGNED) {
  wf::EmploymentPeriod p;
  p.set_record_id(id);
  p.set_swe_number(swe);
  p.mutable_la_code()->set_value(la);
  p.set_employment_type(wf::EMPLOYMENT_TYPE_PERMANENT);
  p.set_job_type(wf::JOB_TYPE_SOCIAL_WORKER);
  *p.mutable_start_date() = start;
  *p.mutable_end_date() = end;
  p.set_leaving_reason(reason);
  p.set_child_and_family(true);
  return p;
}

inline wf::EngagementTerms Terms(const std::string& swe) {
  wf::EngagementTerms t;
  t.set_swe_number(swe);
  t.mutable_la_code()->set_value("873");
  t.set_job_type(wf::JOB_TYPE_SOCIAL_WORKER);
  t.set_engagement_model(wf::ENGAGEMENT_MODEL_LIMITED_COMPANY);
  *t.mutable_start_date() = Date(2026, 1, 5);
  t.mutable_hourly_pay_rate()->set_pence(3900);
  t.mutable_hourly_charge_rate()->set_pence(5400);
  t.set_notice_weeks(4);
  for (int i = 0; i < 2; ++i) {
    wf::Reference* r = t.add_references();
    r->set_source(wf::REFERENCE_SOURCE_LOCAL_AUTHORITY);
    r->mutable_referee_la()->set_value(i == 0 ? "926" : "935");
    r->set_practice_based(true);
    r->set_national_template(i == 0);
    *r->mutable_received_on() = Date(2025, 12, 1);
  }
  return t;
}

}  // namespace slihub::testing

#endif  // SLIHUB_TESTS_INTEGRATION_WORKFORCE_WORKFORCE_FIXTURES_H_
