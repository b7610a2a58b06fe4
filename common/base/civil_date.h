// Civil (calendar) dates: parsing, formatting and the month arithmetic rules slihub uses.
#ifndef SLIHUB_COMMON_BASE_CIVIL_DATE_H_
#define SLIHUB_COMMON_BASE_CIVIL_DATE_H_

#include <string>
#include "absl/strings/string_view.h"

#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"

namespace slihub {

// Parses exactly "YYYY-MM-DD" (year 1900..9999, a real day of that month).
// Returns InvalidArgument naming the problem otherwise.
absl::StatusOr<absl::CivilDay> ParseCivilDate(absl::string_view text);

// Validates year/month/day fields (as in slihub.common.v1.CivilDate) and builds the day.
// Returns InvalidArgument when the fields do not name a real day in 1900..9999.
absl::StatusOr<absl::CivilDay> MakeCivilDate(int year, int month, int day);

// Formats as "YYYY-MM-DD".
std::string FormatCivilDate(absl::CivilDay day);

// Adds `months` calendar months (negative subtracts). When the target month is shorter, the
// result is clamped to its last day: 2025-01-31 + 1 month = 2025-02-28; 2024-02-29 + 12 = 2025-02-28.
absl::CivilDay AddMonthsClamped(absl::CivilDay day, int months);

}  // namespace slihub

#endif  // SLIHUB_COMMON_BASE_CIVIL_DATE_H_
