#include "services/peerreview/domain/grouping_solver.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <set>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "services/peerreview/domain/group_sizes.h"
#include "services/peerreview/domain/grouping_model.h"
#include "services/peerreview/domain/search.h"

namespace slihub::peerreview {
namespace {

std::vector<std::string> Codes(const GroupingModel& model, const std::vector<int>& members) {
  std::vector<std::string> codes;
  for (int m : members) codes.push_back(model.code(m));
  std::sort(codes.begin(), codes.end());
  return codes;
}

std::string Plural(int64_t count, absl::string_view one, absl::string_view many) {
  return absl::StrCat(count, " ", count == 1 ? one : many);
}

// The four aims for a whole grouping (`whole`) or one group, with readable details.
std::vector<AimResult> DescribeAims(const GroupingModel& model, const Partition& partition,
                                    bool whole) {
  const PartitionStats stats = model.Measure(partition);
  const std::array<int, 4> c = model.Components(stats);
  const AimWeights& w = model.weights();
  std::vector<AimResult> aims(4);
  const int weights[4] = {w.grade_mix, w.statistical_neighbours, w.travel, w.review_load};
  for (int k = 0; k < 4; ++k) {
    aims[k].aim = static_cast<Aim>(k + 1);
    aims[k].weight = weights[k];
    aims[k].component = c[k];
    aims[k].weighted = static_cast<int64_t>(weights[k]) * c[k];
  }
  std::vector<int> members;
  for (const auto& group : partition) members.insert(members.end(), group.begin(), group.end());
  std::sort(members.begin(), members.end(),
            [&](int a, int b) { return model.code(a) < model.code(b); });
  const bool together = model.neighbour_preference() == NeighbourPreference::kTogether;
  int64_t low = -1, high = -1;
  std::vector<std::string> loads;
  for (const auto& group : partition) {
    for (int m : group) {
      const int64_t load = model.past_load(m) + static_cast<int64_t>(group.size()) - 1;
      low = low < 0 ? load : std::min(low, load);
      high = std::max(high, load);
    }
  }
  if (whole) {
    aims[0].detail = model.grade_classes() <= 1
                         ? "every participant has the same grade: nothing to mix"
                         : absl::StrCat("groups hold ", stats.grade_mix, " of at most ",
                                        stats.grade_mix_best, " additional different grades");
    aims[1].detail = absl::StrCat(stats.neighbour_pairs, " of ", model.total_neighbour_pairs(),
                                  " statistical-neighbour pairs among participants share a group",
                                  together ? " (preference: together)" : " (preference: apart)");
    aims[2].detail = absl::StrCat(stats.same_region_pairs, " of ", stats.member_pairs,
                                  " member pairs are in the same region");
    aims[3].detail = absl::StrCat("reviews per LA including past cycles range from ", low, " to ",
                                  high, " after this cycle");
  } else {
    std::vector<std::string> grades, regions, reviews;
    for (int m : members) {
      grades.push_back(GradeName(model.grade(m)));
      const std::string& region = model.region(m);
      if (std::find(regions.begin(), regions.end(), region) == regions.end()) regions.push_back(region);
      reviews.push_back(absl::StrCat(model.code(m), ": ",
                                     model.past_load(m) + static_cast<int64_t>(members.size()) - 1));
    }
    aims[0].detail = absl::StrCat("grades in group: ", absl::StrJoin(grades, ", "));
    aims[1].detail = absl::StrCat(stats.neighbour_pairs, " of ", stats.member_pairs,
                                  " member pairs are statistical neighbours");
    aims[2].detail = regions.size() == 1
                         ? absl::StrCat("all members in ", regions[0])
                         : absl::StrCat("members in ", absl::StrJoin(regions, ", "));
    aims[3].detail = absl::StrCat("reviews after this cycle: ", absl::StrJoin(reviews, ", "));
  }
  return aims;
}

ConstraintResult FromPair(const GroupingModel& model, const PairConstraint& c,
                          ConstraintState state) {
  ConstraintResult result;
  result.kind = c.kind;
  result.state = state;
  result.la_codes = {model.code(c.a), model.code(c.b)};
  std::sort(result.la_codes.begin(), result.la_codes.end());
  result.detail = c.detail;
  return result;
}

ConstraintResult GroupSizeConstraint(const GroupingModel& model, ConstraintState state) {
  ConstraintResult result;
  result.kind = ConstraintKind::kGroupSize;
  result.state = state;
  result.detail = absl::StrCat("groups of ", DescribeGroupSizes(model.group_sizes()));
  return result;
}

// Every hard constraint's status for a structurally sound `partition`.
std::vector<ConstraintResult> ListConstraints(const GroupingModel& model, const Partition& partition) {
  std::vector<ConstraintResult> out;
  out.push_back({ConstraintKind::kNoSelfReview, ConstraintState::kSatisfied, {},
                 "no LA is in a group with itself or reviews its own challenge"});
  out.push_back({ConstraintKind::kHostOnce, ConstraintState::kSatisfied, {},
                 absl::StrCat("each of the ", model.size(),
                              " participants is in one group and hosts exactly once")});
  out.push_back(GroupSizeConstraint(model, ConstraintState::kSatisfied));
  const std::vector<int> violated = model.Violations(partition);
  const std::set<int> violated_set(violated.begin(), violated.end());
  const std::pair<ConstraintKind, const char*> kinds[] = {
      {ConstraintKind::kNoRepeat, "no partners from the no-repeat window among the participants"},
      {ConstraintKind::kConflictOfInterest, "no conflicts of interest declared"},
      {ConstraintKind::kPinnedPair, "no pinned pairs"}};
  for (const auto& [kind, none] : kinds) {
    bool any = false;
    for (size_t k = 0; k < model.pair_constraints().size(); ++k) {
      const PairConstraint& c = model.pair_constraints()[k];
      if (c.kind != kind) continue;
      any = true;
      out.push_back(FromPair(model, c,
                             violated_set.count(static_cast<int>(k)) ? ConstraintState::kViolated
                                                                     : ConstraintState::kSatisfied));
    }
    if (!any) out.push_back({kind, ConstraintState::kNotApplicable, {}, none});
  }
  return out;
}

// Canonical groups (members in code order, groups by first member), ids, rationale and score.
void FillGroups(const GroupingModel& model, const Partition& partition, bool optimal,
                GroupingResult& result) {
  Partition sorted = partition;
  for (auto& group : sorted) {
    std::sort(group.begin(), group.end(), [&](int a, int b) { return model.code(a) < model.code(b); });
  }
  std::sort(sorted.begin(), sorted.end(),
            [&](const auto& a, const auto& b) { return model.code(a[0]) < model.code(b[0]); });
  const PartitionStats stats = model.Measure(partition);
  result.score = model.Score(stats);
  result.max_score = model.MaxScore();
  result.aims = DescribeAims(model, partition, true);
  for (size_t g = 0; g < sorted.size(); ++g) {
    GroupResult group;
    group.group_id = absl::StrCat("G", g + 1);
    group.members = Codes(model, sorted[g]);
    group.aims = DescribeAims(model, {sorted[g]}, false);
    const PartitionStats own = model.Measure({sorted[g]});
    std::vector<std::string> pinned;
    for (const PairConstraint& c : model.pair_constraints()) {
      if (c.kind == ConstraintKind::kPinnedPair &&
          std::find(sorted[g].begin(), sorted[g].end(), c.a) != sorted[g].end()) {
        pinned.push_back(absl::StrCat(model.code(c.a), "-", model.code(c.b)));
      }
    }
    group.summary = absl::StrCat(
        "Each of ", absl::StrJoin(group.members, ", "), " hosts once and is challenged by the other",
        group.members.size() > 2 ? "s" : "", ". ", group.aims[0].detail, "; ",
        Plural(own.neighbour_pairs, "statistical-neighbour pair", "statistical-neighbour pairs"),
        pinned.empty() ? "" : absl::StrCat("; keeps pinned ", absl::StrJoin(pinned, ", "), " together"),
        ". Part of the ", optimal ? "best-scoring grouping (proven by exhaustive search)"
                                  : "best grouping the heuristic found",
        "; no member met another within the no-repeat window or declared a conflict with another.");
    result.groups.push_back(std::move(group));
  }
}

// A conflicting set found without searching, or empty: a pinned component that is too large or
// holds a forbidden pair, or an LA left with too few allowed partners.
std::vector<ConstraintResult> QuickConflicts(const GroupingModel& model) {
  const int n = model.size();
  std::vector<int> parent(n);
  std::iota(parent.begin(), parent.end(), 0);
  auto find = [&](int x) {
    while (parent[x] != x) x = parent[x] = parent[parent[x]];
    return x;
  };
  const auto& constraints = model.pair_constraints();
  for (const PairConstraint& c : constraints) {
    if (c.kind == ConstraintKind::kPinnedPair) parent[find(c.a)] = find(c.b);
  }
  auto pins_of = [&](int root) {
    std::vector<ConstraintResult> out;
    for (const PairConstraint& c : constraints) {
      if (c.kind == ConstraintKind::kPinnedPair && find(c.a) == root) {
        out.push_back(FromPair(model, c, ConstraintState::kViolated));
      }
    }
    return out;
  };
  for (const PairConstraint& c : constraints) {
    if (c.kind == ConstraintKind::kPinnedPair || find(c.a) != find(c.b)) continue;
    std::vector<ConstraintResult> out = pins_of(find(c.a));
    out.push_back(FromPair(model, c, ConstraintState::kViolated));
    return out;
  }
  std::map<int, int> component_size;
  for (int i = 0; i < n; ++i) ++component_size[find(i)];
  const int largest = model.group_sizes().front();
  const int smallest = model.group_sizes().back();
  for (const auto& [root, size] : component_size) {
    if (size <= largest) continue;
    std::vector<ConstraintResult> out = pins_of(root);
    out.push_back(GroupSizeConstraint(model, ConstraintState::kViolated));
    return out;
  }
  for (int i = 0; i < n; ++i) {
    int allowed = 0;
    for (int j = 0; j < n; ++j) allowed += j != i && model.forbidden(i, j) == 0;
    if (allowed >= smallest - 1) continue;
    std::vector<ConstraintResult> out;
    for (const PairConstraint& c : constraints) {
      if (c.kind != ConstraintKind::kPinnedPair && (c.a == i || c.b == i)) {
        out.push_back(FromPair(model, c, ConstraintState::kViolated));
      }
    }
    out.push_back(GroupSizeConstraint(model, ConstraintState::kViolated));
    return out;
  }
  return {};
}

// A minimal set of pair constraints that no partition satisfies (deletion filter over complete
// feasibility searches), plus the group sizes they conflict under.
std::vector<ConstraintResult> MinimalConflict(const GroupingModel& model, uint64_t seed,
                                              int64_t* nodes) {
  GroupingModel trial = model;
  std::vector<PairConstraint> core = model.pair_constraints();
  for (size_t k = 0; k < core.size();) {
    std::vector<PairConstraint> without = core;
    without.erase(without.begin() + static_cast<std::ptrdiff_t>(k));
    trial.SetPairConstraints(without);
    const ExhaustiveOutcome outcome = SearchExhaustive(trial, seed, true);
    *nodes += outcome.nodes;
    if (outcome.feasible) {
      ++k;
    } else {
      core = std::move(without);
    }
  }
  std::vector<ConstraintResult> out;
  for (const PairConstraint& c : core) out.push_back(FromPair(model, c, ConstraintState::kViolated));
  out.push_back(GroupSizeConstraint(model, ConstraintState::kViolated));
  return out;
}

void FillInfeasible(const GroupingModel& model, Outcome outcome,
                    std::vector<ConstraintResult> conflicts, GroupingResult& result) {
  result.outcome = outcome;
  result.max_score = model.MaxScore();
  result.conflicting_constraints = std::move(conflicts);
}

}  // namespace

absl::StatusOr<GroupingResult> SolveGrouping(const GroupingProblem& problem) {
  const absl::Time start = absl::Now();
  const AimWeights& w = problem.weights;
  for (int weight : {w.grade_mix, w.statistical_neighbours, w.travel, w.review_load}) {
    if (weight < 0 || weight > 100) {
      return absl::InvalidArgumentError(absl::StrCat("aim weight ", weight, " is outside 0..100"));
    }
  }
  const int n = static_cast<int>(problem.participants.size());
  if (problem.method == SolverMethod::kExhaustive && n > kMaxExhaustiveParticipants) {
    return absl::InvalidArgumentError(absl::StrCat("the exhaustive search takes at most ",
                                                   kMaxExhaustiveParticipants, " participants, not ", n));
  }
  absl::StatusOr<GroupingModel> model = GroupingModel::Build(problem);
  if (!model.ok()) return model.status();
  GroupingResult result;
  const bool exhaustive = problem.method == SolverMethod::kExhaustive ||
                          (problem.method == SolverMethod::kAuto && n <= kMaxExhaustiveParticipants);
  result.stats.method = exhaustive ? SolverMethod::kExhaustive : SolverMethod::kHeuristic;
  std::vector<ConstraintResult> quick = QuickConflicts(*model);
  if (!quick.empty()) {
    FillInfeasible(*model, Outcome::kInfeasible, std::move(quick), result);
    result.stats.proven_optimal = exhaustive;
  } else if (exhaustive) {
    const ExhaustiveOutcome outcome = SearchExhaustive(*model, problem.seed);
    result.stats.nodes_explored = outcome.nodes;
    result.stats.proven_optimal = true;
    if (outcome.feasible) {
      result.outcome = Outcome::kOptimal;
      FillGroups(*model, outcome.best, true, result);
      result.constraints = ListConstraints(*model, outcome.best);
    } else {
      FillInfeasible(*model, Outcome::kInfeasible,
                     MinimalConflict(*model, problem.seed, &result.stats.nodes_explored), result);
    }
  } else {
    HeuristicOptions options;
    options.seed = problem.seed;
    options.time_limit = problem.time_limit;
    const HeuristicOutcome outcome = SearchHeuristic(*model, options);
    result.stats.nodes_explored = outcome.moves;
    result.stats.time_limit_reached = outcome.time_limit_reached;
    if (outcome.feasible) {
      result.outcome = Outcome::kFeasible;
      FillGroups(*model, outcome.best, false, result);
      result.constraints = ListConstraints(*model, outcome.best);
    } else {
      std::vector<ConstraintResult> conflicts;
      for (int k : outcome.violated) {
        conflicts.push_back(
            FromPair(*model, model->pair_constraints()[k], ConstraintState::kViolated));
      }
      conflicts.push_back(GroupSizeConstraint(*model, ConstraintState::kViolated));
      FillInfeasible(*model, Outcome::kNoSolutionFound, std::move(conflicts), result);
    }
  }
  result.stats.elapsed = absl::Now() - start;
  return result;
}

GroupingResult EvaluateGrouping(const GroupingProblem& problem,
                                const std::vector<std::vector<std::string>>& groups) {
  GroupingResult result;
  result.stats.method = SolverMethod::kExhaustive;
  absl::flat_hash_map<std::string, int> index;
  for (size_t i = 0; i < problem.participants.size(); ++i) {
    index.emplace(problem.participants[i].la_code, static_cast<int>(i));
  }
  std::vector<ConstraintResult> structural;
  std::map<std::string, int> seen;
  std::vector<int> sizes;
  Partition partition;
  for (size_t g = 0; g < groups.size(); ++g) {
    const auto& group = groups[g];
    std::set<std::string> distinct(group.begin(), group.end());
    if (distinct.size() != group.size()) {
      structural.push_back({ConstraintKind::kNoSelfReview, ConstraintState::kViolated,
                            {group.begin(), group.end()},
                            absl::StrCat("group ", g + 1, " names an LA more than once")});
    }
    if (distinct.size() < 2 || distinct.size() > 4) {
      structural.push_back({ConstraintKind::kGroupSize, ConstraintState::kViolated,
                            {distinct.begin(), distinct.end()},
                            absl::StrCat("group ", g + 1, " has ", distinct.size(),
                                         " members; groups have 2 to 4")});
    }
    std::vector<int> members;
    for (const std::string& code : distinct) {
      ++seen[code];
      auto it = index.find(code);
      if (it == index.end()) {
        structural.push_back({ConstraintKind::kHostOnce, ConstraintState::kViolated, {code},
                              absl::StrCat(code, " is not a participant of the cycle")});
      } else {
        members.push_back(it->second);
      }
    }
    sizes.push_back(static_cast<int>(members.size()));
    partition.push_back(std::move(members));
  }
  for (const GroupingParticipant& p : problem.participants) {
    auto it = seen.find(p.la_code);
    const int count = it == seen.end() ? 0 : it->second;
    if (count != 1) {
      structural.push_back({ConstraintKind::kHostOnce, ConstraintState::kViolated, {p.la_code},
                            count == 0 ? absl::StrCat(p.la_code, " is in no group")
                                       : absl::StrCat(p.la_code, " is in ", count, " groups")});
    }
  }
  std::sort(sizes.begin(), sizes.end(), std::greater<int>());
  absl::StatusOr<GroupingModel> model = GroupingModel::Build(problem, &sizes);
  if (!model.ok()) {
    result.outcome = Outcome::kInfeasible;
    result.constraints = std::move(structural);
    result.constraints.push_back({ConstraintKind::kHostOnce, ConstraintState::kViolated, {},
                                  std::string(model.status().message())});
    return result;
  }
  if (!structural.empty()) {
    // Still say which pair constraints the named groups break.
    result.outcome = Outcome::kInfeasible;
    result.constraints = std::move(structural);
    for (ConstraintResult& c : ListConstraints(*model, partition)) {
      if (c.kind == ConstraintKind::kNoRepeat || c.kind == ConstraintKind::kConflictOfInterest ||
          c.kind == ConstraintKind::kPinnedPair) {
        result.constraints.push_back(std::move(c));
      }
    }
    return result;
  }
  FillGroups(*model, partition, false, result);
  for (GroupResult& group : result.groups) {
    group.summary = absl::StrCat("Entered by hand: each of ", absl::StrJoin(group.members, ", "),
                                 " hosts once and is challenged by the others in the group. ",
                                 group.aims[0].detail, ".");
  }
  result.constraints = ListConstraints(*model, partition);
  result.outcome = model->Violations(partition).empty() ? Outcome::kFeasible : Outcome::kInfeasible;
  return result;
}

}  // namespace slihub::peerreview
