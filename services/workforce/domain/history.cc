#include "services/workforce/domain/history.h"

#include <set>
#include <utility>

#include "absl/strings/str_cat.h"

namespace slihub::workforce {

bool EmploymentPeriod::SameContent(const EmploymentPeriod& o) const {
  return swe_number == o.swe_number && la_code == o.la_code &&
         employment_type == o.employment_type && job_type == o.job_type &&
         local_job_title == o.local_job_title && start_date == o.start_date &&
         end_date == o.end_date && leaving_reason == o.leaving_reason &&
         child_and_family == o.child_and_family && asye == o.asye;
}

std::vector<PeriodViolation> ValidatePeriodFacts(const EmploymentPeriod& period) {
  std::vector<PeriodViolation> out;
  if (period.record_id.empty() || period.record_id.size() > 128) {
    out.push_back({"record_id", "must be 1 to 128 characters"});
  }
  const int type = static_cast<int>(period.employment_type);
  if (type <= 0 || type > kMaxEmploymentType) {
    out.push_back({"employment_type", "must be set"});
  }
  const int job = static_cast<int>(period.job_type);
  if (job <= 0 || job > kMaxJobType) {
    out.push_back({"job_type", "must be one of the five job types"});
  }
  if (period.local_job_title.size() > 200) {
    out.push_back({"local_job_title", "must be at most 200 characters"});
  }
  const int reason = static_cast<int>(period.leaving_reason);
  if (period.end_date.has_value()) {
    if (*period.end_date < period.start_date) {
      out.push_back({"end_date", "must not be before start_date"});
    }
    if (reason <= 0 || reason > kMaxLeavingReason) {
      out.push_back({"leaving_reason", "must be set when end_date is set"});
    }
  } else if (reason != 0) {
    out.push_back({"leaving_reason", "must be unset while the period is ongoing (no end_date)"});
  }
  return out;
}

int MergeRegionFacts(const std::vector<RegionFacts>& others, std::vector<EmploymentPeriod>* periods,
                     std::vector<RegisterCheck>* register_checks) {
  std::set<std::pair<std::string, std::string>> seen;
  for (const EmploymentPeriod& p : *periods) seen.emplace(p.la_code, p.record_id);
  int dropped = 0;
  for (const RegionFacts& region : others) {
    for (const EmploymentPeriod& p : region.periods) {
      if (p.region != region.region || !seen.emplace(p.la_code, p.record_id).second) {
        ++dropped;
        continue;
      }
      periods->push_back(p);
    }
    for (const RegisterCheck& c : region.register_checks) {
      RegisterCheck copy = c;
      copy.check_id = absl::StrCat(region.region, "/", c.check_id);
      register_checks->push_back(std::move(copy));
    }
  }
  return dropped;
}

}  // namespace slihub::workforce
