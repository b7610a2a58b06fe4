#include "services/peerreview/domain/group_sizes.h"

#include <algorithm>
#include <functional>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace slihub::peerreview {

absl::StatusOr<std::vector<int>> ComputeGroupSizes(int participants, int group_size,
                                                   RemainderPolicy policy) {
  if (group_size < 2 || group_size > 4) {
    return absl::InvalidArgumentError(absl::StrCat("group size ", group_size, " is not 2, 3 or 4"));
  }
  if (participants < 2) {
    return absl::InvalidArgumentError(
        absl::StrCat("a grouping needs at least 2 participants, not ", participants));
  }
  const int remainder = participants % group_size;
  const bool smaller = policy == RemainderPolicy::kSmallerGroups;
  const int off_size = smaller ? group_size - 1 : group_size + 1;
  // n = a*s + b*(s-1) gives b = (s - r) mod s; n = a*s + b*(s+1) gives b = r.
  const int off_groups = remainder == 0 ? 0 : (smaller ? group_size - remainder : remainder);
  const int rest = participants - off_groups * off_size;
  if (off_groups > 0 && (off_size < 2 || off_size > 4 || rest < 0 || rest % group_size != 0)) {
    return absl::InvalidArgumentError(absl::StrCat(
        participants, " participants cannot be split into groups of ", group_size, " with ",
        off_groups, " group(s) of ", off_size, ": every group must have 2 to 4 members"));
  }
  std::vector<int> sizes(rest / group_size, group_size);
  sizes.insert(sizes.end(), off_groups, off_size);
  std::sort(sizes.begin(), sizes.end(), std::greater<int>());
  return sizes;
}

std::string DescribeGroupSizes(const std::vector<int>& sizes) {
  return absl::StrJoin(sizes, ", ");
}

}  // namespace slihub::peerreview
