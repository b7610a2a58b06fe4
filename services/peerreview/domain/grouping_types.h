// The grouping solver's plain C++ vocabulary: the problem (participants, hard constraints, weighted
// soft aims) and the result (groups, integer score with per-aim components, constraint statuses,
// rationale). Mirrors slihub.peerreview.v1 grouping.proto without depending on it.
#ifndef SLIHUB_SERVICES_PEERREVIEW_DOMAIN_GROUPING_TYPES_H_
#define SLIHUB_SERVICES_PEERREVIEW_DOMAIN_GROUPING_TYPES_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace slihub::peerreview {

// An Ofsted ILACS grade; numbered as OfstedGrade.
enum class Grade {
  kUnknown = 0,
  kOutstanding = 1,
  kGood = 2,
  kRequiresImprovement = 3,
  kInadequate = 4,
  kNotJudged = 5,
};

// "Outstanding", "Good", "Requires improvement", "Inadequate", "Not judged".
std::string GradeName(Grade grade);

// How off-size groups are made; numbered as RemainderPolicy.
enum class RemainderPolicy { kSmallerGroups = 1, kLargerGroups = 2 };

// Whether statistical neighbours should meet; numbered as NeighbourPreference.
enum class NeighbourPreference { kTogether = 1, kApart = 2 };

// The search; numbered as SolverMethod.
enum class SolverMethod { kAuto = 1, kExhaustive = 2, kHeuristic = 3 };

// A soft aim; numbered as GroupingAim.
enum class Aim { kGradeMix = 1, kStatisticalNeighbours = 2, kTravel = 3, kReviewLoad = 4 };

// A hard constraint; numbered as ConstraintKind.
enum class ConstraintKind {
  kNoSelfReview = 1,
  kHostOnce = 2,
  kGroupSize = 3,
  kNoRepeat = 4,
  kConflictOfInterest = 5,
  kPinnedPair = 6,
};

// Whether a constraint holds; numbered as ConstraintState.
enum class ConstraintState { kSatisfied = 1, kViolated = 2, kNotApplicable = 3 };

// How a run ended; numbered as ProposalOutcome.
enum class Outcome { kOptimal = 1, kFeasible = 2, kInfeasible = 3, kNoSolutionFound = 4 };

// The largest cycle the exhaustive search accepts.
inline constexpr int kMaxExhaustiveParticipants = 12;

// One participant with the facts the aims use.
struct GroupingParticipant {
  std::string la_code;
  Grade grade = Grade::kUnknown;
  std::string region_code;                          // for the travel aim
  std::vector<std::string> statistical_neighbours;  // reference data, any region
};

// A group of an earlier year (an accepted slihub cycle or imported history).
struct PastGroup {
  int year = 0;
  std::vector<std::string> members;
};

// Two LAs (order irrelevant) and why they are named.
struct LaPairSpec {
  std::string first;
  std::string second;
  std::string reason;
};

// Weights of the soft aims, each 0..100.
struct AimWeights {
  int grade_mix = 0;
  int statistical_neighbours = 0;
  int travel = 0;
  int review_load = 0;
};

// Everything one solver run needs.
struct GroupingProblem {
  std::vector<GroupingParticipant> participants;
  int year = 0;  // the cycle's year; history of earlier years counts
  int group_size = 3;
  RemainderPolicy remainder = RemainderPolicy::kSmallerGroups;
  int no_repeat_cycles = 0;  // N most recent earlier years whose partners must not meet again
  std::vector<PastGroup> history;
  std::vector<LaPairSpec> conflicts;
  std::vector<LaPairSpec> pinned_pairs;
  AimWeights weights;
  NeighbourPreference neighbour_preference = NeighbourPreference::kTogether;
  uint64_t seed = 0;
  SolverMethod method = SolverMethod::kAuto;
  absl::Duration time_limit = absl::Seconds(1);  // heuristic only
};

// One aim's contribution to the whole grouping or to one group.
struct AimResult {
  Aim aim = Aim::kGradeMix;
  int weight = 0;
  int component = 0;  // 0..1000
  int64_t weighted = 0;
  std::string detail;
};

// One hard constraint instance's status.
struct ConstraintResult {
  ConstraintKind kind = ConstraintKind::kNoSelfReview;
  ConstraintState state = ConstraintState::kSatisfied;
  std::vector<std::string> la_codes;
  std::string detail;
};

// One group: members in LA code order; every member hosts once, reviewed by the others.
struct GroupResult {
  std::string group_id;
  std::vector<std::string> members;
  std::string summary;  // why it was chosen, for people
  std::vector<AimResult> aims;
};

// How the search went.
struct SolverStatistics {
  SolverMethod method = SolverMethod::kExhaustive;
  bool proven_optimal = false;
  int64_t nodes_explored = 0;
  absl::Duration elapsed;
  bool time_limit_reached = false;
};

// A run's answer (also the evaluation of hand-made groups).
struct GroupingResult {
  Outcome outcome = Outcome::kInfeasible;
  std::vector<GroupResult> groups;
  int64_t score = 0;
  int64_t max_score = 0;
  std::vector<AimResult> aims;
  std::vector<ConstraintResult> constraints;
  std::vector<ConstraintResult> conflicting_constraints;
  SolverStatistics stats;
};

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_DOMAIN_GROUPING_TYPES_H_
