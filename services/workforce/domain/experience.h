// Counting qualifying experience: days and whole months over possibly overlapping,
// non-consecutive periods.
#ifndef SLIHUB_SERVICES_WORKFORCE_DOMAIN_EXPERIENCE_H_
#define SLIHUB_SERVICES_WORKFORCE_DOMAIN_EXPERIENCE_H_

#include <vector>

#include "absl/time/civil_time.h"

namespace slihub::workforce {

// An inclusive span of days. Plain data; first <= last.
struct DaySpan {
  absl::CivilDay first;
  absl::CivilDay last;
};

// Days and whole months covered by a set of spans.
struct ExperienceCount {
  int days = 0;
  int months = 0;
};

// Counts `spans` (any order, may overlap): overlapping or touching spans are merged so every day
// counts once; each merged span contributes its whole calendar months from its first day (month
// arithmetic clamped to month end, so 2022-01-01..2024-12-31 is 36 months and
// 2022-01-01..2024-12-30 is 35) and its leftover days; leftover days of separate spans are pooled
// at 31 days a month, so a month is never credited that no calendar month could fill.
ExperienceCount CountExperience(std::vector<DaySpan> spans);

}  // namespace slihub::workforce

#endif  // SLIHUB_SERVICES_WORKFORCE_DOMAIN_EXPERIENCE_H_
