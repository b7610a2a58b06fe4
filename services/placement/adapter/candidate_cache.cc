#include "services/placement/adapter/candidate_cache.h"

#include <algorithm>
#include <utility>

namespace slihub::placement {

absl::StatusOr<std::shared_ptr<const CandidateSnapshot>> CandidateCache::Current() {
  absl::MutexLock lock(&mu_);
  absl::StatusOr<CandidateChanges> changes = store_->LoadCandidateChanges(sequence_);
  if (!changes.ok()) return changes.status();
  if (snapshot_ != nullptr && changes->changed.empty() && changes->sequence == sequence_) {
    return snapshot_;
  }
  for (Candidate& c : changes->changed) {
    if (c.vacancy.state == VacancyState::kOpen) {
      std::string id = c.vacancy.vacancy_id;
      open_[id] = std::make_shared<const Candidate>(std::move(c));
    } else {
      open_.erase(c.vacancy.vacancy_id);
    }
  }
  sequence_ = std::max(sequence_, changes->sequence);
  auto snapshot = std::make_shared<CandidateSnapshot>();
  snapshot->sequence = sequence_;
  snapshot->owned.reserve(open_.size());
  std::vector<const Candidate*> candidates;
  candidates.reserve(open_.size());
  for (const auto& [id, candidate] : open_) {
    snapshot->owned.push_back(candidate);
    candidates.push_back(candidate.get());
  }
  snapshot->index = BuildKeyIndex(candidates);
  snapshot_ = std::move(snapshot);
  return snapshot_;
}

}  // namespace slihub::placement
