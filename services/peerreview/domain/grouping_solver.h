// ProposeGroups' domain: solves a grouping problem (exhaustive up to 12 participants, heuristic
// above, or as asked), explains infeasibility by naming a small set of conflicting constraints,
// and evaluates hand-made groups against every hard constraint.
#ifndef SLIHUB_SERVICES_PEERREVIEW_DOMAIN_GROUPING_SOLVER_H_
#define SLIHUB_SERVICES_PEERREVIEW_DOMAIN_GROUPING_SOLVER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/peerreview/domain/grouping_types.h"

namespace slihub::peerreview {

// Solves `problem`. Infeasibility is an answer (outcome INFEASIBLE or NO_SOLUTION_FOUND with the
// conflicting constraints), not an error. InvalidArgument for a malformed problem: impossible group
// sizes, a pair naming a non-participant or one LA twice, a repeated participant, a weight outside
// 0..100, or EXHAUSTIVE above 12 participants. Deterministic for a seed (unless the heuristic's
// time limit cuts it short, which stats.time_limit_reached reports).
absl::StatusOr<GroupingResult> SolveGrouping(const GroupingProblem& problem);

// Checks hand-made `groups` (LA codes) against every hard constraint of `problem` (its group_size
// and remainder are ignored: each group must have 2..4 members) and scores them. Outcome FEASIBLE
// when every constraint holds, INFEASIBLE otherwise with `constraints` marking each violation.
GroupingResult EvaluateGrouping(const GroupingProblem& problem,
                                const std::vector<std::vector<std::string>>& groups);

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_DOMAIN_GROUPING_SOLVER_H_
