// Submission tracking for one period: each LA on time, late, missing or not yet due, with the share
// of its expected indicators given on time, and the region's totals.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_DOMAIN_TRACKING_H_
#define SLIHUB_SERVICES_DATACOLLECTION_DOMAIN_TRACKING_H_

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "services/datacollection/domain/decimal.h"

namespace slihub::datacollection {

// Numbered as slihub.datacollection.v1.SubmissionState.
enum class SubmissionState { kUnspecified = 0, kNotDue = 1, kOnTime = 2, kLate = 3, kMissing = 4 };

// One accepted version of an LA's return, as tracking sees it.
struct VersionFacts {
  int64_t version = 0;
  absl::Time receive_time;
  // Indicators the version gives (PRESENT, MISSING or SUPPRESSED).
  std::set<std::string> indicators_given;
};

// One LA's standing for a period.
struct LaStatus {
  std::string la_code;
  SubmissionState state = SubmissionState::kUnspecified;
  int64_t latest_version = 0;
  absl::Time first_receive_time = absl::InfinitePast();
  absl::Time latest_receive_time = absl::InfinitePast();
  int expected = 0, on_time = 0, late = 0, missing = 0;
  Decimal on_time_share;  // percentage, scale 1
};

// An LA's status from its versions (any order): an indicator is on time when a version received at or
// before `deadline` gave it, late when first given after, missing when no version gives it.
LaStatus ComputeLaStatus(const std::string& la_code, const std::vector<std::string>& expected,
                         const std::vector<VersionFacts>& versions, absl::Time deadline,
                         absl::Time now);

// The region's totals.
struct RegionSummary {
  int expected = 0, on_time = 0, late = 0, missing = 0, not_due = 0;
  Decimal la_on_time_share;         // percentage, scale 1
  Decimal indicator_on_time_share;  // percentage, scale 1
};

// Totals over `las`.
RegionSummary Summarise(const std::vector<LaStatus>& las);

// part / whole as a percentage at scale 1, rounded half away from zero; 0.0 when whole is 0.
Decimal PercentageShare(int64_t part, int64_t whole);

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_DOMAIN_TRACKING_H_
