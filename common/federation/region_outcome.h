// How one region contributed to a cross-region answer, free of wire types.
#ifndef SLIHUB_COMMON_FEDERATION_REGION_OUTCOME_H_
#define SLIHUB_COMMON_FEDERATION_REGION_OUTCOME_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace slihub::federation {

// Numbered as slihub.common.v1.RegionAnswerState.
enum class RegionState {
  kFresh = 1,        // the region's hub answered this call (or it is this hub's own region)
  kStale = 2,        // the hub did not answer; an older cached answer was used
  kUnavailable = 3,  // the hub failed and nothing usable was cached
  kCached = 4,       // a cached answer within the freshness bound, its change feed connected
  kTimedOut = 5,     // the hub did not answer within the deadline and nothing usable was cached
};

// One region's part of an answer. Plain value.
struct RegionOutcome {
  std::string region;
  RegionState state = RegionState::kUnavailable;
  absl::Time as_of = absl::InfinitePast();  // when the region's data was read at its hub
  std::string reason;                       // why STALE, UNAVAILABLE or TIMED_OUT

  // True when the region's part is in the answer (FRESH, CACHED or STALE).
  bool has_answer() const;
  // True when the region's part is in the answer and current (FRESH or CACHED).
  bool current() const;
};

// The hub's own region, read now.
RegionOutcome LocalOutcome(const std::string& region, absl::Time now);

// "STALE", "UNAVAILABLE", ...
const char* RegionStateName(RegionState state);

// The regions whose part is missing (no answer), in the given order.
std::vector<std::string> MissingRegions(const std::vector<RegionOutcome>& outcomes);

// For strict mode: OK when every region is current; otherwise UNAVAILABLE naming each region that
// is not, with its state and reason, and the ErrorInfo reason REGION_UNAVAILABLE with metadata
// regions=EE,SE.
absl::Status RequireEveryRegion(const std::vector<RegionOutcome>& outcomes);

}  // namespace slihub::federation

#endif  // SLIHUB_COMMON_FEDERATION_REGION_OUTCOME_H_
