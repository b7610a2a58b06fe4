#include "services/peerreview/domain/grouping_model.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <set>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/peerreview/domain/group_sizes.h"

namespace slihub::peerreview {
namespace {

int GradeClass(Grade grade) {
  switch (grade) {
    case Grade::kOutstanding:
    case Grade::kGood:
    case Grade::kRequiresImprovement:
    case Grade::kInadequate:
      return static_cast<int>(grade) - 1;
    default:
      return 4;  // not judged or unknown: one class
  }
}

}  // namespace

std::string GradeName(Grade grade) {
  switch (grade) {
    case Grade::kOutstanding:
      return "Outstanding";
    case Grade::kGood:
      return "Good";
    case Grade::kRequiresImprovement:
      return "Requires improvement";
    case Grade::kInadequate:
      return "Inadequate";
    default:
      return "Not judged";
  }
}

absl::StatusOr<GroupingModel> GroupingModel::Build(const GroupingProblem& problem,
                                                  const std::vector<int>* fixed_sizes) {
  GroupingModel model;
  const int n = static_cast<int>(problem.participants.size());
  absl::flat_hash_map<std::string, int> index;
  for (int i = 0; i < n; ++i) {
    const GroupingParticipant& p = problem.participants[i];
    if (!index.emplace(p.la_code, i).second) {
      return absl::InvalidArgumentError(absl::StrCat("participant ", p.la_code, " is listed twice"));
    }
    model.codes_.push_back(p.la_code);
    model.grades_.push_back(p.grade);
    model.regions_.push_back(p.region_code);
    model.grade_class_.push_back(GradeClass(p.grade));
  }
  if (fixed_sizes != nullptr) {
    model.group_sizes_ = *fixed_sizes;
  } else {
    absl::StatusOr<std::vector<int>> sizes =
        ComputeGroupSizes(n, problem.group_size, problem.remainder);
    if (!sizes.ok()) return sizes.status();
    model.group_sizes_ = *std::move(sizes);
  }
  model.weights_ = problem.weights;
  model.neighbour_preference_ = problem.neighbour_preference;

  std::set<int> classes(model.grade_class_.begin(), model.grade_class_.end());
  model.grade_classes_ = static_cast<int>(classes.size());
  model.neighbour_.assign(n * n, 0);
  model.same_region_.assign(n * n, 0);
  for (int i = 0; i < n; ++i) {
    for (const std::string& other : problem.participants[i].statistical_neighbours) {
      auto it = index.find(other);
      if (it == index.end() || it->second == i) continue;
      model.neighbour_[i * n + it->second] = 1;
      model.neighbour_[it->second * n + i] = 1;
    }
    for (int j = 0; j < n; ++j) {
      model.same_region_[i * n + j] =
          i != j && !model.regions_[i].empty() && model.regions_[i] == model.regions_[j];
    }
  }
  for (int i = 0; i < n; ++i) {
    for (int j = i + 1; j < n; ++j) model.total_neighbour_pairs_ += model.neighbour_[i * n + j];
  }

  auto resolve = [&](const LaPairSpec& pair, const char* what) -> absl::StatusOr<std::pair<int, int>> {
    auto a = index.find(pair.first);
    auto b = index.find(pair.second);
    if (a == index.end() || b == index.end()) {
      return absl::InvalidArgumentError(absl::StrCat(what, " ", pair.first, "-", pair.second,
                                                     " names an LA that is not a participant"));
    }
    if (a->second == b->second) {
      return absl::InvalidArgumentError(
          absl::StrCat(what, " names ", pair.first, " twice: a pair needs two different LAs"));
    }
    return std::make_pair(std::min(a->second, b->second), std::max(a->second, b->second));
  };

  std::vector<PairConstraint> constraints;
  std::set<std::pair<int, int>> seen_conflicts;
  for (const LaPairSpec& pair : problem.conflicts) {
    absl::StatusOr<std::pair<int, int>> ab = resolve(pair, "conflict of interest");
    if (!ab.ok()) return ab.status();
    if (!seen_conflicts.insert(*ab).second) continue;
    constraints.push_back(
        {ConstraintKind::kConflictOfInterest, ab->first, ab->second,
         absl::StrCat(model.codes_[ab->first], " and ", model.codes_[ab->second],
                      " declared a conflict of interest",
                      pair.reason.empty() ? "" : absl::StrCat(" (", pair.reason, ")"))});
  }

  // No repeat: the N most recent earlier years of the history.
  std::set<int, std::greater<int>> years;
  for (const PastGroup& group : problem.history) {
    if (group.year < problem.year) years.insert(group.year);
  }
  std::set<int> window;
  for (int year : years) {
    if (static_cast<int>(window.size()) >= problem.no_repeat_cycles) break;
    window.insert(year);
  }
  std::map<std::pair<int, int>, int> met;  // pair -> latest year within the window
  model.past_load_.assign(n, 0);
  for (const PastGroup& group : problem.history) {
    if (group.year >= problem.year) continue;
    std::vector<int> members;
    for (const std::string& code : group.members) {
      auto it = index.find(code);
      if (it != index.end()) members.push_back(it->second);
    }
    for (int m : members) model.past_load_[m] += static_cast<int64_t>(group.members.size()) - 1;
    if (window.count(group.year) == 0) continue;
    for (size_t x = 0; x < members.size(); ++x) {
      for (size_t y = x + 1; y < members.size(); ++y) {
        if (members[x] == members[y]) continue;
        auto key = std::make_pair(std::min(members[x], members[y]), std::max(members[x], members[y]));
        int& latest = met[key];
        latest = std::max(latest, group.year);
      }
    }
  }
  for (const auto& [pair, year] : met) {
    constraints.push_back({ConstraintKind::kNoRepeat, pair.first, pair.second,
                           absl::StrCat(model.codes_[pair.first], " and ", model.codes_[pair.second],
                                        " met in ", year, " (no repeat for ",
                                        problem.no_repeat_cycles, " cycle",
                                        problem.no_repeat_cycles == 1 ? "" : "s", ")")});
  }
  std::set<std::pair<int, int>> seen_pins;
  for (const LaPairSpec& pair : problem.pinned_pairs) {
    absl::StatusOr<std::pair<int, int>> ab = resolve(pair, "pinned pair");
    if (!ab.ok()) return ab.status();
    if (!seen_pins.insert(*ab).second) continue;
    constraints.push_back(
        {ConstraintKind::kPinnedPair, ab->first, ab->second,
         absl::StrCat(model.codes_[ab->first], " and ", model.codes_[ab->second],
                      " are pinned together",
                      pair.reason.empty() ? "" : absl::StrCat(" (", pair.reason, ")"))});
  }
  model.SetPairConstraints(std::move(constraints));

  for (int size : model.group_sizes_) model.total_load_ += static_cast<int64_t>(size) * (size - 1);
  for (int64_t load : model.past_load_) model.total_load_ += load;
  return model;
}

void GroupingModel::SetPairConstraints(std::vector<PairConstraint> constraints) {
  const int n = size();
  pair_constraints_ = std::move(constraints);
  forbidden_.assign(n * n, 0);
  pinned_.assign(n * n, 0);
  for (const PairConstraint& c : pair_constraints_) {
    if (c.kind == ConstraintKind::kPinnedPair) {
      pinned_[c.a * n + c.b] = pinned_[c.b * n + c.a] = 1;
    } else {
      ++forbidden_[c.a * n + c.b];
      ++forbidden_[c.b * n + c.a];
    }
  }
}

PartitionStats GroupingModel::Measure(const Partition& partition) const {
  PartitionStats stats;
  const int64_t n = size();
  for (const std::vector<int>& group : partition) {
    const int64_t g = static_cast<int64_t>(group.size());
    std::set<int> classes;
    for (int m : group) classes.insert(grade_class_[m]);
    stats.grade_mix += static_cast<int64_t>(classes.size()) - 1;
    stats.grade_mix_best += std::min<int64_t>(g, grade_classes_) - 1;
    stats.members += g;
    for (size_t x = 0; x < group.size(); ++x) {
      const int a = group[x];
      stats.load_deviation += std::llabs(n * (past_load_[a] + g - 1) - total_load_);
      for (size_t y = x + 1; y < group.size(); ++y) {
        const int b = group[y];
        ++stats.member_pairs;
        stats.neighbour_pairs += neighbours(a, b);
        stats.same_region_pairs += same_region(a, b);
      }
    }
  }
  return stats;
}

std::array<int, 4> GroupingModel::Components(const PartitionStats& s) const {
  std::array<int, 4> c{1000, 1000, 1000, 1000};
  if (grade_classes_ > 1 && s.grade_mix_best > 0) {
    c[0] = static_cast<int>(1000 * s.grade_mix / s.grade_mix_best);
  }
  if (total_neighbour_pairs_ > 0) {
    if (neighbour_preference_ == NeighbourPreference::kTogether) {
      const int64_t reachable = std::min(total_neighbour_pairs_, s.member_pairs);
      if (reachable > 0) c[1] = static_cast<int>(1000 * std::min(s.neighbour_pairs, reachable) / reachable);
    } else {
      const int64_t pairs = s.members == size() ? total_neighbour_pairs_ : s.member_pairs;
      if (pairs > 0) c[1] = static_cast<int>(1000 * (pairs - s.neighbour_pairs) / pairs);
    }
  }
  if (s.member_pairs > 0) c[2] = static_cast<int>(1000 * s.same_region_pairs / s.member_pairs);
  if (total_load_ > 0 && s.members > 0) {
    const int64_t denominator = s.members * total_load_;
    const int64_t value = (1000 * denominator - 500 * s.load_deviation) / denominator;
    c[3] = static_cast<int>(std::max<int64_t>(0, value));
  }
  return c;
}

int64_t GroupingModel::Score(const PartitionStats& stats) const {
  const std::array<int, 4> c = Components(stats);
  return static_cast<int64_t>(weights_.grade_mix) * c[0] +
         static_cast<int64_t>(weights_.statistical_neighbours) * c[1] +
         static_cast<int64_t>(weights_.travel) * c[2] +
         static_cast<int64_t>(weights_.review_load) * c[3];
}

int64_t GroupingModel::MaxScore() const {
  return 1000 * static_cast<int64_t>(weights_.grade_mix + weights_.statistical_neighbours +
                                     weights_.travel + weights_.review_load);
}

std::vector<int> GroupingModel::Violations(const Partition& partition) const {
  std::vector<int> group_of(size(), -1);
  for (size_t g = 0; g < partition.size(); ++g) {
    for (int m : partition[g]) group_of[m] = static_cast<int>(g);
  }
  std::vector<int> violated;
  for (size_t k = 0; k < pair_constraints_.size(); ++k) {
    const PairConstraint& c = pair_constraints_[k];
    const bool together = group_of[c.a] >= 0 && group_of[c.a] == group_of[c.b];
    if ((c.kind == ConstraintKind::kPinnedPair) != together) violated.push_back(static_cast<int>(k));
  }
  return violated;
}

}  // namespace slihub::peerreview
