#include "services/datacollection/domain/period.h"

#include <cstdio>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace slihub::datacollection {

Timeliness StampTimeliness(absl::Time receive_time, absl::Time deadline) {
  return receive_time <= deadline ? Timeliness::kOnTime : Timeliness::kLate;
}

PeriodState StateAt(const PeriodWindow& window, absl::Time now) {
  if (now < window.open_time) return PeriodState::kScheduled;
  if (now <= window.deadline_time) return PeriodState::kOpen;
  if (now < window.close_time) return PeriodState::kLate;
  return PeriodState::kClosed;
}

absl::StatusOr<Quarter> ParseQuarterId(absl::string_view period_id) {
  int year = 0;
  if (period_id.size() != 7 || period_id.substr(4, 2) != "-Q" ||
      !absl::SimpleAtoi(period_id.substr(0, 4), &year) || year < 1900 || period_id[6] < '1' ||
      period_id[6] > '4' || period_id[0] < '0' || period_id[0] > '9') {
    return absl::InvalidArgumentError(
        absl::StrCat("'", std::string(period_id), "' is not a quarter id like 2025-Q1"));
  }
  Quarter q;
  q.financial_year = year;
  q.quarter = period_id[6] - '0';
  const absl::CivilMonth first(year, 4 + 3 * (q.quarter - 1));
  q.start_date = absl::CivilDay(first);
  q.end_date = absl::CivilDay(first + 3) - 1;
  return q;
}

std::string QuarterId(const Quarter& quarter) {
  return absl::StrCat(quarter.financial_year, "-Q", quarter.quarter);
}

Quarter PreviousQuarter(const Quarter& quarter) {
  const int year = quarter.quarter == 1 ? quarter.financial_year - 1 : quarter.financial_year;
  const int q = quarter.quarter == 1 ? 4 : quarter.quarter - 1;
  return *ParseQuarterId(absl::StrFormat("%04d-Q%d", year, q));
}

std::string QuarterLabel(const Quarter& quarter) {
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  return absl::StrFormat("Q%d %d-%02d (%s-%s %d)", quarter.quarter, quarter.financial_year,
                         (quarter.financial_year + 1) % 100, kMonths[quarter.start_date.month() - 1],
                         kMonths[quarter.end_date.month() - 1], quarter.end_date.year());
}

}  // namespace slihub::datacollection
