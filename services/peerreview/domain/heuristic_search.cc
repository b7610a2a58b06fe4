#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <numeric>

#include "absl/time/clock.h"
#include "services/peerreview/domain/search.h"

namespace slihub::peerreview {
namespace {

constexpr int kGradeClasses = 5;

// One annealing run's mutable state with incrementally maintained aggregates.
class Annealer {
 public:
  Annealer(const GroupingModel& model, uint64_t seed) : model_(model), n_(model.size()), rng_(seed) {
    const int64_t sizes = static_cast<int64_t>(model.group_sizes().size());
    for (int g = 0; g < sizes; ++g) {
      const int size = model.group_sizes()[g];
      grade_best_ += std::min(size, model.grade_classes()) - 1;
      member_pairs_ += size * (size - 1) / 2;
    }
    for (const PairConstraint& c : model.pair_constraints()) pins_total_ += c.kind == ConstraintKind::kPinnedPair;
    const AimWeights& w = model.weights();
    coef_grade_ = (model.grade_classes() > 1 && grade_best_ > 0) ? 1000.0 * w.grade_mix / grade_best_ : 0;
    const int64_t t = model.total_neighbour_pairs();
    if (t > 0) {
      const bool together = model.neighbour_preference() == NeighbourPreference::kTogether;
      const int64_t reach = together ? std::min(t, member_pairs_) : t;
      coef_neighbour_ = (together ? 1000.0 : -1000.0) * w.statistical_neighbours / reach;
    }
    coef_region_ = member_pairs_ > 0 ? 1000.0 * w.travel / member_pairs_ : 0;
    load_scale_ = model.total_load() > 0 ? 500.0 * w.review_load / (static_cast<double>(n_) * model.total_load()) : 0;
  }

  // Builds a start: pinned LAs first, then the rest in seeded order, each into the open group with
  // the fewest hard conflicts.
  void Start() {
    const int groups = static_cast<int>(model_.group_sizes().size());
    members_.assign(groups, {});
    group_of_.assign(n_, -1);
    std::vector<int> order(n_);
    std::iota(order.begin(), order.end(), 0);
    for (int i = n_ - 1; i > 0; --i) std::swap(order[i], order[NextRandom(rng_) % (i + 1)]);
    std::stable_partition(order.begin(), order.end(), [&](int i) {
      for (int j = 0; j < n_; ++j) {
        if (model_.pinned(i, j)) return true;
      }
      return false;
    });
    for (int i : order) {
      int best = -1;
      int64_t best_cost = 0;
      for (int g = 0; g < groups; ++g) {
        if (static_cast<int>(members_[g].size()) >= model_.group_sizes()[g]) continue;
        int64_t cost = 0;
        for (int m : members_[g]) cost += 4 * model_.forbidden(i, m) - 3 * model_.pinned(i, m);
        if (best < 0 || cost < best_cost) {
          best = g;
          best_cost = cost;
        }
      }
      members_[best].push_back(i);
      group_of_[i] = best;
    }
    Recount();
  }

  // The fewest hard violations seen while no feasible state was found.
  int64_t least_violations() const { return least_violations_; }

  // Anneals for `moves` swaps; keeps the best feasible partition in `out`.
  void Anneal(int64_t moves, absl::Time deadline, HeuristicOutcome& out) {
    if (members_.size() < 2) {
      Consider(out);
      return;
    }
    double sum = 0, largest = 0;
    const int samples = 200;
    for (int k = 0; k < samples; ++k) {
      int i, j;
      PickPair(i, j);
      const double d = std::fabs(SwapDelta(i, j).aims);
      sum += d;
      largest = std::max(largest, d);
    }
    const double start_temp = std::max(1e-6, 0.8 * sum / samples);
    const double end_temp = start_temp * 1e-3;
    penalty_ = 2 * largest + 1000;
    const double cooling = std::pow(end_temp / start_temp, 1.0 / std::max<int64_t>(1, moves));
    double temp = start_temp;
    Consider(out);
    for (int64_t m = 0; m < moves; ++m) {
      if ((m & 4095) == 0 && absl::Now() > deadline) {
        out.time_limit_reached = true;
        break;
      }
      ++out.moves;
      int i, j;
      PickPair(i, j);
      const Delta d = SwapDelta(i, j);
      const double gain = d.aims - penalty_ * d.violations;
      if (gain >= 0 || static_cast<double>(NextRandom(rng_) >> 11) * 0x1.0p-53 < std::exp(gain / temp)) {
        Apply(i, j, d);
        Consider(out);
      }
      temp *= cooling;
    }
  }

 private:
  struct Delta {
    double aims = 0;
    int64_t violations = 0;
    int64_t grade = 0, neighbours = 0, regions = 0, forbidden = 0, pins = 0, load = 0;
    int distinct_a = 0, distinct_b = 0;
  };

  void PickPair(int& i, int& j) {
    i = static_cast<int>(NextRandom(rng_) % n_);
    do {
      j = static_cast<int>(NextRandom(rng_) % n_);
    } while (group_of_[j] == group_of_[i]);
  }

  int64_t LoadTerm(int i, int size) const {
    return std::llabs(static_cast<int64_t>(n_) * (model_.past_load(i) + size - 1) - model_.total_load());
  }

  void Recount() {
    const int groups = static_cast<int>(members_.size());
    counts_.assign(groups * kGradeClasses, 0);
    distinct_.assign(groups, 0);
    grade_ = neighbours_ = regions_ = forbidden_ = pins_ = load_ = 0;
    for (int g = 0; g < groups; ++g) {
      const auto& group = members_[g];
      for (size_t x = 0; x < group.size(); ++x) {
        const int a = group[x];
        if (counts_[g * kGradeClasses + model_.grade_class(a)]++ == 0) ++distinct_[g];
        load_ += LoadTerm(a, static_cast<int>(group.size()));
        for (size_t y = x + 1; y < group.size(); ++y) {
          const int b = group[y];
          neighbours_ += model_.neighbours(a, b);
          regions_ += model_.same_region(a, b);
          forbidden_ += model_.forbidden(a, b);
          pins_ += model_.pinned(a, b);
        }
      }
      grade_ += distinct_[g] - 1;
    }
  }

  Delta SwapDelta(int i, int j) const {
    Delta d;
    const int a = group_of_[i], b = group_of_[j];
    for (int k : members_[a]) {
      if (k == i) continue;
      d.neighbours += model_.neighbours(j, k) - model_.neighbours(i, k);
      d.regions += model_.same_region(j, k) - model_.same_region(i, k);
      d.forbidden += model_.forbidden(j, k) - model_.forbidden(i, k);
      d.pins += model_.pinned(j, k) - model_.pinned(i, k);
    }
    for (int k : members_[b]) {
      if (k == j) continue;
      d.neighbours += model_.neighbours(i, k) - model_.neighbours(j, k);
      d.regions += model_.same_region(i, k) - model_.same_region(j, k);
      d.forbidden += model_.forbidden(i, k) - model_.forbidden(j, k);
      d.pins += model_.pinned(i, k) - model_.pinned(j, k);
    }
    const int ci = model_.grade_class(i), cj = model_.grade_class(j);
    d.distinct_a = distinct_[a];
    d.distinct_b = distinct_[b];
    if (ci != cj) {
      d.distinct_a += -(counts_[a * kGradeClasses + ci] == 1) + (counts_[a * kGradeClasses + cj] == 0);
      d.distinct_b += -(counts_[b * kGradeClasses + cj] == 1) + (counts_[b * kGradeClasses + ci] == 0);
      d.grade = (d.distinct_a - distinct_[a]) + (d.distinct_b - distinct_[b]);
    }
    const int sa = static_cast<int>(members_[a].size()), sb = static_cast<int>(members_[b].size());
    if (sa != sb) {
      d.load = LoadTerm(i, sb) + LoadTerm(j, sa) - LoadTerm(i, sa) - LoadTerm(j, sb);
    }
    d.violations = d.forbidden - d.pins;
    d.aims = coef_grade_ * d.grade + coef_neighbour_ * d.neighbours + coef_region_ * d.regions -
             load_scale_ * d.load;
    return d;
  }

  void Apply(int i, int j, const Delta& d) {
    const int a = group_of_[i], b = group_of_[j];
    const int ci = model_.grade_class(i), cj = model_.grade_class(j);
    --counts_[a * kGradeClasses + ci];
    ++counts_[a * kGradeClasses + cj];
    --counts_[b * kGradeClasses + cj];
    ++counts_[b * kGradeClasses + ci];
    distinct_[a] = d.distinct_a;
    distinct_[b] = d.distinct_b;
    *std::find(members_[a].begin(), members_[a].end(), i) = j;
    *std::find(members_[b].begin(), members_[b].end(), j) = i;
    group_of_[i] = b;
    group_of_[j] = a;
    grade_ += d.grade;
    neighbours_ += d.neighbours;
    regions_ += d.regions;
    forbidden_ += d.forbidden;
    pins_ += d.pins;
    load_ += d.load;
  }

  int64_t Violations() const { return forbidden_ + (pins_total_ - pins_); }

  // Records the current state in `out` when it beats what is there.
  void Consider(HeuristicOutcome& out) {
    const int64_t violations = Violations();
    if (violations > 0) {
      if (!out.feasible && (out.least_violating.empty() || violations < least_violations_)) {
        least_violations_ = violations;
        out.least_violating = members_;
      }
      return;
    }
    PartitionStats stats;
    stats.grade_mix = grade_;
    stats.grade_mix_best = grade_best_;
    stats.neighbour_pairs = neighbours_;
    stats.member_pairs = member_pairs_;
    stats.same_region_pairs = regions_;
    stats.load_deviation = load_;
    stats.members = n_;
    const int64_t score = model_.Score(stats);
    if (!out.feasible || score > out.score) {
      out.feasible = true;
      out.score = score;
      out.best = members_;
    }
  }

  const GroupingModel& model_;
  const int n_;
  uint64_t rng_;
  int64_t grade_best_ = 0, member_pairs_ = 0, pins_total_ = 0;
  double coef_grade_ = 0, coef_neighbour_ = 0, coef_region_ = 0, load_scale_ = 0, penalty_ = 0;
  Partition members_;
  std::vector<int> group_of_;
  std::vector<int> counts_;
  std::vector<int> distinct_;
  int64_t grade_ = 0, neighbours_ = 0, regions_ = 0, forbidden_ = 0, pins_ = 0, load_ = 0;
  int64_t least_violations_ = 0;
};

}  // namespace

HeuristicOutcome SearchHeuristic(const GroupingModel& model, const HeuristicOptions& options) {
  HeuristicOutcome out;
  const absl::Time deadline = absl::Now() + options.time_limit;
  const int64_t moves = options.moves_per_restart > 0 ? options.moves_per_restart
                                                      : 50000 + 2000 * static_cast<int64_t>(model.size());
  uint64_t seeds = options.seed;
  int64_t least = -1;
  for (int r = 0; r < std::max(1, options.restarts) && !out.time_limit_reached; ++r) {
    Annealer annealer(model, NextRandom(seeds));
    annealer.Start();
    HeuristicOutcome run;
    annealer.Anneal(moves, deadline, run);
    out.moves += run.moves;
    out.time_limit_reached = run.time_limit_reached;
    if (run.feasible && (!out.feasible || run.score > out.score)) {
      out.feasible = true;
      out.score = run.score;
      out.best = run.best;
    }
    if (!run.feasible && (least < 0 || annealer.least_violations() < least)) {
      least = annealer.least_violations();
      out.least_violating = run.least_violating;
    }
  }
  if (!out.feasible) out.violated = model.Violations(out.least_violating);
  return out;
}

}  // namespace slihub::peerreview
