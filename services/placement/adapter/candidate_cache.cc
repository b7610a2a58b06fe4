#include "services/placement/adapter/candidate_cache.h"

#include <algorithm>
#include <set>
#include <utility>

#include "services/placement/store/transactions.h"

namespace slihub::placement {

absl::StatusOr<std::shared_ptr<const CandidateSnapshot>> CandidateCache::Current() {
  absl::MutexLock lock(&mu_);
  const int64_t after = sequence_;  // read under the lock, which the lambda below cannot show
  absl::StatusOr<CandidateChanges> changes = InReadTransaction(
      *db_, [&](store::Transaction& tx) { return store_->LoadCandidateChanges(tx, after); });
  if (!changes.ok()) return changes.status();
  if (snapshot_ != nullptr && changes->changed.empty() && changes->sequence == sequence_) {
    return snapshot_;
  }
  // Move each changed vacancy out of its old area and, while open, into its current one.
  std::set<Area> touched;
  for (Candidate& c : changes->changed) {
    const std::string id = c.vacancy.vacancy_id;
    if (auto it = area_of_.find(id); it != area_of_.end()) {
      areas_[it->second].members.erase(id);
      touched.insert(it->second);
      area_of_.erase(it);
    }
    if (c.vacancy.state != VacancyState::kOpen) continue;
    Area area{c.setting.region, c.setting.host_la};
    areas_[area].members[id] = std::make_shared<const Candidate>(std::move(c));
    area_of_[id] = area;
    touched.insert(std::move(area));
  }
  for (const Area& area : touched) {
    auto it = areas_.find(area);
    if (it->second.members.empty()) {
      areas_.erase(it);
      continue;
    }
    std::vector<std::shared_ptr<const Candidate>> members;
    members.reserve(it->second.members.size());
    for (const auto& [id, candidate] : it->second.members) members.push_back(candidate);
    it->second.group = BuildKeyGroup(area.first, area.second, std::move(members));
  }
  sequence_ = std::max(sequence_, changes->sequence);
  std::vector<std::shared_ptr<const KeyGroup>> groups;
  groups.reserve(areas_.size());
  for (const auto& [area, state] : areas_) groups.push_back(state.group);
  auto snapshot = std::make_shared<CandidateSnapshot>();
  snapshot->sequence = sequence_;
  snapshot->index = KeyIndex(std::move(groups));
  snapshot_ = std::move(snapshot);
  return snapshot_;
}

}  // namespace slihub::placement
