// The index-based form of a grouping problem the searches work on: pair matrices for the hard
// constraints and the aims, past reviewing loads, and the integer scoring of a partition.
#ifndef SLIHUB_SERVICES_PEERREVIEW_DOMAIN_GROUPING_MODEL_H_
#define SLIHUB_SERVICES_PEERREVIEW_DOMAIN_GROUPING_MODEL_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/peerreview/domain/grouping_types.h"

namespace slihub::peerreview {

// One hard pair constraint instance over participant indices: forbidden (conflict of interest, no
// repeat) or required (pinned pair).
struct PairConstraint {
  ConstraintKind kind = ConstraintKind::kConflictOfInterest;
  int a = 0;
  int b = 0;
  std::string detail;
};

// A partition of participant indices into groups.
using Partition = std::vector<std::vector<int>>;

// The sufficient statistics of a partition that the four aim components are computed from.
struct PartitionStats {
  int64_t grade_mix = 0;         // sum over groups of (distinct grade classes - 1)
  int64_t grade_mix_best = 0;    // sum over groups of (min(size, classes) - 1)
  int64_t neighbour_pairs = 0;   // member pairs that are statistical neighbours
  int64_t member_pairs = 0;      // all member pairs
  int64_t same_region_pairs = 0;
  int64_t load_deviation = 0;    // sum over LAs of |n * load - total load|
  int64_t members = 0;
};

// Immutable after Build (except SetPairConstraints). Thread-compatible.
class GroupingModel {
 public:
  // Compiles `problem`. InvalidArgument when the participants repeat, a pair names an LA that is
  // not a participant or the same LA twice, or the group sizes are impossible. `fixed_sizes`, when
  // given, replaces the sizes derived from group_size and the remainder policy.
  static absl::StatusOr<GroupingModel> Build(const GroupingProblem& problem,
                                             const std::vector<int>* fixed_sizes = nullptr);

  int size() const { return static_cast<int>(codes_.size()); }
  const std::string& code(int i) const { return codes_[i]; }
  // The group sizes every partition must have, largest first.
  const std::vector<int>& group_sizes() const { return group_sizes_; }
  const std::vector<PairConstraint>& pair_constraints() const { return pair_constraints_; }
  // Replaces the hard pair constraints (used to test subsets when explaining infeasibility).
  void SetPairConstraints(std::vector<PairConstraint> constraints);

  // Number of forbidding constraints on {i, j}; whether {i, j} is pinned.
  int forbidden(int i, int j) const { return forbidden_[i * size() + j]; }
  bool pinned(int i, int j) const { return pinned_[i * size() + j] != 0; }
  bool neighbours(int i, int j) const { return neighbour_[i * size() + j] != 0; }
  bool same_region(int i, int j) const { return same_region_[i * size() + j] != 0; }
  int grade_class(int i) const { return grade_class_[i]; }
  int grade_classes() const { return grade_classes_; }
  Grade grade(int i) const { return grades_[i]; }
  const std::string& region(int i) const { return regions_[i]; }
  int64_t past_load(int i) const { return past_load_[i]; }
  // Statistical-neighbour pairs among all participants.
  int64_t total_neighbour_pairs() const { return total_neighbour_pairs_; }
  // Sum of every participant's load after this cycle (fixed by the group sizes).
  int64_t total_load() const { return total_load_; }
  const AimWeights& weights() const { return weights_; }
  NeighbourPreference neighbour_preference() const { return neighbour_preference_; }

  // Statistics of `partition` (whole grouping) or of one group.
  PartitionStats Measure(const Partition& partition) const;
  // The four components (grade mix, neighbours, travel, load), each 0..1000.
  std::array<int, 4> Components(const PartitionStats& stats) const;
  // Sum over aims of weight x component.
  int64_t Score(const PartitionStats& stats) const;
  // 1000 x the sum of weights.
  int64_t MaxScore() const;
  // Hard pair constraints `partition` violates (forbidden pairs together, pinned pairs apart).
  std::vector<int> Violations(const Partition& partition) const;

 private:
  GroupingModel() = default;

  std::vector<std::string> codes_;
  std::vector<int> group_sizes_;
  std::vector<PairConstraint> pair_constraints_;
  std::vector<uint8_t> forbidden_;
  std::vector<uint8_t> pinned_;
  std::vector<uint8_t> neighbour_;
  std::vector<uint8_t> same_region_;
  std::vector<int> grade_class_;
  std::vector<Grade> grades_;
  std::vector<std::string> regions_;
  int grade_classes_ = 0;
  std::vector<int64_t> past_load_;
  int64_t total_neighbour_pairs_ = 0;
  int64_t total_load_ = 0;
  AimWeights weights_;
  NeighbourPreference neighbour_preference_ = NeighbourPreference::kTogether;
};

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_DOMAIN_GROUPING_MODEL_H_
