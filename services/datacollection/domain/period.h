// Collection periods in time: on-time versus late at the deadline, the period's state, quarter ids
// ("2025-Q1" is April-June 2025, the financial year starting in 2025) and UK local deadlines.
//
// Time zone: deadlines are instants (UTC on the wire). People state them in UK local time
// (Europe/London), so "noon on 31 July 2025" is 11:00:00Z (BST) and "noon on 31 January 2026" is
// 12:00:00Z (GMT). A return received at or before the deadline instant is on time; after it, late.
#ifndef SLIHUB_SERVICES_DATACOLLECTION_DOMAIN_PERIOD_H_
#define SLIHUB_SERVICES_DATACOLLECTION_DOMAIN_PERIOD_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"

namespace slihub::datacollection {

// Numbered as slihub.datacollection.v1.Timeliness.
enum class Timeliness { kUnspecified = 0, kOnTime = 1, kLate = 2 };
// Numbered as slihub.datacollection.v1.PeriodState.
enum class PeriodState { kUnspecified = 0, kScheduled = 1, kOpen = 2, kLate = 3, kClosed = 4 };

// On time when `receive_time` <= `deadline` (the boundary instant itself is on time).
Timeliness StampTimeliness(absl::Time receive_time, absl::Time deadline);

// The window a period's times define.
struct PeriodWindow {
  absl::Time open_time;
  absl::Time deadline_time;
  absl::Time close_time;
};

// Scheduled before open; open from open to the deadline inclusive; late after the deadline and before
// close; closed from close_time.
PeriodState StateAt(const PeriodWindow& window, absl::Time now);

// A quarterly period id parsed: the first and last days it covers.
struct Quarter {
  int financial_year = 0;  // the calendar year the financial year starts in
  int quarter = 0;         // 1..4: Apr-Jun, Jul-Sep, Oct-Dec, Jan-Mar
  absl::CivilDay start_date;
  absl::CivilDay end_date;
};

// Parses "YYYY-Qn" (n 1..4); InvalidArgument otherwise.
absl::StatusOr<Quarter> ParseQuarterId(absl::string_view period_id);
// "YYYY-Qn".
std::string QuarterId(const Quarter& quarter);
// The quarter before (2025-Q1 -> 2024-Q4).
Quarter PreviousQuarter(const Quarter& quarter);
// "Q1 2025-26 (Apr-Jun 2025)".
std::string QuarterLabel(const Quarter& quarter);

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_DOMAIN_PERIOD_H_
