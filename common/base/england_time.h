// "Today" and day boundaries as England keeps them: civil dates in Europe/London, so a deadline
// of 31 July ends at midnight British Summer Time, not UTC. The one source of "today" for every
// service.
#ifndef SLIHUB_COMMON_BASE_ENGLAND_TIME_H_
#define SLIHUB_COMMON_BASE_ENGLAND_TIME_H_

#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace slihub {

// The Europe/London time zone, loaded once from the system's zoneinfo (tzdata). Aborts at first
// use when the zone is missing: every date rule would otherwise be silently wrong. Thread-safe.
absl::TimeZone EnglandTimeZone();

// The civil date in England at `now`.
absl::CivilDay EnglandDay(absl::Time now);

// The civil date in England now. Thread-safe.
inline absl::CivilDay TodayInEngland() { return EnglandDay(absl::Now()); }

// The first instant of `day` in England (00:00 local time).
absl::Time StartOfEnglandDay(absl::CivilDay day);

// The last instant of `day` in England: one microsecond before the next day starts, the finest
// step the stores keep, so a deadline "on `day`" is met by anything stored that day.
absl::Time EndOfEnglandDay(absl::CivilDay day);

}  // namespace slihub

#endif  // SLIHUB_COMMON_BASE_ENGLAND_TIME_H_
