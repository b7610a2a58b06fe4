#include "services/peerreview/domain/grouping_solver.h"

#include <algorithm>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "common/base/sanitizers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/peerreview/domain/grouping_model.h"
#include "services/peerreview/domain/search.h"

namespace slihub::peerreview {
namespace {

using ::testing::UnorderedElementsAre;

// n participants "801".. with a spread of grades, two regions and a few neighbours.
GroupingProblem MakeProblem(int n, int group_size = 3,
                            RemainderPolicy policy = RemainderPolicy::kSmallerGroups,
                            uint64_t variant = 7) {
  GroupingProblem problem;
  problem.year = 2025;
  problem.group_size = group_size;
  problem.remainder = policy;
  problem.weights = {40, 20, 10, 30};
  uint64_t state = variant;
  for (int i = 0; i < n; ++i) {
    GroupingParticipant p;
    p.la_code = absl::StrCat(801 + i);
    p.grade = static_cast<Grade>(1 + NextRandom(state) % 5);
    p.region_code = (NextRandom(state) % 4 == 0) ? "SE" : "EE";
    for (int k = 0; k < 3; ++k) p.statistical_neighbours.push_back(absl::StrCat(801 + NextRandom(state) % n));
    problem.participants.push_back(p);
  }
  return problem;
}

bool Together(const GroupingResult& result, const std::string& a, const std::string& b) {
  for (const GroupResult& g : result.groups) {
    const bool has_a = std::count(g.members.begin(), g.members.end(), a) > 0;
    const bool has_b = std::count(g.members.begin(), g.members.end(), b) > 0;
    if (has_a && has_b) return true;
  }
  return false;
}

std::vector<std::string> Members(const GroupingResult& result) {
  std::vector<std::string> all;
  for (const GroupResult& g : result.groups) all.insert(all.end(), g.members.begin(), g.members.end());
  std::sort(all.begin(), all.end());
  return all;
}

std::set<ConstraintKind> ConflictKinds(const GroupingResult& result) {
  std::set<ConstraintKind> kinds;
  for (const auto& c : result.conflicting_constraints) kinds.insert(c.kind);
  return kinds;
}

// Every labelled assignment of participants to the model's group slots: the brute-force optimum.
int64_t BruteForceBest(const GroupingModel& model, bool* feasible) {
  const int n = model.size();
  Partition partition(model.group_sizes().size());
  int64_t best = -1;
  std::function<void(int)> assign = [&](int i) {
    if (i == n) {
      if (!model.Violations(partition).empty()) return;
      best = std::max(best, model.Score(model.Measure(partition)));
      return;
    }
    for (size_t g = 0; g < partition.size(); ++g) {
      if (static_cast<int>(partition[g].size()) == model.group_sizes()[g]) continue;
      // Empty slots of equal size are interchangeable: try only the first.
      if (partition[g].empty() && g > 0 && partition[g - 1].empty() &&
          model.group_sizes()[g] == model.group_sizes()[g - 1]) {
        continue;
      }
      partition[g].push_back(i);
      assign(i + 1);
      partition[g].pop_back();
    }
  };
  assign(0);
  *feasible = best >= 0;
  return best;
}

TEST(GroupingSolverTest, EveryParticipantHostsOnceInGroupsOfTheConfiguredSizes) {
  GroupingProblem problem = MakeProblem(11);
  auto result = SolveGrouping(problem);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->outcome, Outcome::kOptimal);
  EXPECT_TRUE(result->stats.proven_optimal);
  EXPECT_EQ(result->stats.method, SolverMethod::kExhaustive);
  ASSERT_EQ(result->groups.size(), 4u);
  std::vector<size_t> sizes;
  for (const auto& g : result->groups) {
    sizes.push_back(g.members.size());
    EXPECT_TRUE(std::is_sorted(g.members.begin(), g.members.end()));
    EXPECT_EQ(std::set<std::string>(g.members.begin(), g.members.end()).size(), g.members.size());
    EXPECT_FALSE(g.summary.empty());
    EXPECT_EQ(g.aims.size(), 4u);
  }
  std::sort(sizes.begin(), sizes.end());
  EXPECT_EQ(sizes, (std::vector<size_t>{2, 3, 3, 3}));
  const std::vector<std::string> members = Members(*result);
  EXPECT_EQ(members.size(), 11u);
  EXPECT_EQ(std::set<std::string>(members.begin(), members.end()).size(), 11u);
  EXPECT_EQ(result->groups[0].group_id, "G1");
  EXPECT_EQ(result->max_score, 100000);
  int64_t sum = 0;
  for (const auto& aim : result->aims) {
    EXPECT_GE(aim.component, 0);
    EXPECT_LE(aim.component, 1000);
    EXPECT_EQ(aim.weighted, static_cast<int64_t>(aim.weight) * aim.component);
    sum += aim.weighted;
  }
  EXPECT_EQ(sum, result->score);
}

TEST(GroupingSolverTest, ConflictsOfInterestNeverMeet) {
  GroupingProblem problem = MakeProblem(9);
  problem.conflicts = {{"801", "802", "shared director"}, {"803", "804", ""}, {"801", "805", ""}};
  for (auto method : {SolverMethod::kExhaustive, SolverMethod::kHeuristic}) {
    problem.method = method;
    auto result = SolveGrouping(problem);
    ASSERT_TRUE(result.ok());
    ASSERT_FALSE(result->groups.empty());
    EXPECT_FALSE(Together(*result, "801", "802"));
    EXPECT_FALSE(Together(*result, "803", "804"));
    EXPECT_FALSE(Together(*result, "801", "805"));
    int satisfied = 0;
    for (const auto& c : result->constraints) {
      if (c.kind == ConstraintKind::kConflictOfInterest) {
        EXPECT_EQ(c.state, ConstraintState::kSatisfied);
        ++satisfied;
      }
    }
    EXPECT_EQ(satisfied, 3);
  }
}

TEST(GroupingSolverTest, NoRepeatCoversTheLastNCyclesOnly) {
  GroupingProblem problem = MakeProblem(6, 2);
  problem.weights = {0, 0, 0, 0};
  problem.history = {{2024, {"801", "802"}}, {2024, {"803", "804"}}, {2024, {"805", "806"}},
                     {2023, {"801", "803"}}, {2023, {"802", "805"}}, {2023, {"804", "806"}}};
  problem.no_repeat_cycles = 1;
  auto one = SolveGrouping(problem);
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->outcome, Outcome::kOptimal);
  EXPECT_FALSE(Together(*one, "801", "802"));
  EXPECT_FALSE(Together(*one, "803", "804"));
  EXPECT_FALSE(Together(*one, "805", "806"));
  int repeats = 0;
  for (const auto& c : one->constraints) repeats += c.kind == ConstraintKind::kNoRepeat;
  EXPECT_EQ(repeats, 3);

  problem.no_repeat_cycles = 2;
  auto two = SolveGrouping(problem);
  ASSERT_TRUE(two.ok());
  ASSERT_EQ(two->outcome, Outcome::kOptimal);
  for (const auto& past : problem.history) {
    EXPECT_FALSE(Together(*two, past.members[0], past.members[1]));
  }

  problem.no_repeat_cycles = 0;
  problem.pinned_pairs = {{"801", "802", ""}};
  auto none = SolveGrouping(problem);
  ASSERT_TRUE(none.ok());
  EXPECT_EQ(none->outcome, Outcome::kOptimal);
  EXPECT_TRUE(Together(*none, "801", "802"));
  bool not_applicable = false;
  for (const auto& c : none->constraints) {
    if (c.kind == ConstraintKind::kNoRepeat) not_applicable = c.state == ConstraintState::kNotApplicable;
  }
  EXPECT_TRUE(not_applicable);
}

TEST(GroupingSolverTest, HistoryOfTheCycleYearOrLaterIsIgnored) {
  GroupingProblem problem = MakeProblem(4, 2);
  problem.history = {{2025, {"801", "802"}}, {2026, {"803", "804"}}};
  problem.no_repeat_cycles = 3;
  problem.pinned_pairs = {{"801", "802", ""}, {"803", "804", ""}};
  auto result = SolveGrouping(problem);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->outcome, Outcome::kOptimal);
}

TEST(GroupingSolverTest, PinnedPairsAlwaysShareAGroup) {
  GroupingProblem problem = MakeProblem(19, 3, RemainderPolicy::kLargerGroups);
  problem.pinned_pairs = {{"801", "819", "mentoring"}, {"805", "806", ""}, {"810", "811", ""}};
  problem.conflicts = {{"801", "805", ""}};
  auto result = SolveGrouping(problem);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->outcome, Outcome::kFeasible);
  EXPECT_EQ(result->stats.method, SolverMethod::kHeuristic);
  EXPECT_FALSE(result->stats.proven_optimal);
  EXPECT_TRUE(Together(*result, "801", "819"));
  EXPECT_TRUE(Together(*result, "805", "806"));
  EXPECT_TRUE(Together(*result, "810", "811"));
  EXPECT_FALSE(Together(*result, "801", "805"));
}

TEST(GroupingSolverTest, MalformedProblemsAreInvalidArgument) {
  GroupingProblem problem = MakeProblem(6);
  problem.conflicts = {{"801", "801", ""}};
  EXPECT_EQ(SolveGrouping(problem).status().code(), absl::StatusCode::kInvalidArgument);
  problem.conflicts = {{"801", "999", ""}};
  EXPECT_EQ(SolveGrouping(problem).status().code(), absl::StatusCode::kInvalidArgument);
  problem.conflicts.clear();
  problem.weights.travel = 101;
  EXPECT_EQ(SolveGrouping(problem).status().code(), absl::StatusCode::kInvalidArgument);
  problem.weights.travel = 10;
  problem.group_size = 5;
  EXPECT_EQ(SolveGrouping(problem).status().code(), absl::StatusCode::kInvalidArgument);
  GroupingProblem big = MakeProblem(13);
  big.method = SolverMethod::kExhaustive;
  EXPECT_EQ(SolveGrouping(big).status().code(), absl::StatusCode::kInvalidArgument);
  GroupingProblem twice = MakeProblem(4, 2);
  twice.participants[1].la_code = "801";
  EXPECT_EQ(SolveGrouping(twice).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(GroupingSolverTest, PinnedPairThatIsAlsoAConflictIsInfeasibleNamingBoth) {
  GroupingProblem problem = MakeProblem(6, 2);
  problem.pinned_pairs = {{"801", "802", ""}};
  problem.conflicts = {{"802", "801", ""}};
  auto result = SolveGrouping(problem);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->outcome, Outcome::kInfeasible);
  EXPECT_TRUE(result->groups.empty());
  EXPECT_EQ(ConflictKinds(*result),
            (std::set<ConstraintKind>{ConstraintKind::kPinnedPair, ConstraintKind::kConflictOfInterest}));
  for (const auto& c : result->conflicting_constraints) {
    EXPECT_EQ(c.state, ConstraintState::kViolated);
    EXPECT_THAT(c.la_codes, UnorderedElementsAre("801", "802"));
  }
}

TEST(GroupingSolverTest, PinnedChainLongerThanAGroupIsInfeasibleNamingItAndTheSize) {
  GroupingProblem problem = MakeProblem(8, 2);
  problem.pinned_pairs = {{"801", "802", ""}, {"802", "803", ""}};
  auto result = SolveGrouping(problem);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->outcome, Outcome::kInfeasible);
  EXPECT_EQ(ConflictKinds(*result),
            (std::set<ConstraintKind>{ConstraintKind::kPinnedPair, ConstraintKind::kGroupSize}));
  EXPECT_EQ(result->conflicting_constraints.size(), 3u);
}

TEST(GroupingSolverTest, LaWithoutEnoughAllowedPartnersIsInfeasibleNamingItsConflicts) {
  GroupingProblem problem = MakeProblem(15, 3, RemainderPolicy::kSmallerGroups);
  for (int i = 2; i <= 15; ++i) {
    if (i != 9) problem.conflicts.push_back({"801", absl::StrCat(800 + i), ""});
  }
  problem.conflicts.push_back({"805", "806", "unrelated"});
  auto result = SolveGrouping(problem);  // 15 participants: the heuristic, but a proof is quick
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->outcome, Outcome::kInfeasible);
  EXPECT_EQ(result->conflicting_constraints.size(), 14u);  // 13 conflicts of 801 and the size
  for (const auto& c : result->conflicting_constraints) {
    if (c.kind == ConstraintKind::kConflictOfInterest) {
      EXPECT_NE(std::find(c.la_codes.begin(), c.la_codes.end(), "801"), c.la_codes.end());
    }
  }
}

// The problem with only the named conflicting pair constraints as hard constraints.
GroupingProblem OnlyNamed(GroupingProblem problem, const std::vector<ConstraintResult>& named,
                          int skip) {
  problem.conflicts.clear();
  problem.pinned_pairs.clear();
  problem.history.clear();
  for (int k = 0; k < static_cast<int>(named.size()); ++k) {
    const ConstraintResult& c = named[k];
    if (k == skip || c.la_codes.size() != 2) continue;
    LaPairSpec pair{c.la_codes[0], c.la_codes[1], ""};
    (c.kind == ConstraintKind::kPinnedPair ? problem.pinned_pairs : problem.conflicts).push_back(pair);
  }
  return problem;
}

TEST(GroupingSolverTest, ExhaustiveInfeasibilityNamesAMinimalConflict) {
  // In pairs: 801, 802 and 803 exclude each other and 805 and 806, so each needs 804.
  GroupingProblem problem = MakeProblem(6, 2);
  for (const char* a : {"801", "802", "803"}) {
    for (const char* b : {"802", "803", "805", "806"}) {
      if (std::string(a) < b) problem.conflicts.push_back({a, b, ""});
    }
  }
  problem.history = {{2024, {"804", "805"}}};
  problem.no_repeat_cycles = 1;
  auto result = SolveGrouping(problem);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->outcome, Outcome::kInfeasible);
  EXPECT_TRUE(result->stats.proven_optimal);
  EXPECT_TRUE(result->groups.empty());
  const auto& named = result->conflicting_constraints;
  ASSERT_GE(named.size(), 3u);
  EXPECT_EQ(named.back().kind, ConstraintKind::kGroupSize);
  for (const auto& c : named) EXPECT_EQ(c.state, ConstraintState::kViolated);
  // The named set alone is infeasible, and dropping any one of its pairs makes it feasible.
  auto alone = SolveGrouping(OnlyNamed(problem, named, -1));
  ASSERT_TRUE(alone.ok());
  EXPECT_EQ(alone->outcome, Outcome::kInfeasible);
  for (int k = 0; k + 1 < static_cast<int>(named.size()); ++k) {
    auto dropped = SolveGrouping(OnlyNamed(problem, named, k));
    ASSERT_TRUE(dropped.ok());
    EXPECT_EQ(dropped->outcome, Outcome::kOptimal) << named[k].detail;
  }
  EXPECT_LT(named.size(), problem.conflicts.size() + 2);
}

TEST(GroupingSolverTest, RemovingTheNamedConflictMakesTheCycleFeasible) {
  GroupingProblem problem = MakeProblem(4, 2);
  problem.conflicts = {{"801", "802", ""}, {"801", "803", ""}, {"802", "803", ""}};
  auto result = SolveGrouping(problem);
  ASSERT_TRUE(result.ok());
  ASSERT_EQ(result->outcome, Outcome::kInfeasible);
  std::set<std::pair<std::string, std::string>> pairs;
  for (const auto& c : result->conflicting_constraints) {
    if (c.kind == ConstraintKind::kConflictOfInterest) pairs.insert({c.la_codes[0], c.la_codes[1]});
  }
  EXPECT_EQ(pairs, (std::set<std::pair<std::string, std::string>>{
                       {"801", "802"}, {"801", "803"}, {"802", "803"}}));
  problem.conflicts.pop_back();
  auto ok = SolveGrouping(problem);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->outcome, Outcome::kOptimal);
  EXPECT_TRUE(Together(*ok, "801", "804"));
  EXPECT_TRUE(Together(*ok, "802", "803"));
}

TEST(GroupingSolverTest, ExhaustiveOptimumMatchesBruteForce) {
  struct Case {
    int n, size;
    RemainderPolicy policy;
  };
  const Case cases[] = {{6, 2, RemainderPolicy::kSmallerGroups}, {7, 3, RemainderPolicy::kSmallerGroups},
                        {8, 3, RemainderPolicy::kLargerGroups}, {8, 4, RemainderPolicy::kSmallerGroups},
                        {9, 3, RemainderPolicy::kSmallerGroups}, {9, 2, RemainderPolicy::kLargerGroups}};
  for (const Case& c : cases) {
    for (uint64_t variant = 1; variant <= 4; ++variant) {
      GroupingProblem problem = MakeProblem(c.n, c.size, c.policy, variant);
      problem.history = {{2024, {"801", "802", "803"}}, {2023, {"804", "805"}}};
      problem.no_repeat_cycles = variant % 3;
      problem.conflicts = {{"806", "803", ""}};
      if (variant % 2 == 0) problem.neighbour_preference = NeighbourPreference::kApart;
      auto model = GroupingModel::Build(problem);
      ASSERT_TRUE(model.ok());
      bool feasible = false;
      const int64_t brute = BruteForceBest(*model, &feasible);
      auto result = SolveGrouping(problem);
      ASSERT_TRUE(result.ok());
      SCOPED_TRACE(absl::StrCat(c.n, " in ", c.size, " variant ", variant));
      ASSERT_EQ(result->outcome, feasible ? Outcome::kOptimal : Outcome::kInfeasible);
      if (feasible) {
        EXPECT_EQ(result->score, brute);
      }
    }
  }
}

TEST(GroupingSolverTest, ScoreFollowsTheGradeMixByHand) {
  GroupingProblem problem;
  problem.year = 2025;
  problem.group_size = 2;
  problem.weights = {100, 0, 0, 0};
  problem.participants = {{"801", Grade::kGood, "EE", {}}, {"802", Grade::kGood, "EE", {}},
                          {"803", Grade::kInadequate, "EE", {}}, {"804", Grade::kInadequate, "EE", {}}};
  auto result = SolveGrouping(problem);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->score, 100000);
  EXPECT_FALSE(Together(*result, "801", "802"));
  const GroupingResult same = EvaluateGrouping(problem, {{"801", "802"}, {"803", "804"}});
  EXPECT_EQ(same.outcome, Outcome::kFeasible);
  EXPECT_EQ(same.aims[0].component, 0);
  const GroupingResult half = EvaluateGrouping(problem, {{"801", "803"}, {"802", "804"}});
  EXPECT_EQ(half.aims[0].component, 1000);
  EXPECT_EQ(half.groups[0].aims[0].detail, "grades in group: Good, Inadequate");
}

TEST(GroupingSolverTest, NeighboursTogetherOrApartAndTravelByRegion) {
  GroupingProblem problem;
  problem.year = 2025;
  problem.group_size = 2;
  problem.participants = {{"801", Grade::kGood, "EE", {"802"}}, {"802", Grade::kGood, "EE", {}},
                          {"803", Grade::kGood, "SE", {"804"}}, {"804", Grade::kGood, "SE", {}}};
  problem.weights = {0, 100, 0, 0};
  auto together = SolveGrouping(problem);
  ASSERT_TRUE(together.ok());
  EXPECT_TRUE(Together(*together, "801", "802"));
  EXPECT_EQ(together->score, 100000);
  problem.neighbour_preference = NeighbourPreference::kApart;
  auto apart = SolveGrouping(problem);
  ASSERT_TRUE(apart.ok());
  EXPECT_FALSE(Together(*apart, "801", "802"));
  EXPECT_EQ(apart->score, 100000);
  problem.weights = {0, 0, 100, 0};
  auto travel = SolveGrouping(problem);
  ASSERT_TRUE(travel.ok());
  EXPECT_TRUE(Together(*travel, "803", "804"));
  EXPECT_EQ(travel->groups[0].aims[2].detail, "all members in EE");
}

TEST(GroupingSolverTest, ReviewLoadGivesTheLargerGroupToTheLeastLoaded) {
  GroupingProblem problem;
  problem.year = 2025;
  problem.group_size = 2;
  problem.remainder = RemainderPolicy::kLargerGroups;
  problem.weights = {0, 0, 0, 100};
  for (int i = 0; i < 5; ++i) problem.participants.push_back({absl::StrCat(801 + i), Grade::kGood, "EE", {}});
  // 801 and 802 reviewed a lot before; the group of three should be 803, 804, 805.
  problem.history = {{2023, {"801", "802", "806", "807"}}, {2024, {"801", "802", "806", "807"}}};
  auto result = SolveGrouping(problem);
  ASSERT_TRUE(result.ok());
  for (const auto& g : result->groups) {
    if (g.members.size() == 3) {
      EXPECT_EQ(g.members, (std::vector<std::string>{"803", "804", "805"}));
    }
  }
}

TEST(GroupingSolverTest, OneSeedOneAnswerAndEveryOptimumScoresTheSame) {
  GroupingProblem problem = MakeProblem(12, 3);
  problem.seed = 42;
  auto a = SolveGrouping(problem);
  auto b = SolveGrouping(problem);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->groups.size(), b->groups.size());
  for (size_t g = 0; g < a->groups.size(); ++g) EXPECT_EQ(a->groups[g].members, b->groups[g].members);
  problem.seed = 43;
  auto c = SolveGrouping(problem);
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->score, a->score);

  GroupingProblem large = MakeProblem(40, 3);
  large.seed = 9;
  auto h1 = SolveGrouping(large);
  auto h2 = SolveGrouping(large);
  ASSERT_TRUE(h1.ok() && h2.ok());
  ASSERT_FALSE(h1->stats.time_limit_reached);
  ASSERT_EQ(h1->groups.size(), h2->groups.size());
  for (size_t g = 0; g < h1->groups.size(); ++g) EXPECT_EQ(h1->groups[g].members, h2->groups[g].members);
  EXPECT_EQ(h1->score, h2->score);
}

TEST(GroupingSolverTest, HeuristicIsWithinTwoPercentOfTheOptimumOnSmallInstances) {
  for (uint64_t variant = 1; variant <= 6; ++variant) {
    GroupingProblem problem = MakeProblem(10 + static_cast<int>(variant % 3), 3,
                                          RemainderPolicy::kSmallerGroups, variant);
    problem.history = {{2024, {"801", "802", "803"}}, {2024, {"804", "805", "806"}}};
    problem.no_repeat_cycles = 1;
    problem.method = SolverMethod::kExhaustive;
    auto exact = SolveGrouping(problem);
    problem.method = SolverMethod::kHeuristic;
    auto heuristic = SolveGrouping(problem);
    ASSERT_TRUE(exact.ok() && heuristic.ok());
    ASSERT_EQ(exact->outcome, Outcome::kOptimal);
    ASSERT_EQ(heuristic->outcome, Outcome::kFeasible);
    EXPECT_LE(heuristic->score, exact->score);
    EXPECT_GE(heuristic->score * 100, exact->score * 98) << "variant " << variant;
  }
}

TEST(GroupingSolverTest, NationalSizeHeuristicFindsAFeasibleGroupingQuickly) {
  GroupingProblem problem = MakeProblem(153, 4);
  for (int i = 0; i < 150; i += 3) {
    problem.history.push_back({2024, {absl::StrCat(801 + i), absl::StrCat(802 + i), absl::StrCat(803 + i)}});
  }
  problem.no_repeat_cycles = 1;
  problem.conflicts = {{"801", "900", ""}, {"850", "851", ""}};
  auto result = SolveGrouping(problem);
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->outcome, Outcome::kFeasible);
  EXPECT_EQ(Members(*result).size(), 153u);
  for (const auto& c : result->constraints) EXPECT_NE(c.state, ConstraintState::kViolated);
  EXPECT_LT(result->stats.elapsed, absl::Seconds(1) * kSanitizerSlowdown);
}

TEST(GroupingSolverTest, HandMadeGroupsAreCheckedAgainstEveryHardConstraint) {
  GroupingProblem problem = MakeProblem(6, 2);
  problem.conflicts = {{"801", "802", ""}};
  problem.history = {{2024, {"803", "804"}}};
  problem.no_repeat_cycles = 1;
  const GroupingResult bad = EvaluateGrouping(problem, {{"801", "802"}, {"803", "804"}, {"805", "806"}});
  EXPECT_EQ(bad.outcome, Outcome::kInfeasible);
  std::set<ConstraintKind> violated;
  for (const auto& c : bad.constraints) {
    if (c.state == ConstraintState::kViolated) violated.insert(c.kind);
  }
  EXPECT_EQ(violated, (std::set<ConstraintKind>{ConstraintKind::kConflictOfInterest,
                                                ConstraintKind::kNoRepeat}));

  const GroupingResult structural =
      EvaluateGrouping(problem, {{"801", "801", "803"}, {"804", "805", "806", "802", "999"}});
  EXPECT_EQ(structural.outcome, Outcome::kInfeasible);
  std::set<ConstraintKind> kinds;
  for (const auto& c : structural.constraints) kinds.insert(c.kind);
  EXPECT_EQ(kinds, (std::set<ConstraintKind>{ConstraintKind::kNoSelfReview, ConstraintKind::kGroupSize,
                                             ConstraintKind::kHostOnce, ConstraintKind::kNoRepeat,
                                             ConstraintKind::kConflictOfInterest,
                                             ConstraintKind::kPinnedPair}));
  const GroupingResult partial = EvaluateGrouping(problem, {{"801", "802"}});
  bool conflict_named = false;
  for (const auto& c : partial.constraints) {
    conflict_named |= c.kind == ConstraintKind::kConflictOfInterest && c.state == ConstraintState::kViolated;
  }
  EXPECT_TRUE(conflict_named);

  const GroupingResult good = EvaluateGrouping(problem, {{"801", "803", "805"}, {"802", "804", "806"}});
  EXPECT_EQ(good.outcome, Outcome::kFeasible);
  EXPECT_EQ(good.groups.size(), 2u);
}

}  // namespace
}  // namespace slihub::peerreview
