// Rules for holds: how long a bed may be reserved.
#ifndef SLIHUB_SERVICES_PLACEMENT_DOMAIN_HOLDS_H_
#define SLIHUB_SERVICES_PLACEMENT_DOMAIN_HOLDS_H_

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace slihub::placement {

// Hold parameters. Plain data.
struct HoldPolicy {
  absl::Duration max_duration = absl::Hours(72);   // the longest a bed may be held
  absl::Duration min_duration = absl::Seconds(1);  // shorter requests are refused
};

// The duration a hold gets: `requested`, or the maximum when it is zero. InvalidArgument when
// negative, below the minimum or above the maximum.
absl::StatusOr<absl::Duration> ResolveHoldDuration(absl::Duration requested,
                                                   const HoldPolicy& policy);

// True when a hold expiring at `expire_time` has lapsed at `now` (expiry is inclusive).
inline bool HoldLapsed(absl::Time expire_time, absl::Time now) { return now >= expire_time; }

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_DOMAIN_HOLDS_H_
