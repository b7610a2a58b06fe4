#include "services/placement/domain/holds.h"

#include "absl/strings/str_cat.h"

namespace slihub::placement {

absl::StatusOr<absl::Duration> ResolveHoldDuration(absl::Duration requested,
                                                   const HoldPolicy& policy) {
  if (requested == absl::ZeroDuration()) return policy.max_duration;
  if (requested < policy.min_duration) {
    return absl::InvalidArgumentError(
        absl::StrCat("hold duration must be at least ", absl::FormatDuration(policy.min_duration)));
  }
  if (requested > policy.max_duration) {
    return absl::InvalidArgumentError(
        absl::StrCat("hold duration must be at most ", absl::FormatDuration(policy.max_duration)));
  }
  return requested;
}

}  // namespace slihub::placement
