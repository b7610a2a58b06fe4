// Indicator definitions in process memory by (id, version): a stored version is never rewritten,
// so an entry never goes stale and needs no invalidation (a new version is a new key).
#ifndef SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_INDICATOR_CACHE_H_
#define SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_INDICATOR_CACHE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "services/datacollection/domain/indicator.h"

namespace slihub::datacollection {

// Thread-safe. Holds every definition put (a hub has hundreds, not millions).
class IndicatorDefCache {
 public:
  // The definition (id, version), or nullptr.
  std::shared_ptr<const IndicatorDef> Find(const std::string& id, int64_t version) const {
    absl::MutexLock lock(&mu_);
    auto it = defs_.find(std::make_pair(id, version));
    return it == defs_.end() ? nullptr : it->second;
  }
  // Keeps `def` under (def.indicator_id, def.version).
  void Put(IndicatorDef def) {
    auto key = std::make_pair(def.indicator_id, def.version);
    auto held = std::make_shared<const IndicatorDef>(std::move(def));
    absl::MutexLock lock(&mu_);
    defs_[std::move(key)] = std::move(held);
  }

 private:
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::pair<std::string, int64_t>, std::shared_ptr<const IndicatorDef>> defs_
      ABSL_GUARDED_BY(mu_);
};

}  // namespace slihub::datacollection

#endif  // SLIHUB_SERVICES_DATACOLLECTION_ADAPTER_INDICATOR_CACHE_H_
