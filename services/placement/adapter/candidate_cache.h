// An in-memory snapshot of every open vacancy with its setting, kept current from the store's
// vacancy change sequence, so that a match reads only what changed since the last one.
#ifndef SLIHUB_SERVICES_PLACEMENT_ADAPTER_CANDIDATE_CACHE_H_
#define SLIHUB_SERVICES_PLACEMENT_ADAPTER_CANDIDATE_CACHE_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "services/placement/domain/filter_key.h"
#include "services/placement/store/placement_store.h"

namespace slihub::placement {

// An immutable set of open candidates as of one point of the change sequence.
struct CandidateSnapshot {
  int64_t sequence = 0;
  KeyIndex index;  // owns the candidates, for MatchByKeys
};

// A setting's facts are read with its vacancies' changes: a write that changes a setting must
// also touch its open vacancies (bumping their sequence) for the cache to see it.
// Thread-safe. Correct with other writers of the same database too: every read first asks the
// store for changes after the snapshot's sequence (one indexed range query). A change rebuilds
// only the key groups (region, host LA) it touches; the new snapshot shares the others.
class CandidateCache {
 public:
  // Borrows `db` and `store`, which must outlive the cache.
  CandidateCache(store::Database* db, const PlacementStore* store) : db_(db), store_(store) {}

  // A snapshot at least as fresh as the store when the call began.
  absl::StatusOr<std::shared_ptr<const CandidateSnapshot>> Current();

 private:
  using Area = std::pair<std::string, std::string>;  // (region, host LA)
  // One area's open candidates by vacancy id, and their group as last built.
  struct AreaState {
    std::map<std::string, std::shared_ptr<const Candidate>> members;
    std::shared_ptr<const KeyGroup> group;
  };

  store::Database* db_;
  const PlacementStore* store_;
  absl::Mutex mu_;
  int64_t sequence_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<Area, AreaState> areas_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, Area> area_of_ ABSL_GUARDED_BY(mu_);  // by open vacancy id
  std::shared_ptr<const CandidateSnapshot> snapshot_ ABSL_GUARDED_BY(mu_);
};

}  // namespace slihub::placement

#endif  // SLIHUB_SERVICES_PLACEMENT_ADAPTER_CANDIDATE_CACHE_H_
