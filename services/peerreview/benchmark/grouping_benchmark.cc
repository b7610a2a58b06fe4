// The grouping solver on real reference data: the heuristic on the 19 South East LAs and all 153
// English LAs, and on 10-12 participants side by side with the exhaustive optimum (the baseline),
// reporting time, score and the gap to the optimum.
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "common/refdata/reference_data.h"
#include "services/peerreview/domain/grouping_solver.h"
#include "services/peerreview/domain/search.h"

namespace slihub::peerreview {
namespace {

const ReferenceData& Refdata() {
  static const ReferenceData* data = [] {
    auto loaded = ReferenceData::LoadFromFile(SLIHUB_REFERENCE_CSV);
    if (!loaded.ok()) abort();
    return loaded->release();
  }();
  return *data;
}

// `n` LAs (a region's, or the first n of all England) with illustrative grades, last year's
// triads as history (no repeat for 1 cycle) and two conflicts of interest.
GroupingProblem Instance(const std::string& region, int n, SolverMethod method) {
  std::vector<std::string> codes;
  if (!region.empty()) {
    codes = Refdata().FindRegion(region)->la_codes;
  } else {
    for (const auto& la : Refdata().local_authorities()) codes.push_back(la.la_code);
  }
  codes.resize(std::min<size_t>(codes.size(), n));
  GroupingProblem problem;
  problem.year = 2025;
  problem.group_size = 3;
  problem.remainder = RemainderPolicy::kSmallerGroups;
  problem.no_repeat_cycles = 1;
  problem.weights = {50, 20, 10, 30};
  problem.seed = 2025;
  problem.method = method;
  uint64_t state = 11;
  for (size_t i = 0; i < codes.size(); ++i) {
    const LocalAuthorityRecord* la = Refdata().FindLocalAuthority(codes[i]);
    problem.participants.push_back({la->la_code, static_cast<Grade>(1 + NextRandom(state) % 4),
                                    la->region_code, la->statistical_neighbours});
    if (i % 3 == 0 && codes.size() - i >= 2) problem.history.push_back({2024, {}});
    problem.history.back().members.push_back(la->la_code);
  }
  problem.conflicts = {{codes[0], codes[4], ""}, {codes[1], codes[7], ""}};
  return problem;
}

int64_t Optimum(int n) {
  static std::map<int, int64_t> cache;
  auto it = cache.find(n);
  if (it != cache.end()) return it->second;
  const int64_t score = SolveGrouping(Instance("", n, SolverMethod::kExhaustive))->score;
  cache[n] = score;
  return score;
}

void Report(benchmark::State& state, const GroupingResult& result) {
  state.counters["score"] = static_cast<double>(result.score);
  state.counters["max_score"] = static_cast<double>(result.max_score);
  state.counters["feasible"] = result.outcome == Outcome::kOptimal || result.outcome == Outcome::kFeasible;
  state.counters["nodes"] = static_cast<double>(result.stats.nodes_explored);
}

void BM_ExhaustiveOptimum(benchmark::State& state) {
  const GroupingProblem problem = Instance("", static_cast<int>(state.range(0)), SolverMethod::kExhaustive);
  GroupingResult result;
  for (auto _ : state) result = *SolveGrouping(problem);
  Report(state, result);
}
BENCHMARK(BM_ExhaustiveOptimum)->DenseRange(10, 12)->Unit(benchmark::kMillisecond);

void BM_HeuristicVsOptimum(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const GroupingProblem problem = Instance("", n, SolverMethod::kHeuristic);
  GroupingResult result;
  for (auto _ : state) result = *SolveGrouping(problem);
  Report(state, result);
  const int64_t optimum = Optimum(n);
  state.counters["optimum"] = static_cast<double>(optimum);
  state.counters["gap_pct"] = optimum > 0 ? 100.0 * (optimum - result.score) / optimum : 0;
}
BENCHMARK(BM_HeuristicVsOptimum)->DenseRange(10, 12)->Unit(benchmark::kMillisecond);

void BM_AutoEastOfEngland11(benchmark::State& state) {
  const GroupingProblem problem = Instance("EE", 11, SolverMethod::kAuto);
  GroupingResult result;
  for (auto _ : state) result = *SolveGrouping(problem);
  Report(state, result);
}
BENCHMARK(BM_AutoEastOfEngland11)->Unit(benchmark::kMillisecond);

void BM_HeuristicSouthEast19(benchmark::State& state) {
  const GroupingProblem problem = Instance("SE", 19, SolverMethod::kAuto);
  GroupingResult result;
  for (auto _ : state) result = *SolveGrouping(problem);
  Report(state, result);
}
BENCHMARK(BM_HeuristicSouthEast19)->Unit(benchmark::kMillisecond);

void BM_HeuristicNational153(benchmark::State& state) {
  GroupingProblem problem = Instance("", 153, SolverMethod::kAuto);
  problem.group_size = 4;
  GroupingResult result;
  for (auto _ : state) result = *SolveGrouping(problem);
  Report(state, result);
}
BENCHMARK(BM_HeuristicNational153)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace slihub::peerreview

BENCHMARK_MAIN();
