// The one set of defaults of a grouping request: ProposeGroups fills the fields a caller leaves
// unset with them, and `slihub peer groups propose` starts its flags from them, so the API and the
// CLI propose the same groups for the same cycle when nothing is chosen. Header-only.
#ifndef SLIHUB_SERVICES_PEERREVIEW_ADAPTER_GROUPING_DEFAULTS_H_
#define SLIHUB_SERVICES_PEERREVIEW_ADAPTER_GROUPING_DEFAULTS_H_

#include <cstdint>

#include "slihub/peerreview/v1/grouping.pb.h"

namespace slihub::peerreview {

inline constexpr int kDefaultGroupSize = 3;
inline constexpr int kDefaultNoRepeatCycles = 1;
inline constexpr uint64_t kDefaultSeed = 0;
inline constexpr int kDefaultTimeLimitSeconds = 1;
// Soft-aim weights: grade mix, statistical neighbours, travel, even reviewing load.
inline constexpr int kDefaultWeights[4] = {50, 20, 10, 30};

// `config` with every unset field at its default: group_size 0, no_repeat_cycles absent, weights
// absent, remainder policy / neighbour preference / solver UNSPECIFIED, time_limit absent. (seed
// 0 is its own default.) Set fields are kept as given, valid or not.
inline v1::GroupingConfig WithGroupingDefaults(v1::GroupingConfig config) {
  if (config.group_size() == 0) config.set_group_size(kDefaultGroupSize);
  if (config.remainder_policy() == v1::REMAINDER_POLICY_UNSPECIFIED) {
    config.set_remainder_policy(v1::REMAINDER_POLICY_SMALLER_GROUPS);
  }
  if (!config.has_no_repeat_cycles()) config.set_no_repeat_cycles(kDefaultNoRepeatCycles);
  if (!config.has_weights()) {
    v1::AimWeights* w = config.mutable_weights();
    w->set_grade_mix(kDefaultWeights[0]);
    w->set_statistical_neighbours(kDefaultWeights[1]);
    w->set_travel(kDefaultWeights[2]);
    w->set_review_load(kDefaultWeights[3]);
  }
  if (config.neighbour_preference() == v1::NEIGHBOUR_PREFERENCE_UNSPECIFIED) {
    config.set_neighbour_preference(v1::NEIGHBOUR_PREFERENCE_TOGETHER);
  }
  if (config.solver() == v1::SOLVER_METHOD_UNSPECIFIED) config.set_solver(v1::SOLVER_METHOD_AUTO);
  if (!config.has_time_limit()) config.mutable_time_limit()->set_seconds(kDefaultTimeLimitSeconds);
  return config;
}

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_ADAPTER_GROUPING_DEFAULTS_H_
