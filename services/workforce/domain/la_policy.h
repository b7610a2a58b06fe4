// An LA's workforce policy: one effective-dated version of how its local job titles map to the
// five national job types and the notice its permanent staff give per job type.
#ifndef SLIHUB_SERVICES_WORKFORCE_DOMAIN_LA_POLICY_H_
#define SLIHUB_SERVICES_WORKFORCE_DOMAIN_LA_POLICY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "common/errors/errors.h"
#include "services/workforce/domain/types.h"

namespace slihub::workforce {

// One local title and its job type. Plain data.
struct TitleMapping {
  std::string local_title;
  JobType job_type = JobType::kUnspecified;
};

// The permanent-staff notice for a job type. Plain data.
struct PermanentNotice {
  JobType job_type = JobType::kUnspecified;
  int notice_weeks = 0;
};

// One version of an LA's policy. Plain data; `version` is 0 until published.
struct LaPolicy {
  std::string la_code;
  int64_t version = 0;
  absl::CivilDay effective_from;
  std::vector<TitleMapping> mappings;
  std::vector<PermanentNotice> notice;

  // The job type `title` maps to (trimmed, any case), or nullopt when unmapped.
  std::optional<JobType> MapTitle(const std::string& title) const;
  // The permanent notice for `job_type`, or nullopt when the policy states none.
  std::optional<int> NoticeFor(JobType job_type) const;
};

// Checks a policy's mappings and notice (not its LA or dates), adding violations with paths
// relative to the policy ("job_title_mappings[1].local_title"): titles 1..200 characters and
// unique ignoring case and surrounding spaces, job types set, at most 500 mappings; notice
// per job type at most once, 1..52 weeks.
void ValidateLaPolicy(const LaPolicy& policy, FieldViolations* violations);

// The version in force on `day` (the latest effective_from on or before it), or nullptr.
const LaPolicy* PolicyInForce(const std::vector<LaPolicy>& versions, absl::CivilDay day);

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_DOMAIN_LA_POLICY_H_
