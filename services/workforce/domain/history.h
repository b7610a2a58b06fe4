// A worker's recorded history as the rules read it: employment periods and register checks.
#ifndef SLIHUB_SERVICES_WORKFORCE_DOMAIN_HISTORY_H_
#define SLIHUB_SERVICES_WORKFORCE_DOMAIN_HISTORY_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/workforce/domain/types.h"

namespace slihub::workforce {

// One employment period of a worker. Plain data.
struct EmploymentPeriod {
  std::string record_id;  // the recording LA's id, unique within la_code
  std::string swe_number;
  std::string la_code;
  std::string region;  // the region of la_code
  EmploymentType employment_type = EmploymentType::kUnspecified;
  JobType job_type = JobType::kUnspecified;
  std::string local_job_title;
  absl::CivilDay start_date;
  std::optional<absl::CivilDay> end_date;  // the last day worked; nullopt while ongoing
  LeavingReason leaving_reason = LeavingReason::kUnspecified;
  bool child_and_family = false;
  bool asye = false;

  // True for the kinds of employment directly with an LA (permanent and fixed term).
  bool IsDirectEmployment() const {
    return employment_type == EmploymentType::kPermanent ||
           employment_type == EmploymentType::kFixedTerm;
  }
  // True when the period counts as qualifying experience: direct LA employment in
  // child-and-family work (the ASYE included; agency and other work never counts).
  bool IsQualifying() const { return IsDirectEmployment() && child_and_family; }
  // The same recorded facts (not record identity): for idempotent re-recording.
  bool SameContent(const EmploymentPeriod& other) const;
};

// One look at the Social Work England register. Plain data.
struct RegisterCheck {
  std::string check_id;
  std::string swe_number;
  RegisterStatus status = RegisterStatus::kUnspecified;
  std::vector<std::string> conditions;
  absl::Time checked_at;
  std::string checked_by;
  int source = 1;  // RegisterCheckSource: 1 = manual attestation
  // Whose check it is: an LA code (an LA's HR officer recorded it: it counts for that LA only),
  // kHubRecorder (a regional admin or the register service: it counts for every LA), or
  // kUnknownRecorder (recorded before the recorder was kept: it counts for no LA).
  std::string recorder_la;

  // True when this check may decide a check of an engagement by `la_code`.
  bool CountsFor(const std::string& la_code) const {
    return recorder_la.empty() || recorder_la == la_code;
  }
  // True when it found the worker unable to practise (suspended, removed or not found).
  bool FindsSanction() const {
    return status == RegisterStatus::kSuspended || status == RegisterStatus::kRemoved ||
           status == RegisterStatus::kNotFound;
  }
};
inline constexpr char kHubRecorder[] = "";
inline constexpr char kUnknownRecorder[] = "?";

// What another region's hub holds about a worker (its answer to a national lookup). Plain data.
struct RegionFacts {
  std::string region;  // the answering hub's region
  std::vector<EmploymentPeriod> periods;
  std::vector<RegisterCheck> register_checks;
};

// Adds the facts of other regions' hubs to a worker's local `periods` and `register_checks`, for
// a national check. A hub speaks only for its own region's LAs: a period whose region is not the
// answering region is dropped, as is one whose (LA, record id) is already present. A check keeps
// its recorder (so an LA's check still counts only for that LA) and gets the id
// "<region>/<check id>", distinct from the local ones; the registration rule then takes the latest
// check. Returns the number of periods dropped. Pure.
int MergeRegionFacts(const std::vector<RegionFacts>& others, std::vector<EmploymentPeriod>* periods,
                     std::vector<RegisterCheck>* register_checks);

// Why a period failed validation: a field path relative to the period and a reason.
struct PeriodViolation {
  std::string field;
  std::string description;
};

// Checks the dates and reasons of `period` (its SWE number and LA are checked by the caller):
// end not before start, a leaving reason exactly when an end date is set, the employment type
// and job type set, record_id 1..128 characters, local_job_title at most 200 characters.
std::vector<PeriodViolation> ValidatePeriodFacts(const EmploymentPeriod& period);

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_DOMAIN_HISTORY_H_
