// Challenge event scheduling: dates within a range, no LA in two live events on one day, no LA
// booked on a date it declared unavailable, excluded dates and (unless allowed) weekends skipped,
// an optional cap of events per day. Plain C++; deterministic for a seed.
#ifndef SLIHUB_SERVICES_PEERREVIEW_DOMAIN_EVENT_SCHEDULER_H_
#define SLIHUB_SERVICES_PEERREVIEW_DOMAIN_EVENT_SCHEDULER_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/time/civil_time.h"

namespace slihub::peerreview {

// One challenge to place: its host and every LA attending (host first, then the reviewers).
struct ChallengeToPlace {
  std::string host;
  std::string group_id;
  std::vector<std::string> las;
};

// Dates an LA declared it cannot attend (inclusive).
struct UnavailableDates {
  std::string la_code;
  absl::CivilDay start;
  absl::CivilDay end;
  std::string reason;
};

// An existing live event's booking: `la_codes` are busy on `day`.
struct ExistingBooking {
  std::string event_id;
  std::string host;
  absl::CivilDay day;
  std::vector<std::string> la_codes;
};

// The calendar rules every event date is checked against.
struct SchedulingRules {
  absl::CivilDay start;  // first usable date (inclusive)
  absl::CivilDay end;    // last usable date (inclusive)
  bool allow_weekends = false;
  std::set<absl::CivilDay> excluded;
  int max_events_per_day = 0;  // 0: no limit
  std::vector<UnavailableDates> unavailable;
  std::vector<ExistingBooking> bookings;
};

// Why `day` cannot hold an event attended by `las` under `rules` (ignoring the booking with id
// `ignore_event`, the event being moved); nullopt when it can. For example "2026-01-17 is a
// Saturday", "926 is unavailable 2026-01-12..2026-01-16 (training)", "873 already attends the event
// of host 881 (EE-2025-E2) on 2026-01-13".
std::optional<std::string> DayProblem(const SchedulingRules& rules, absl::CivilDay day,
                                      const std::vector<std::string>& las,
                                      const std::string& ignore_event = "");

// A placed challenge (index into the input) and its date.
struct PlacedChallenge {
  int index = 0;
  absl::CivilDay day;
};

// A challenge that could not be placed, with why no date works.
struct UnplacedChallenge {
  int index = 0;
  std::string reason;
};

// The schedule: every challenge is either placed or unplaced with a reason.
struct ScheduleResult {
  std::vector<PlacedChallenge> placed;  // in input order
  std::vector<UnplacedChallenge> unplaced;
};

// Places `challenges` on dates obeying `rules` and each other (no LA twice on one day). Searches
// for a placement of all of them (most constrained first, backtracking within a budget); when none
// exists, places as many as it can and explains each one left. Among equally loaded dates the
// choice follows `seed`; events are spread so the quietest day is preferred.
ScheduleResult ScheduleChallenges(const SchedulingRules& rules,
                                  const std::vector<ChallengeToPlace>& challenges, uint64_t seed);

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_DOMAIN_EVENT_SCHEDULER_H_
