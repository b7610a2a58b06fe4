// The two searches over partitions of a GroupingModel: a complete (exhaustive) search and a seeded
// simulated-annealing heuristic. Both honour the hard pair constraints and maximise the integer
// score; both are deterministic for a seed.
#ifndef SLIHUB_SERVICES_PEERREVIEW_DOMAIN_SEARCH_H_
#define SLIHUB_SERVICES_PEERREVIEW_DOMAIN_SEARCH_H_

#include <cstdint>
#include <vector>

#include "absl/time/time.h"
#include "services/peerreview/domain/grouping_model.h"

namespace slihub::peerreview {

// What the exhaustive search found.
struct ExhaustiveOutcome {
  bool feasible = false;
  Partition best;      // the first highest-scoring feasible partition in the seed's order
  int64_t score = 0;
  int64_t nodes = 0;   // groups formed during the search
};

// Visits every partition into model.group_sizes() that satisfies the hard pair constraints, in an
// order determined by `seed`, and returns the first with the highest score (or, with
// `first_feasible_only`, the first feasible one). Exponential: meant for at most 12 participants.
ExhaustiveOutcome SearchExhaustive(const GroupingModel& model, uint64_t seed,
                                   bool first_feasible_only = false);

// Budget of the heuristic. `moves_per_restart` 0 picks one from the problem size.
struct HeuristicOptions {
  uint64_t seed = 0;
  absl::Duration time_limit = absl::Seconds(1);
  int restarts = 4;
  int64_t moves_per_restart = 0;
};

// What the heuristic found.
struct HeuristicOutcome {
  bool feasible = false;
  Partition best;                   // the best feasible partition, when feasible
  int64_t score = 0;
  Partition least_violating;        // when not feasible: the state with fewest violations
  std::vector<int> violated;        // indices into model.pair_constraints() of least_violating
  int64_t moves = 0;
  bool time_limit_reached = false;  // the search stopped early (the answer may then vary by speed)
};

// Simulated annealing over swaps of two LAs in different groups, from a greedy seeded start,
// `restarts` times; the hard pair constraints are a penalty and only feasible states are kept.
HeuristicOutcome SearchHeuristic(const GroupingModel& model, const HeuristicOptions& options);

// A splitmix64 step: the portable random source every seeded choice uses.
uint64_t NextRandom(uint64_t& state);

}  // namespace slihub::peerreview

#endif  // SLIHUB_SERVICES_PEERREVIEW_DOMAIN_SEARCH_H_
