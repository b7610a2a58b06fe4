// The group sizes a cycle's participants are split into, given the configured size and remainder
// policy.
#ifndef SLIHUB_SERVICES_PEERREVIEW_DOMAIN_GROUP_SIZES_H_
#define SLIHUB_SERVICES_PEERREVIEW_DOMAIN_GROUP_SIZES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/peerreview/domain/grouping_types.h"

namespace slihub::peerreview {

// The sizes (largest first) of a partition of `participants` into groups of `group_size` with as
// few off-size groups as possible, off-size groups being one smaller or one larger per `policy`.
// InvalidArgument when group_size is outside 2..4, there are fewer than 2 participants, or the
// policy cannot keep every group within 2..4 (11 in pairs with SMALLER_GROUPS, any remainder with
// size 4 and LARGER_GROUPS).
absl::StatusOr<std::vector<int>> ComputeGroupSizes(int participants, int group_size,
                                                   RemainderPolicy policy);

// "3, 3, 3, 2".
std::string DescribeGroupSizes(const std::vector<int>& sizes);

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_DOMAIN_GROUP_SIZES_H_
