#include "services/workforce/demo_data.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "common/base/england_time.h"
#include "services/workforce/store/workforce_store.h"

namespace slihub::workforce {
namespace {

// Hourly caps in pence for social worker, senior social worker, advanced practitioner, team
// manager and IRO / CP chair. Illustrative figures whose spread between regions matches the
// DfE 2025 caps (37% social worker and senior, 28% advanced practitioner, 19% team manager,
// 25% IRO); agency PAYE caps are 85% (employer NI and holiday pay taken out).
struct RegionCaps {
  const char* region;
  int64_t caps[5];
};

constexpr RegionCaps kCurrentCaps[] = {
    {"EE", {3600, 4000, 4400, 5100, 4700}},  {"EM", {3200, 3600, 4000, 4700, 4300}},
    {"LDN", {4000, 4400, 4800, 5500, 5000}}, {"NE", {2920, 3210, 3750, 4620, 4000}},
    {"NW", {3100, 3500, 3900, 4700, 4200}},  {"SE", {3700, 4100, 4500, 5200, 4800}},
    {"SW", {3400, 3800, 4200, 4900, 4500}},  {"WM", {3300, 3700, 4100, 4800, 4400}},
    {"YH", {3100, 3500, 3900, 4700, 4200}},
};

RuleSet Current(const RegionCaps& region) {
  RuleSet r;
  r.region = region.region;
  r.effective_from = absl::CivilDay(2025, 10, 1);
  for (int job = 1; job <= kMaxJobType; ++job) {
    const int64_t cap = region.caps[job - 1];
    r.pay_caps.push_back({static_cast<JobType>(job), EngagementModel::kLimitedCompany, cap});
    r.pay_caps.push_back({static_cast<JobType>(job), EngagementModel::kUmbrella, cap});
    r.pay_caps.push_back(
        {static_cast<JobType>(job), EngagementModel::kAgencyPaye, cap * 85 / 100});
  }
  r.cooling_off_months = 3;
  r.cooling_off_exempt_reasons = {LeavingReason::kRedundant, LeavingReason::kLeftDuringProbation,
                                  LeavingReason::kMovedToPermanentRole};
  r.min_experience_months = 36;
  r.references_required = 2;
  r.max_notice_weeks = 4;
  r.register_check_max_age_days = 90;
  r.source = absl::StrCat("Demo: DfE agency rules with illustrative ", region.region,
                          " caps, new assignments from 1 Oct 2025");
  return r;
}

// The Pan-London memorandum of 1 January 2016 (pounds an hour): newly qualified 25 (folded
// into social worker, which has one cap), social worker 28, experienced social worker 32 and
// senior / advanced 35 (senior social worker 35), assistant team manager 38 (advanced
// practitioner includes it), team manager 42; no IRO cap; six months' cooling off; no
// experience or project-team rules.
RuleSet PanLondon2016() {
  RuleSet r;
  r.region = "LDN";
  r.effective_from = absl::CivilDay(2016, 1, 1);
  const std::pair<JobType, int64_t> caps[] = {{JobType::kSocialWorker, 2800},
                                              {JobType::kSeniorSocialWorker, 3500},
                                              {JobType::kAdvancedPractitioner, 3800},
                                              {JobType::kTeamManager, 4200}};
  for (int model = 1; model <= kMaxEngagementModel; ++model) {
    for (const auto& [job, cap] : caps) {
      r.pay_caps.push_back({job, static_cast<EngagementModel>(model), cap});
    }
    r.pay_caps.push_back({JobType::kIroCpChair, static_cast<EngagementModel>(model), 0,
                          /*uncapped=*/true});
  }
  r.cooling_off_months = 6;
  r.cooling_off_exempt_reasons = {LeavingReason::kRedundant};
  r.min_experience_months = 0;
  r.references_required = 2;
  r.max_notice_weeks = 4;
  r.register_check_max_age_days = 90;
  r.disabled_rules = {Rule::kExperience, Rule::kProjectTeam};
  r.source = "Pan-London agency social worker memorandum, caps from 1 Jan 2016 (GBP 25-42/h)";
  return r;
}

EmploymentPeriod DemoPeriod(std::string id, std::string swe, const LocalAuthorityRecord& la,
                            EmploymentType type, absl::CivilDay start,
                            std::optional<absl::CivilDay> end, LeavingReason reason) {
  EmploymentPeriod p;
  p.record_id = std::move(id);
  p.swe_number = std::move(swe);
  p.la_code = la.la_code;
  p.region = la.region_code;
  p.employment_type = type;
  p.job_type = JobType::kSocialWorker;
  p.start_date = start;
  p.end_date = end;
  p.leaving_reason = end.has_value() ? reason : LeavingReason::kUnspecified;
  p.child_and_family = true;
  return p;
}

// The region's position among the reference data's region codes in code order (EE 0 ... YH 8).
int RegionIndex(const ReferenceData& refdata, const std::string& region) {
  int index = 0;
  for (const RegionRecord& r : refdata.regions()) index += r.code < region ? 1 : 0;
  return index;
}

}  // namespace

std::string DemoSweNumber(const ReferenceData& refdata, const std::string& region, int n) {
  return absl::StrCat("SW9", RegionIndex(refdata, region), "000", n);
}

std::vector<RuleSet> DemoRuleSets() {
  std::vector<RuleSet> out;
  for (const RegionCaps& region : kCurrentCaps) {
    if (std::string(region.region) == "LDN") out.push_back(PanLondon2016());
    out.push_back(Current(region));
  }
  return out;
}

absl::Status LoadWorkforceDemoData(const ServiceContext& context) {
  const WriteMeta meta{"demo-data", "demo-data", absl::Now()};
  const RegionRecord* hub = context.reference_data->FindRegion(context.config->hub_region);
  return context.database->Run(store::TxMode::kWrite, [&](store::Transaction& tx) -> absl::Status {
    for (const RuleSet& r : DemoRuleSets()) {
      if (context.reference_data->FindRegion(r.region) == nullptr) continue;
      absl::StatusOr<std::vector<StoredRuleSet>> existing =
          WorkforceStore::ListRuleSets(tx, r.region);
      if (!existing.ok()) return existing.status();
      bool present = false;
      for (const StoredRuleSet& s : *existing) {
        present |= s.rule_set.effective_from >= r.effective_from;
      }
      if (present) continue;
      absl::StatusOr<StoredRuleSet> published = WorkforceStore::PublishRuleSet(tx, r, meta);
      if (!published.ok()) return published.status();
    }
    if (hub == nullptr || hub->la_codes.size() < 2) return absl::OkStatus();
    const LocalAuthorityRecord& a = *context.reference_data->FindLocalAuthority(hub->la_codes[0]);
    const LocalAuthorityRecord& b = *context.reference_data->FindLocalAuthority(hub->la_codes[1]);
    // The first LA's workforce policy: its HR titles and permanent notice (illustrative).
    absl::StatusOr<std::vector<StoredLaPolicy>> policies =
        WorkforceStore::ListLaPolicies(tx, a.la_code);
    if (!policies.ok()) return policies.status();
    if (policies->empty()) {
      LaPolicy policy;
      policy.la_code = a.la_code;
      policy.effective_from = absl::CivilDay(2025, 4, 1);
      policy.mappings = {{"Social Worker", JobType::kSocialWorker},
                         {"Newly Qualified Social Worker (ASYE)", JobType::kSocialWorker},
                         {"Senior Practitioner", JobType::kSeniorSocialWorker},
                         {"Advanced Practitioner", JobType::kAdvancedPractitioner},
                         {"Assistant Team Manager", JobType::kAdvancedPractitioner},
                         {"Team Manager", JobType::kTeamManager},
                         {"Independent Reviewing Officer", JobType::kIroCpChair}};
      policy.notice = {{JobType::kSocialWorker, 4},      {JobType::kSeniorSocialWorker, 4},
                       {JobType::kAdvancedPractitioner, 8}, {JobType::kTeamManager, 12},
                       {JobType::kIroCpChair, 8}};
      absl::StatusOr<StoredLaPolicy> published = WorkforceStore::PublishLaPolicy(tx, policy, meta);
      if (!published.ok()) return published.status();
    }
    // Each region's own workers (EE's SW900001-3, EM's SW910001-3, ... YH's SW980001-3):
    // <1> long permanent career, eligible; <2> resigned a permanent post in the region last
    // month (cooling off); <3> two years' experience only. And SW990001, whose career went round
    // England: six months in the first LA of each region in code order from January 2019 (EE
    // first, YH last, 54 months in all), each hub holding its own region's period; only a
    // national check that reaches every region sees the 36 months the experience rule needs.
    const absl::CivilDay today = TodayInEngland();
    const std::string& region = context.config->hub_region;
    const int index = RegionIndex(*context.reference_data, region);
    const absl::CivilDay tour_start(absl::CivilMonth(2019, 1) + 6 * index);
    const absl::CivilDay tour_end = absl::CivilDay(absl::CivilMonth(tour_start) + 6) - 1;
    const std::vector<EmploymentPeriod> periods = {
        DemoPeriod("demo-1", DemoSweNumber(*context.reference_data, region, 1), a,
                   EmploymentType::kPermanent, absl::CivilDay(2015, 9, 1),
                   absl::CivilDay(2024, 3, 31), LeavingReason::kResigned),
        DemoPeriod("demo-2", DemoSweNumber(*context.reference_data, region, 2), a,
                   EmploymentType::kPermanent, absl::CivilDay(2016, 9, 1), today - 40,
                   LeavingReason::kResigned),
        DemoPeriod("demo-3", DemoSweNumber(*context.reference_data, region, 3), b,
                   EmploymentType::kPermanent, absl::CivilDay(2023, 1, 1),
                   absl::CivilDay(2024, 12, 31), LeavingReason::kRedundant),
        DemoPeriod("demo-tour", kDemoTouringWorker, a, EmploymentType::kPermanent, tour_start,
                   tour_end, LeavingReason::kResigned),
    };
    for (const EmploymentPeriod& p : periods) {
      StoredPeriod stored;
      absl::StatusOr<std::vector<EmploymentPeriod>> have =
          WorkforceStore::ListWorkerPeriods(tx, p.swe_number);
      if (!have.ok()) return have.status();
      if (!have->empty()) continue;  // keep whatever the demo recorded on its first start
      absl::StatusOr<RecordResult> r = WorkforceStore::RecordPeriod(tx, p, meta, &stored);
      if (!r.ok()) return r.status();
      RegisterCheck check;
      check.swe_number = p.swe_number;
      check.status = RegisterStatus::kRegistered;
      check.checked_at = absl::Now();
      check.checked_by = "demo-data";
      check.recorder_la = kHubRecorder;  // the demo's checks are the hub's
      absl::StatusOr<StoredRegisterCheck> c = WorkforceStore::RecordRegisterCheck(tx, check, meta);
      if (!c.ok()) return c.status();
    }
    return absl::OkStatus();
  });
}

}  // namespace slihub::workforce
