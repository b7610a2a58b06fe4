#include <algorithm>
#include <numeric>

#include "services/peerreview/domain/search.h"

namespace slihub::peerreview {

uint64_t NextRandom(uint64_t& state) {
  uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

namespace {

class Exhaustive {
 public:
  Exhaustive(const GroupingModel& model, uint64_t seed, bool first_only)
      : model_(model), first_only_(first_only), n_(model.size()) {
    order_.resize(n_);
    std::iota(order_.begin(), order_.end(), 0);
    uint64_t state = seed;
    for (int i = n_ - 1; i > 0; --i) {
      std::swap(order_[i], order_[NextRandom(state) % static_cast<uint64_t>(i + 1)]);
    }
    assigned_.assign(n_, false);
    for (int size : model.group_sizes()) ++size_counts_[size];
    pins_.resize(n_);
    for (int i = 0; i < n_; ++i) {
      for (int j = 0; j < n_; ++j) {
        if (model.pinned(i, j)) pins_[i].push_back(j);
      }
    }
  }

  ExhaustiveOutcome Run() {
    Descend();
    return outcome_;
  }

 private:
  // Forms the group of the first unassigned LA (in seed order), for each remaining size.
  void Descend() {
    if (done_) return;
    int leader_pos = 0;
    while (leader_pos < n_ && assigned_[order_[leader_pos]]) ++leader_pos;
    if (leader_pos == n_) {
      Leaf();
      return;
    }
    for (int size = 5; size >= 2; --size) {
      if (size_counts_[size] == 0) continue;
      --size_counts_[size];
      const int leader = order_[leader_pos];
      assigned_[leader] = true;
      group_.assign(1, leader);
      Extend(leader_pos + 1, size);
      assigned_[leader] = false;
      ++size_counts_[size];
      if (done_) return;
    }
  }

  // Adds members after position `from` until the group has `size` members.
  void Extend(int from, int size) {
    if (static_cast<int>(group_.size()) == size) {
      if (!PinsHold()) return;
      ++outcome_.nodes;
      partition_.push_back(group_);
      std::vector<int> saved = group_;
      Descend();
      group_ = std::move(saved);
      partition_.pop_back();
      return;
    }
    const int needed = size - static_cast<int>(group_.size());
    for (int pos = from; pos < n_ && !done_; ++pos) {
      const int candidate = order_[pos];
      if (assigned_[candidate]) continue;
      if (n_ - pos < needed) break;
      bool allowed = true;
      for (int member : group_) {
        if (model_.forbidden(member, candidate) > 0) {
          allowed = false;
          break;
        }
      }
      if (!allowed) continue;
      assigned_[candidate] = true;
      group_.push_back(candidate);
      Extend(pos + 1, size);
      group_.pop_back();
      assigned_[candidate] = false;
    }
  }

  bool PinsHold() const {
    for (int member : group_) {
      for (int partner : pins_[member]) {
        if (std::find(group_.begin(), group_.end(), partner) == group_.end()) return false;
      }
    }
    return true;
  }

  void Leaf() {
    const int64_t score = model_.Score(model_.Measure(partition_));
    if (!outcome_.feasible || score > outcome_.score) {
      outcome_.feasible = true;
      outcome_.score = score;
      outcome_.best = partition_;
    }
    if (first_only_) done_ = true;
  }

  const GroupingModel& model_;
  const bool first_only_;
  const int n_;
  std::vector<int> order_;
  std::vector<bool> assigned_;
  int size_counts_[6] = {0, 0, 0, 0, 0, 0};
  std::vector<std::vector<int>> pins_;
  std::vector<int> group_;
  Partition partition_;
  ExhaustiveOutcome outcome_;
  bool done_ = false;
};

}  // namespace

ExhaustiveOutcome SearchExhaustive(const GroupingModel& model, uint64_t seed,
                                   bool first_feasible_only) {
  return Exhaustive(model, seed, first_feasible_only).Run();
}

}  // namespace slihub::peerreview
