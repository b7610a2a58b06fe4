// Choosing a thematic review's team: reviewing LAs other than the host, none in a declared
// conflict with the host or with each other, none excluded by the host, each free on every day of
// the review; the least loaded first (fewest reviews done), ties broken by the seed.
#ifndef SLIHUB_SERVICES_PEERREVIEW_DOMAIN_REVIEW_TEAM_H_
#define SLIHUB_SERVICES_PEERREVIEW_DOMAIN_REVIEW_TEAM_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "services/peerreview/domain/event_scheduler.h"

namespace slihub::peerreview {

// What the team choice looks at.
struct TeamRequest {
  std::string host;
  std::vector<std::string> candidates;  // the cycle's participants (the host among them is skipped)
  int size = 0;                         // 1..6
  absl::CivilDay first_day;
  absl::CivilDay last_day;
  std::set<std::string> excluded;                           // asked by the host
  std::vector<std::pair<std::string, std::string>> conflicts;  // declared pairs
  std::map<std::string, int> load;  // LA -> challenges and reviews it already attends as reviewer
  SchedulingRules rules;            // unavailability and bookings (dates outside are not checked)
  uint64_t seed = 0;
};

// The chosen team, or why it fell short.
struct TeamResult {
  std::vector<std::string> team;  // in LA code order; fewer than size when not enough were eligible
  std::string rationale;          // for people
  std::map<std::string, std::string> excluded;  // LA -> why it could not serve
};

// Chooses the team (see the header comment). Deterministic for a seed.
TeamResult ChooseReviewTeam(const TeamRequest& request);

// Why `la` cannot serve on a review of `host` spanning the request's days beside `team` (the
// team chosen so far), or empty when it can.
std::string TeamMemberProblem(const TeamRequest& request, const std::string& la,
                              const std::vector<std::string>& team);

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_DOMAIN_REVIEW_TEAM_H_
